import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ObjectQLError } from "../errors";
import { Harness, company, defineObject, systemCtx } from "../test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "../test-support/test-databases";

/** A write naming a record that does not exist is refused with the field and the id, before the database's foreign key would. */
const contact = defineObject({
  name: "contact", label: "Contact", pluralLabel: "Contacts",
  fields: [
    { id: "k1", name: "name", label: "Name", type: "text", required: true },
    { id: "k2", name: "employer", label: "Employer", type: "lookup", reference: "company" },
  ],
});

describe("reference checks on writes (sqlite)", () => {
  let test: TestDatabase;
  let h: Harness;
  let acme: string;

  beforeAll(async () => {
    test = await sqliteFactory.create();
    h = new Harness(test.db);
    await h.sync(company);
    await h.sync(contact);
    acme = (await h.ql.insert(systemCtx, "company", { title: "Acme" })).id;
  });
  afterAll(async () => {
    await test?.cleanup();
  });

  const refusal = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ObjectQLError);
    return error as ObjectQLError;
  };

  it("names the field and the missing id of one record", async () => {
    const error = await refusal(h.ql.insert(systemCtx, "contact", { name: "Ann", employer: "nope" }));
    expect([error.code, error.message, error.path]).toEqual([
      "BAD_REQUEST", "Invalid record for object 'contact': Field 'employer' refers to a 'company' record that does not exist ('nope')", ["employer"],
    ]);
    expect((await h.ql.insert(systemCtx, "contact", { name: "Ann", employer: acme })).employer).toMatchObject({ id: acme });
  });

  it("reports at most 50 missing references of a bulk insert, by row, and keeps none of its rows", async () => {
    const rows = Array.from({ length: 60 }, (_, index) => ({ name: `C${index}`, employer: index === 0 ? acme : `missing-${index}` }));
    const error = await refusal(h.ql.insertMany(systemCtx, "contact", rows));
    expect([error.code, error.message, error.path]).toEqual([
      "BAD_REQUEST", "Invalid records for object 'contact': Field 'employer' refers to a 'company' record that does not exist ('missing-1')", [1, "employer"],
    ]);
    expect(error.issues).toHaveLength(50);
    expect(error.issues!.at(-1)).toEqual({ path: [50, "employer"], message: "Field 'employer' refers to a 'company' record that does not exist ('missing-50')" });
    expect(await h.ql.count(systemCtx, { object: "contact", filter: { field: "name", operator: "starts_with", value: "C" } })).toBe(0);
  });
});
