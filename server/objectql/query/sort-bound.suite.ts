import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectQL, SecurityContext } from "@/server/objectql";
import type { FindQueryInput } from "@/spec/query";
import { ctxOf, loadPermissionFixture } from "@/server/security/test-support/permission-fixture";
import type { DatabaseFactory, TestDatabase } from "../test-support/test-databases";
import { refreshStatistics } from "../schema/statistics";

/**
 * Lists sorted by a lookup's field, bounded by the parents' keys (query/sort-bound.ts), on the
 * permission fixture grown to 6,000 line items under 300 opportunities whose names repeat (ties
 * at the bound), and 5,400 opportunities under 40 accounts (every ninth without one). Each case checks through `explain` whether the bound was used,
 * and that every page equals the same sort the engine runs unbounded: a second sort key (the id,
 * which already breaks ties) makes a query the bound does not apply to, with the same order.
 */
const system: SecurityContext = { kind: "system" };
const OPPORTUNITIES = 5400;
const LINE_ITEMS = 6000;

export function defineSortBoundSuite(factory: DatabaseFactory) {
  describe(`sorts on a lookup's field, bounded by the parents' keys (${factory.dialect})`, () => {
    let test: TestDatabase;
    let ql: ObjectQL;

    beforeAll(async () => {
      test = await factory.create();
      const fixture = await loadPermissionFixture(test.db);
      ql = fixture.ql;
      // Written through the unrestricted engine, as the fixture writes its own rows.
      const writer = fixture.h.ql;
      const owners = ["ceo", "mgr", "rep1", "rep2", "auditor"] as const;
      // Inserted as their owners (the engine sets owner_id from the writer), ids back in row order.
      const insertOwned = async (object: string, rows: Record<string, unknown>[]): Promise<string[]> => {
        const ids: string[] = new Array(rows.length);
        for (const [slot, owner] of owners.entries()) {
          const positions = rows.map((_, index) => index).filter((index) => index % owners.length === slot);
          const created = await writer.insertMany(ctxOf(owner), object, positions.map((index) => rows[index]));
          positions.forEach((position, index) => (ids[position] = created.ids[index]));
        }
        return ids;
      };
      const accounts = await insertOwned("account", Array.from({ length: 40 }, (_, index) => ({ name: `Account ${String(index % 25).padStart(2, "0")}` })));
      const opportunities = await insertOwned(
        "opportunity",
        Array.from({ length: OPPORTUNITIES }, (_, index) => ({
          // 120 distinct names: most are shared by two or three opportunities.
          name: `Deal ${String((index * 7) % 120).padStart(3, "0")}`,
          amount: (index % 10) * 1000,
          stage: ["open", "won", "lost"][index % 3],
          account: index % 9 === 0 ? null : accounts[index % accounts.length],
        })),
      );
      await writer.insertMany(system, "line_item", Array.from({ length: LINE_ITEMS }, (_, index) => ({ name: `Item ${index}`, quantity: index % 13, opportunity: opportunities[(index * 37) % 300] })));
      await refreshStatistics(test.db, "line_item");
      await refreshStatistics(test.db, "opportunity");
    }, 120_000);
    afterAll(async () => {
      await test?.cleanup();
    });

    const reasonOf = async (ctx: SecurityContext, query: FindQueryInput) => (await ql.explain(ctx, query)).planChoice ?? "(none)";

    /** Every page of `query` (cursor paging, `pages` at most), as ids. */
    async function pagesOf(ctx: SecurityContext, query: FindQueryInput, pages: number): Promise<string[][]> {
      const result: string[][] = [];
      let cursor: string | undefined;
      for (let page = 0; page < pages; page++) {
        const found = await ql.find(ctx, { ...query, cursor });
        result.push(found.records.map((record) => record.id));
        cursor = found.nextCursor;
        if (!cursor) break;
      }
      return result;
    }

    /** The same order without the bound: the id as an explicit second key. */
    const unbounded = (query: FindQueryInput): FindQueryInput => {
      const [first] = query.orderBy!;
      return { ...query, orderBy: [first, { field: "id", direction: first.direction }] };
    };

    it("reads only the first parents' records, ascending and descending, page after page, ties at the bound included", async () => {
      for (const direction of ["asc", "desc"] as const) {
        const query: FindQueryInput = { object: "line_item", orderBy: [{ field: "opportunity.name", direction }], limit: 40 };
        expect(await reasonOf(system, query)).toMatch(/^sorted by a lookup's field: read only the records of the first \d+ opportunities/);
        expect(await reasonOf(system, unbounded(query))).toBe("(none)");
        const bounded = await pagesOf(system, query, 6);
        expect(bounded).toHaveLength(6);
        expect(bounded.flat()).toHaveLength(240);
        expect(bounded).toEqual(await pagesOf(system, unbounded(query), 6));
      }
    });

    it("sorts by a lookup itself (its record's name) and keeps records without a parent where NULLs go", async () => {
      for (const direction of ["asc", "desc"] as const) {
        // Opportunities by account: every ninth has none (NULL keys: last ascending, first descending).
        const query: FindQueryInput = { object: "opportunity", orderBy: [{ field: "account", direction }], limit: 100 };
        // PostgreSQL would scan for `account is null or account in (...)`: descending over an optional lookup stays unbounded there.
        if (direction === "desc" && factory.dialect === "postgres") expect(await reasonOf(system, query)).toBe("(none)");
        else expect(await reasonOf(system, query)).toMatch(/read only the records of the first \d+ accounts/);
        const bounded = await pagesOf(system, query, 60);
        expect(bounded.flat()).toHaveLength(OPPORTUNITIES + 18);
        expect(bounded).toEqual(await pagesOf(system, unbounded(query), 60));
      }
    });

    it("keeps a filter, a search and an offset, and gives up the bound when the first parents hold too few matches", async () => {
      const filtered: FindQueryInput = { object: "line_item", filter: { field: "quantity", operator: "in", value: [1, 2, 3] }, orderBy: [{ field: "opportunity.name", direction: "desc" }], limit: 30 };
      expect(await reasonOf(system, filtered)).toMatch(/read only the records of the first/);
      expect(await pagesOf(system, filtered, 5)).toEqual(await pagesOf(system, unbounded(filtered), 5));

      const offset: FindQueryInput = { object: "line_item", orderBy: [{ field: "opportunity.name", direction: "asc" }], limit: 30, offset: 700 };
      expect(await reasonOf(system, offset)).toMatch(/read only the records of the first/);
      expect((await ql.find(system, offset)).records.map((record) => record.id)).toEqual((await ql.find(system, unbounded(offset))).records.map((record) => record.id));

      const searched: FindQueryInput = { object: "line_item", search: "Item 12", orderBy: [{ field: "opportunity.name", direction: "asc" }], limit: 20 };
      expect(await pagesOf(system, searched, 4)).toEqual(await pagesOf(system, unbounded(searched), 4));

      // One item in 6,000 matches: no prefix of parents holds a page.
      const rare: FindQueryInput = { object: "line_item", filter: { field: "name", operator: "=", value: "Item 4321" }, orderBy: [{ field: "opportunity.name", direction: "asc" }], limit: 20 };
      expect(await reasonOf(system, rare)).toMatch(/hold too few matching records; read unbounded$/);
      const found = await ql.find(system, rare);
      expect(found.records.map((record) => record.name)).toEqual(["Item 4321"]);
    });

    it("applies the reader's row-level security exactly as unbounded, and does not bound descending sorts over parents they may not all see", async () => {
      const rep1 = ctxOf("rep1");
      const ascending: FindQueryInput = { object: "line_item", orderBy: [{ field: "opportunity.name", direction: "asc" }], limit: 30 };
      expect(await reasonOf(rep1, ascending)).toMatch(/read only the records of the first/);
      const seen = await pagesOf(rep1, ascending, 40);
      expect(seen).toEqual(await pagesOf(rep1, unbounded(ascending), 40));
      const all = (await pagesOf(system, ascending, 400)).flat();
      expect(seen.flat().length).toBeGreaterThan(0);
      expect(seen.flat().length).toBeLessThan(all.length);

      const descending: FindQueryInput = { ...ascending, orderBy: [{ field: "opportunity.name", direction: "desc" }] };
      expect(await reasonOf(rep1, descending)).toBe("(none)");
      expect(await pagesOf(rep1, descending, 40)).toEqual(await pagesOf(rep1, unbounded(descending), 40));
    });
  });
}
