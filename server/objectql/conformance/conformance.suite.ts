import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import type { ObjectDef } from "@/spec/object";
import type { AggregateQueryInput, ExpandInput, Filter, FindQueryInput } from "@/spec/query";
import { datetimeParameter } from "../dialect-sql";
import { ObjectQLError } from "../errors";
import { createObjectQL, type ObjectQL } from "../objectql";
import { toColumnValue } from "../records/codec";
import { ObjectRegistry } from "../registry";
import { syncObjectSchema } from "../schema/sync";
import { tableName } from "../schema/sql-names";
import { systemCtx } from "../test-support/fixtures";
import type { TestDatabase } from "../test-support/test-databases";
import { CONFORMANCE_NOW, CONFORMANCE_OBJECTS, generateConformanceData, type GeneratedData } from "./data-generator";
import { Oracle } from "./oracle";
import { aggregateCases, errorCases, filterCases, findCases, cursorCases, type AggregateCase } from "./conformance-cases";

/**
 * The conformance suite: the same queries on a driver and on the in-memory oracle, over the
 * same generated data; every answer must agree. Written once, run per driver.
 */

async function loadData(test: TestDatabase, objects: ObjectDef[], data: GeneratedData): Promise<void> {
  const { db } = test;
  const all: ObjectDef[] = [];
  for (const object of objects) {
    all.push(object);
    await syncObjectSchema(db, object, { allObjects: [...all], userId: "conformance" });
  }
  for (const object of objects) {
    const rows = data[object.name as keyof GeneratedData];
    const columns = rows.map((row) => {
      const values: Record<string, unknown> = {
        id: row.id,
        created_at: datetimeParameter(db.dialect, row.created_at),
        updated_at: datetimeParameter(db.dialect, row.updated_at),
        created_by: null,
        updated_by: null,
      };
      for (const field of object.fields) {
        const value = toColumnValue(field, row[field.name], db.dialect);
        values[field.name] = field.type === "datetime" && typeof value === "string" ? datetimeParameter(db.dialect, value) : value;
      }
      return values;
    });
    // Self-references (employee.manager) point at earlier rows, so inserting in order satisfies the foreign keys.
    for (let start = 0; start < columns.length; start += 50) {
      await db.kysely.insertInto(tableName(object.name)).values(columns.slice(start, start + 50)).execute();
    }
  }
}

/** Engine record -> the oracle's shape: id plus the requested paths, and each expansion (nested ones too) in the same shape. */
function project(record: Record<string, unknown>, paths: string[], expands: ExpandInput[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = { id: record.id };
  for (const path of paths) if (path !== "id") out[path] = record[path];
  for (const expand of expands) {
    out[expand.relation] = (record[expand.relation] as Record<string, unknown>[]).map((child) => project(child, expand.select ?? [], expand.expand ?? []));
  }
  return out;
}

/** Numbers compared to 9 significant digits (float sums differ in the last bits between engines). */
function normalise(value: unknown): unknown {
  if (typeof value === "number") return Number.isInteger(value) ? value : Number(value.toPrecision(9));
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(item)]));
  return value;
}

function canonicalSort(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

export function runConformanceSuite(name: string, makeDatabase: () => Promise<TestDatabase>): void {
  describe(`ObjectQL conformance (${name})`, () => {
    let test: TestDatabase;
    let ql: ObjectQL;
    let registry: ObjectRegistry;
    const data = generateConformanceData();
    const oracle = new Oracle(CONFORMANCE_OBJECTS, data, CONFORMANCE_NOW);
    const taskFields = CONFORMANCE_OBJECTS.find((object) => object.name === "task")!.fields.map((field) => field.name);

    beforeAll(async () => {
      test = await makeDatabase();
      await loadData(test, CONFORMANCE_OBJECTS, data);
      registry = new ObjectRegistry(test.db);
      await registry.reload();
      ql = createObjectQL({ db: test.db, registry, clock: () => CONFORMANCE_NOW });
    }, 120_000);

    afterAll(async () => {
      await test?.cleanup();
    });

    it("has loaded the generated data", async () => {
      for (const object of CONFORMANCE_OBJECTS) {
        expect(await ql.count(systemCtx, { object: object.name })).toBe(data[object.name as keyof GeneratedData].length);
      }
    });

    describe("filters (every operator x type, NULLs, relative dates, dotted paths)", () => {
      const cases = filterCases(data);
      it.each(cases.map((filter) => [JSON.stringify(filter), filter] as const))("%s", async (_label, filter: Filter) => {
        const expected = oracle.find({ object: "task", filter, orderBy: [{ field: "title", direction: "asc" }] }, true).map((row) => row.id);
        const { records } = await ql.find(systemCtx, { object: "task", filter, select: ["title"], orderBy: [{ field: "title", direction: "asc" }], limit: 1000 });
        expect(records.map((record) => record.id)).toEqual(expected);
        expect(await ql.count(systemCtx, { object: "task", filter })).toBe(expected.length);
      });
      it("matches a meaningful share of rows for most cases (the generator exercises each case)", () => {
        const sizes = cases.map((filter) => oracle.count("task", filter));
        expect(sizes.filter((size) => size > 0 && size < data.task.length).length).toBeGreaterThan(cases.length * 0.7);
      });
    });

    describe("find: select, dotted values, sorting, offset paging, search, expand", () => {
      it.each(findCases().map((query) => [JSON.stringify(query), query] as const))("%s", async (_label, query: FindQueryInput) => {
        const expected = oracle.find(query);
        const { records } = await ql.find(systemCtx, query);
        const paths = query.select ?? CONFORMANCE_OBJECTS.find((object) => object.name === query.object)!.fields.map((field) => field.name);
        const actual = records.map((record) => project(record, paths, query.expand));
        expect(normalise(actual)).toEqual(normalise(expected));
        if (query.search !== undefined) expect(await ql.count(systemCtx, { object: query.object, filter: query.filter as Filter | undefined, search: query.search })).toBe(oracle.count(query.object, query.filter as Filter | undefined, query.search));
      });
      it("returns full records (every field type) exactly as the oracle", async () => {
        const { records } = await ql.find(systemCtx, { object: "task", orderBy: [{ field: "title", direction: "asc" }], limit: 1000 });
        expect(normalise(records.map((record) => project(record, taskFields)))).toEqual(normalise(oracle.find({ object: "task", orderBy: [{ field: "title", direction: "asc" }] }, true)));
      });
    });

    describe("cursor paging to the end (ties, NULLs, mixed directions, dotted keys)", () => {
      it.each(cursorCases().map((query) => [JSON.stringify(query), query] as const))("%s", async (_label, query: FindQueryInput) => {
        const expected = oracle.find(query, true).map((row) => row.id);
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 500; page++) {
          const result = await ql.find(systemCtx, { ...query, select: [query.object === "task" ? "title" : "name"], cursor });
          seen.push(...result.records.map((record) => record.id));
          expect(result.records.length).toBeLessThanOrEqual(query.limit ?? 50);
          cursor = result.nextCursor;
          if (!cursor) break;
          expect(result.records).toHaveLength(query.limit ?? 50);
        }
        expect(seen).toEqual(expected);
      });
    });

    describe("aggregates (every function, groupBy with granularities, having, orderBy aliases)", () => {
      it.each(aggregateCases().map((entry) => [JSON.stringify(entry.query), entry] as const))("%s", async (_label, entry: AggregateCase) => {
        const { rows: expected, ...more } = oracle.aggregate(entry.query);
        const { rows, ...actualMore } = await ql.aggregate(systemCtx, entry.query);
        expect(actualMore).toEqual(more);
        if (entry.ordered) expect(normalise(rows)).toEqual(normalise(expected));
        else expect(canonicalSort(normalise(rows) as Record<string, unknown>[])).toEqual(canonicalSort(normalise(expected) as Record<string, unknown>[]));
      });
    });

    it("pages through every group with nextOffset, and says when a page is the last", async () => {
      const query: AggregateQueryInput = { object: "task", groupBy: [{ field: "assignee.name" }], aggregate: [{ function: "count", alias: "n" }], limit: 7 };
      const all = oracle.aggregate({ ...query, limit: 10_000 }).rows;
      expect(all.length).toBeGreaterThan(20);
      const seen: Record<string, unknown>[] = [];
      let offset: number | undefined = 0;
      for (let page = 0; offset !== undefined && page < 100; page++) {
        const result = await ql.aggregate(systemCtx, { ...query, offset });
        seen.push(...result.rows);
        expect(result.truncated).toBe(result.nextOffset !== undefined);
        if (result.truncated) expect(result.rows).toHaveLength(7);
        offset = result.nextOffset;
      }
      expect(normalise(seen)).toEqual(normalise(all));
      // A query that asks for no limit gets the default, and still learns that groups were left out.
      const many = await ql.aggregate(systemCtx, { object: "task", groupBy: [{ field: "title" }], aggregate: [{ function: "count", alias: "n" }] });
      expect(many).toMatchObject({ truncated: false });
      expect(many.rows).toHaveLength(data.task.length);
      const capped = await ql.aggregate(systemCtx, { object: "task", groupBy: [{ field: "title" }], aggregate: [{ function: "count", alias: "n" }], limit: 300 });
      expect(capped).toMatchObject({ truncated: true, nextOffset: 300 });
      expect(capped.rows).toHaveLength(300);
    });

    it("searches through lookups: records whose own fields do not match are found by the referenced name", async () => {
      const viaLookup = oracle.find({ object: "task", select: ["title", "notes"], search: "emp01" }, true);
      expect(viaLookup.length).toBeGreaterThan(10);
      expect(viaLookup.every((row) => !String(row.title).toLowerCase().includes("emp01"))).toBe(true);
      const { records } = await ql.find(systemCtx, { object: "task", select: ["title"], search: "emp01", orderBy: [{ field: "title", direction: "asc" }], limit: 1000 });
      expect(records.map((record) => record.id)).toEqual(oracle.find({ object: "task", search: "emp01", orderBy: [{ field: "title", direction: "asc" }] }, true).map((row) => row.id));
      const bySearch = await ql.aggregate(systemCtx, { object: "task", search: "Engineering", aggregate: [{ function: "count", alias: "n" }] });
      // Only direct lookups are searched: a task's assignee's department name is two lookups away.
      expect(bySearch.rows).toEqual([{ n: 0 }]);
    });

    it("loads nested related lists with one query per level, not per record", async () => {
      let statements = 0;
      const counting = test.db.kysely.withPlugin({
        transformQuery: (args) => args.node,
        // Called once per executed statement.
        transformResult: async (args) => {
          statements++;
          return args.result;
        },
      });
      const countingQl = createObjectQL({ db: { ...test.db, kysely: counting }, registry, clock: () => CONFORMANCE_NOW });
      const query: FindQueryInput = {
        object: "department",
        select: ["name"],
        expand: [{ relation: "employee.department", select: ["name"], limit: 50, expand: [{ relation: "employee.manager", select: ["name"], limit: 50, expand: [{ relation: "task.assignee", select: ["title"], limit: 50 }] }] }],
      };
      statements = 0;
      const { records } = await countingQl.find(systemCtx, query);
      expect(statements).toBe(4);
      const tasks = records.flatMap((department) => (department["employee.department"] as Record<string, unknown>[]).flatMap((employee) => (employee["employee.manager"] as Record<string, unknown>[]).flatMap((report) => report["task.assignee"] as unknown[])));
      expect(tasks.length).toBeGreaterThan(20);
      expect(normalise(records.map((record) => project(record, ["name"], query.expand)))).toEqual(normalise(oracle.find(query)));
    });

    it("runs the seed example as written (status in [...], a dotted filter, dotted select, count/avg by two dotted paths)", async () => {
      const filter: Filter = {
        and: [
          { field: "status", operator: "in", value: ["open", "in_progress"] },
          { field: "assignee.department.name", operator: "=", value: "Engineering" },
        ],
      };
      const list: FindQueryInput = {
        object: "task",
        select: ["title", "status", "assignee.name", "assignee.department.name", "assignee.manager.name"],
        filter,
        orderBy: [{ field: "priority", direction: "desc" }, { field: "title", direction: "asc" }],
        limit: 50,
      };
      const { records } = await ql.find(systemCtx, list);
      expect(records.length).toBeGreaterThan(0);
      expect(records[0]["assignee.department.name"]).toBe("Engineering");
      expect(records.map((record) => project(record, list.select!))).toEqual(oracle.find(list));
      const summary: AggregateQueryInput = {
        object: "task",
        filter,
        groupBy: [{ field: "assignee.department.name" }, { field: "assignee.team" }],
        aggregate: [
          { function: "count", alias: "tasks" },
          { function: "avg", field: "estimate", alias: "avg_estimate" },
        ],
        orderBy: [{ field: "tasks", direction: "desc" }, { field: "assignee.team", direction: "asc" }],
        limit: 50,
      };
      const { rows } = await ql.aggregate(systemCtx, summary);
      expect(rows.length).toBeGreaterThan(1);
      expect(normalise(rows)).toEqual(normalise(oracle.aggregate(summary).rows));
    });

    describe("refuses bad queries with BAD_REQUEST naming the problem", () => {
      it.each(errorCases().map((entry) => [entry.label, entry] as const))("%s", async (_label, entry) => {
        const run = () => ("aggregate" in entry.query || "groupBy" in entry.query ? ql.aggregate(systemCtx, entry.query as AggregateQueryInput) : ql.find(systemCtx, entry.query as FindQueryInput));
        const error = await run().then(
          () => null,
          (caught: unknown) => caught,
        );
        expect(error, `expected ${entry.label} to be refused`).toBeInstanceOf(ObjectQLError);
        expect((error as ObjectQLError).code).toBe("BAD_REQUEST");
        expect((error as ObjectQLError).message).toMatch(entry.message);
        if (entry.path) expect((error as ObjectQLError).issues?.[0]?.path).toEqual(entry.path);
      });
    });

    it("keeps the id tie-breaker and cursor stable when rows share every sort value", async () => {
      // created_at has ties by construction: paging by the default order must still see every row once.
      const ids = new Set<string>();
      let cursor: string | undefined;
      do {
        const page = await ql.find(systemCtx, { object: "task", select: ["title"], limit: 13, cursor });
        for (const record of page.records) ids.add(record.id);
        cursor = page.nextCursor;
      } while (cursor);
      expect(ids.size).toBe(data.task.length);
      const rawCount = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(tableName("task"))}`.execute(test.db.kysely);
      expect(Number(rawCount.rows[0].n)).toBe(ids.size);
    });

    it("continues from a cursor this process did not hand out (another process, a restart)", async () => {
      const query: FindQueryInput = { object: "task", select: ["title"], orderBy: [{ field: "due", direction: "desc" }], limit: 7 };
      const first = await ql.find(systemCtx, query);
      const issued = first.nextCursor!;
      // The same payload written anew (keys in another order): not among the cursors this process remembers.
      const payload = JSON.parse(Buffer.from(issued, "base64url").toString("utf8")) as Record<string, unknown>;
      const elsewhere = Buffer.from(JSON.stringify({ id: payload.id, v: payload.v, s: payload.s })).toString("base64url");
      expect(elsewhere).not.toBe(issued);
      const [viaIssued, viaElsewhere] = [await ql.find(systemCtx, { ...query, cursor: issued }), await ql.find(systemCtx, { ...query, cursor: elsewhere })];
      expect(viaElsewhere.records.map((record) => record.id)).toEqual(viaIssued.records.map((record) => record.id));
      expect(viaIssued.records.length).toBeGreaterThan(0);
    });
  });
}
