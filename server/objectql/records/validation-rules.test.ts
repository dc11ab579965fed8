import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createObjectQL, type ObjectQL } from "../objectql";
import { Harness, caught, defineObject, userCtx } from "../test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "../test-support/test-databases";
import { applyDefaultFormulas, enforceValidationRules, type RuleContext } from "./validation-rules";

/**
 * Validation rules and formula defaults as a user meets them (issue 14: the mutation run's
 * survivors): values read through lookups of one and two steps, roll-ups through an empty
 * lookup, TODAY() on the engine's clock, the stored record on update, inactive rules, and the
 * errors of a rule that no longer type-checks. On SQLite, through the engine.
 */
const account = defineObject({
  name: "account",
  label: "Account",
  pluralLabel: "Accounts",
  fields: [
    { id: "a1", name: "name", label: "Name", type: "text", required: true },
    { id: "a2", name: "revenue", label: "Revenue", type: "currency", scale: 2 },
    { id: "a7", name: "on_hold", label: "On hold", type: "boolean", defaultValue: false },
  ],
});

const deal = defineObject({
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "title", label: "Title", type: "text", required: true },
    { id: "d2", name: "amount", label: "Amount", type: "currency", scale: 2 },
    { id: "d3", name: "account", label: "Account", type: "lookup", reference: "account" },
    { id: "d4", name: "partner", label: "Partner", type: "lookup", reference: "account" },
    { id: "d5", name: "close_date", label: "Close date", type: "date" },
    { id: "d6", name: "note", label: "Note", type: "text" },
    // The same name as the account's field: a value read through an empty lookup must not come from the deal.
    { id: "d13", name: "name", label: "Name", type: "text" },
    { id: "d14", name: "status", label: "Status", type: "text", defaultFormula: "IF(account.on_hold, 'held', 'open')" },
  ],
  validationRules: [
    { name: "partner_differs", expression: "ISBLANK(partner) OR partner.name != account.name", message: "The partner must be another account", errorField: "partner" },
    { name: "not_past", expression: "ISBLANK(close_date) OR close_date >= TODAY()", message: "A deal cannot close in the past", errorField: "close_date" },
    { name: "owner_notes", expression: "ISBLANK(note) OR BLANKVALUE(owner_id, '') = updated_by", message: "Only the owner may write a note", errorField: "note" },
    { name: "creator_notes", expression: "ISBLANK(note) OR BLANKVALUE(created_by, '') = updated_by", message: "Only the creator may write a note", errorField: "note" },
    { name: "retired", expression: "amount > 1000000000", message: "Inactive: never checked", active: false },
  ],
});

/** Roll-ups of deals per account, read by the deal's own defaults through the optional `account` lookup. */
const accountWithRollups = defineObject({
  ...account,
  fields: [
    ...account.fields,
    { id: "a3", name: "deal_count", label: "Deals", type: "rollup", childObject: "deal", childField: "account", function: "count" },
    { id: "a4", name: "total", label: "Total", type: "rollup", childObject: "deal", childField: "account", function: "sum", field: "amount" },
    { id: "a5", name: "last_close", label: "Last close", type: "rollup", childObject: "deal", childField: "account", function: "max", field: "close_date" },
    { id: "a6", name: "average", label: "Average", type: "rollup", childObject: "deal", childField: "account", function: "avg", field: "amount" },
  ],
});

const dealWithDefaults = defineObject({
  ...deal,
  fields: [
    ...deal.fields,
    { id: "d7", name: "seen_count", label: "Seen count", type: "number", defaultFormula: "account.deal_count" },
    { id: "d8", name: "seen_total", label: "Seen total", type: "currency", scale: 2, defaultFormula: "account.total" },
    { id: "d9", name: "seen_close", label: "Seen close", type: "date", defaultFormula: "account.last_close" },
    { id: "d10", name: "seen_average", label: "Seen average", type: "currency", scale: 2, defaultFormula: "account.average" },
    { id: "d11", name: "code", label: "Code", type: "text", defaultFormula: "UPPER(LEFT(title, 3))" },
    { id: "d12", name: "code_twice", label: "Code twice", type: "text", defaultFormula: "code & code" },
  ],
});

const line = defineObject({
  name: "line",
  label: "Line",
  pluralLabel: "Lines",
  fields: [
    { id: "l1", name: "quantity", label: "Quantity", type: "number" },
    { id: "l2", name: "deal", label: "Deal", type: "lookup", reference: "deal" },
    { id: "l3", name: "account_name", label: "Account name", type: "text", defaultFormula: "deal.account.name" },
  ],
  validationRules: [
    { name: "within_revenue", expression: "quantity * 100 <= BLANKVALUE(deal.account.revenue, 1000000)", message: "Too many for the account's revenue", errorField: "quantity" },
  ],
});


describe("validation rules and formula defaults (sqlite)", () => {
  let test: TestDatabase;
  let h: Harness;
  let ql: ObjectQL;
  let acme: { id: string };
  let tiny: { id: string };

  beforeEach(async () => {
    test = await sqliteFactory.create();
    h = new Harness(test.db);
    await h.sync(account);
    await h.sync(deal);
    await h.sync(line);
    // The engine's clock: rules see TODAY() as 2030-06-15, whatever the real date.
    ql = createObjectQL({ db: test.db, registry: h.registry, clock: () => new Date("2030-06-15T12:00:00Z") });
    acme = await ql.insert(userCtx, "account", { name: "Acme", revenue: 2_000_000 });
    tiny = await ql.insert(userCtx, "account", { name: "Tiny", revenue: 5000 });
  });
  afterEach(async () => {
    await test?.cleanup();
  });

  it("read each lookup's own record (two lookups to the same object)", async () => {
    const created = await ql.insert(userCtx, "deal", { title: "A", account: acme.id, partner: tiny.id });
    expect(created.partner).toMatchObject({ id: tiny.id });
    const error = await caught(ql.insert(userCtx, "deal", { title: "B", account: tiny.id, partner: tiny.id }));
    expect(error.issues).toEqual([{ path: ["partner"], message: "The partner must be another account", rule: "partner_differs" }]);
  });

  it("follow lookups two steps away, and pass when a step is empty", async () => {
    const small = await ql.insert(userCtx, "deal", { title: "Small", account: tiny.id });
    const orphan = await ql.insert(userCtx, "deal", { title: "Orphan", name: "Orphan deal" });
    expect(await ql.insert(userCtx, "line", { quantity: 50, deal: small.id })).toMatchObject({ quantity: 50, account_name: "Tiny" });
    const error = await caught(ql.insert(userCtx, "line", { quantity: 51, deal: small.id }));
    expect(error.message).toBe("Invalid record for object 'line': Too many for the account's revenue");
    expect(error.issues).toEqual([{ path: ["quantity"], message: "Too many for the account's revenue", rule: "within_revenue" }]);
    // No account behind the deal: the revenue is blank (1,000,000 by the rule's BLANKVALUE).
    expect(await ql.insert(userCtx, "line", { quantity: 9000, deal: orphan.id })).toMatchObject({ quantity: 9000, account_name: null });
    await caught(ql.insert(userCtx, "line", { quantity: 10001, deal: orphan.id }));
    expect(await ql.count(userCtx, { object: "line" })).toBe(2);
  });

  it("read booleans of related records as booleans", async () => {
    const held = await ql.insert(userCtx, "account", { name: "Held", on_hold: true });
    expect((await ql.insert(userCtx, "deal", { title: "A", account: held.id })).status).toBe("held");
    expect((await ql.insert(userCtx, "deal", { title: "B", account: tiny.id })).status).toBe("open");
  });

  it("see TODAY() on the engine's clock", async () => {
    expect((await ql.insert(userCtx, "deal", { title: "Future", close_date: "2030-06-15" })).close_date).toBe("2030-06-15");
    const error = await caught(ql.insert(userCtx, "deal", { title: "Past", close_date: "2030-06-14" }));
    expect(error.issues).toEqual([{ path: ["close_date"], message: "A deal cannot close in the past", rule: "not_past" }]);
  });

  it("see the stored record's owner and creator on update", async () => {
    const created = await ql.insert(userCtx, "deal", { title: "Mine" });
    expect((await ql.update(userCtx, "deal", created.id, { note: "hello" })).note).toBe("hello");
    const other = { ...userCtx, userId: "user-2" };
    const error = await caught(ql.update(other, "deal", created.id, { note: "mine now" }));
    expect(error.message).toBe("Invalid record for object 'deal': Only the owner may write a note; Only the creator may write a note");
    expect(error.path).toEqual(["note"]);
    expect(error.issues?.map((issue) => issue.rule)).toEqual(["owner_notes", "creator_notes"]);
    expect((await ql.findOne(userCtx, "deal", created.id))!.note).toBe("hello");
  });

  it("skip inactive rules", async () => {
    expect((await ql.insert(userCtx, "deal", { title: "Small", amount: 5 })).amount).toBe(5);
  });

  it("defaults read roll-ups through a lookup: 0 for count and sum, blank for max and average when the lookup is empty", async () => {
    await h.sync(accountWithRollups);
    await h.sync(dealWithDefaults);
    const none = await ql.insert(userCtx, "deal", { title: "none" });
    expect(none).toMatchObject({ seen_count: 0, seen_total: 0, seen_close: null, seen_average: null, code: "NON", code_twice: "NONNON" });
    await ql.insert(userCtx, "deal", { title: "first", amount: 100, close_date: "2031-01-01", account: acme.id });
    await ql.insert(userCtx, "deal", { title: "second", amount: 300, close_date: "2031-05-01", account: acme.id });
    const third = await ql.insert(userCtx, "deal", { title: "third", account: acme.id, code: "OWN" });
    expect(third).toMatchObject({ seen_count: 2, seen_total: 400, seen_close: "2031-05-01", seen_average: 200, code: "OWN", code_twice: "OWNOWN" });
  });
});

describe("rules that no longer type-check", () => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await sqliteFactory.create();
  });
  afterEach(async () => {
    await test?.cleanup();
  });

  it("are refused naming the rule, the object and the rule's path", async () => {
    const broken = defineObject({ ...deal, validationRules: [deal.validationRules[0], { name: "gone", expression: "budget > 0", message: "m" }] });
    const ctx: RuleContext = { executor: test.db.kysely, dialect: "sqlite", objects: (name) => (name === "account" ? account : undefined) };
    const error = await caught(enforceValidationRules(ctx, broken, { title: "x" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^Validation rule 'gone' on object 'deal' is invalid: .*budget/);
    expect(error.path).toEqual(["validationRules", 1]);
    expect(error.issues).toEqual([{ path: ["validationRules", 1], message: error.message }]);
  });

  it("and so are formula defaults, on the field's path", async () => {
    const broken = defineObject({ ...account, fields: [...account.fields, { id: "a9", name: "code", label: "Code", type: "text", defaultFormula: "LEFT(nme, 2)" }] });
    const ctx: RuleContext = { executor: test.db.kysely, dialect: "sqlite", objects: () => undefined };
    const error = await caught(applyDefaultFormulas(ctx, broken, { name: "x" }));
    expect(error.message).toMatch(/^Default formula of field 'code' on object 'account' is invalid: .*nme/);
    expect(error.path).toEqual(["code"]);
    // A value given is kept: the default is not even type-checked.
    expect(await applyDefaultFormulas(ctx, broken, { name: "x", code: "ok" })).toEqual({ name: "x", code: "ok" });
  });
});
