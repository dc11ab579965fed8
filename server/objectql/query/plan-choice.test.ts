import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBenchSchema, loadBenchRows } from "@/bench/bench-data";
import { createDataDatabase, type DataDatabase } from "@/server/db/data-db";
import type { FindQueryInput } from "@/spec/query";
import { createObjectQL, type ObjectQL } from "../objectql";
import { ObjectRegistry } from "../registry";

/**
 * The plan choice on SQLite (plan-choice.ts), on data shaped to favour each plan: 20,000 tickets
 * over 499 people, statuses and departments independent of the date. Each case checks which plan
 * was chosen, through `explain` (the engine's reason and SQLite's own plan), and that the rows are
 * those a plain query without any hint returns.
 */
const system = { kind: "system" } as const;
const TICKETS = 20_000;

type Row = { id: string };

describe("plan choice for sorted, limited finds on SQLite", () => {
  let db: DataDatabase;
  let ql: ObjectQL;

  beforeAll(async () => {
    db = createDataDatabase(":memory:");
    await createBenchSchema(db);
    await loadBenchRows(db, 500, TICKETS);
    const registry = new ObjectRegistry(db);
    await registry.reload();
    ql = createObjectQL({ db, registry });
  }, 60_000);
  afterAll(async () => {
    await db?.destroy();
  });

  /** The engine's explain: its reason, and SQLite's plan as one line. */
  async function explained(query: FindQueryInput) {
    const result = await ql.explain(system, query);
    return { reason: result.planChoice ?? "(none)", plan: (result.plan as { detail: string }[]).map((step) => step.detail).join(" | ") };
  }

  /** The same query written by hand without hints: SQLite plans it alone. */
  async function plainIds(where: string, order: string, limit: number, offset = 0): Promise<string[]> {
    const { rows } = await sql.raw<Row>(`select t.id from obj_ticket t left join obj_person j0 on j0.id = t.assignee where ${where} order by ${order} limit ${limit} offset ${offset}`).execute(db.kysely);
    return rows.map((row) => row.id);
  }

  const ids = async (query: FindQueryInput) => (await ql.find(system, query)).records.map((record) => record.id);

  it("walks the sort index when matches are dense along it (a filter through a lookup, newest first)", async () => {
    const query: FindQueryInput = {
      object: "ticket",
      filter: { and: [{ field: "status", operator: "in", value: ["open", "in_progress"] }, { field: "assignee.department", operator: "=", value: "Engineering" }] },
      orderBy: [{ field: "opened", direction: "desc" }],
      limit: 20,
    };
    const { reason, plan } = await explained(query);
    expect(reason).toMatch(/^\d+ of the first 1000 rows in sort order match: the walk stops early$/);
    expect(plan).toContain("SCAN t USING INDEX idx_ticket_opened");
    expect(plan).not.toContain("TEMP B-TREE");
    expect(await ids(query)).toEqual(await plainIds("t.status in ('open', 'in_progress') and j0.department = 'Engineering'", "t.opened desc nulls first, t.id desc", 20));
  });

  it("filters first when the filter is selective (one assignee's tickets), using the filter's index", async () => {
    const query: FindQueryInput = { object: "ticket", filter: { field: "assignee", operator: "=", value: "p00042" }, orderBy: [{ field: "opened", direction: "desc" }], limit: 20 };
    const { reason, plan } = await explained(query);
    expect(reason).toMatch(/^none of the first 1000 rows in sort order match: filter first$|^filter first \(/);
    expect(plan).toContain("USING INDEX idx_ticket_assignee (assignee=?)");
    expect(plan).not.toContain("idx_ticket_opened");
    const found = await ids(query);
    expect(found.length).toBeGreaterThan(5);
    expect(found).toEqual(await plainIds("t.assignee = 'p00042'", "t.opened desc nulls first, t.id desc", 20));
  });

  it("filters first by scanning the table when no index serves the filter (a search), instead of walking the sort index row by row", async () => {
    const query: FindQueryInput = { object: "ticket", search: "Ticket 424", orderBy: [{ field: "opened", direction: "desc" }], limit: 20 };
    const { reason, plan } = await explained(query);
    expect(reason).toMatch(/^none of the first 1000 rows in sort order match: filter first$|^filter first \(/);
    // Left alone, SQLite walks idx_ticket_opened for this (no sort), reading rows in index order.
    expect(plan).toContain("SCAN t");
    expect(plan).not.toContain("idx_ticket_opened");
    expect(plan).toContain("USE TEMP B-TREE FOR ORDER BY");
    const found = await ids(query);
    expect(found.length).toBe(11); // Ticket 424 and 4240-4249
    const where = "(t.subject like '%Ticket 424%' or t.status like '%Ticket 424%' or j0.name like '%Ticket 424%')";
    expect(found).toEqual(await plainIds(where, "t.opened desc nulls first, t.id desc", 20));
    // A cursor page follows the same choice.
    const first = await ql.find(system, { ...query, limit: 1 });
    const second = await ql.find(system, { ...query, limit: 1, cursor: first.nextCursor });
    expect([first.records[0].id, second.records[0].id]).toEqual(found.slice(0, 2));
  });

  it("reads an offset page's rows page first (the bound limit hides how small the page is from SQLite's planner)", async () => {
    const query: FindQueryInput = { object: "ticket", select: ["subject", "assignee.name"], orderBy: [{ field: "opened", direction: "desc" }], limit: 20, offset: 50 };
    const { plan } = await explained(query);
    // Joined the other way, SQLite walked every ticket in sort order against an automatic index on the page.
    expect(plan).toContain("SCAN page");
    expect(plan).toContain("SEARCH t USING INDEX sqlite_autoindex_obj_ticket_1 (id=?)");
    expect(plan).not.toContain("AUTOMATIC");
    expect(await ids(query)).toEqual(await plainIds("1 = 1", "t.opened desc nulls first, t.id desc", 20, 50));
  });

  it("weighs a deep offset: walking 4,000 rows in matches' order against sorting every match", async () => {
    const dense: FindQueryInput = { object: "ticket", filter: { field: "status", operator: "!=", value: "closed" }, orderBy: [{ field: "opened", direction: "asc" }], limit: 20, offset: 3000 };
    expect((await explained(dense)).reason).toMatch(/^walk about \d+ rows rather than filter first/);
    expect(await ids(dense)).toEqual(await plainIds("(t.status is null or t.status <> 'closed')", "t.opened asc nulls last, t.id asc", 20, 3000));
    const sparse: FindQueryInput = { ...dense, filter: { and: [{ field: "status", operator: "=", value: "blocked" }, { field: "assignee.department", operator: "=", value: "Legal" }] }, offset: 200 };
    const choice = await explained(sparse);
    expect(choice.reason).toMatch(/^filter first \(about \d+ matches\) rather than walk/);
    expect(await ids(sparse)).toEqual(await plainIds("t.status = 'blocked' and j0.department = 'Legal'", "t.opened asc nulls last, t.id asc", 20, 200));
  });

  it("pages with cursors along the chosen walk, reaching the same rows as offsets", async () => {
    const query: FindQueryInput = { object: "ticket", filter: { field: "status", operator: "in", value: ["open", "blocked"] }, orderBy: [{ field: "opened", direction: "desc" }], limit: 25 };
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 4; page++) {
      const result = await ql.find(system, { ...query, cursor });
      seen.push(...result.records.map((record) => record.id));
      cursor = result.nextCursor;
    }
    expect(seen).toEqual(await plainIds("t.status in ('open', 'blocked')", "t.opened desc nulls first, t.id desc", 100));
  });

  it("leaves queries alone where SQLite's plan is already right: no filter, no index for the sort, a small table", async () => {
    expect((await explained({ object: "ticket", orderBy: [{ field: "opened", direction: "desc" }], limit: 10 })).reason).toBe("(none)");
    expect((await explained({ object: "ticket", filter: { field: "status", operator: "=", value: "open" }, orderBy: [{ field: "subject", direction: "asc" }], limit: 10 })).reason).toBe("(none)");
    // Sorts on a lookup's field are bounded by the parents' keys instead (sort-bound.test.ts), and a
    // lookup itself sorts by its record's name: its index (ids in order) is no walk for that.
    expect((await explained({ object: "ticket", filter: { field: "status", operator: "=", value: "open" }, orderBy: [{ field: "assignee.name", direction: "asc" }], limit: 10 })).reason).toMatch(/^sorted by a lookup's field/);
    expect((await explained({ object: "ticket", filter: { field: "status", operator: "=", value: "open" }, orderBy: [{ field: "assignee", direction: "desc" }], limit: 10 })).reason).toMatch(/^sorted by a lookup's field/);
    expect((await explained({ object: "person", filter: { field: "level", operator: "=", value: 3 }, orderBy: [{ field: "department", direction: "asc" }], limit: 10 })).reason).toMatch(/small table/);
  });
});
