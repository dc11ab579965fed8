import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { Harness, defineObject, systemCtx } from "../test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "../test-support/test-databases";
import { BULK_ROWS_FOR_STATISTICS } from "./statistics";

const item = defineObject({
  name: "item",
  label: "Item",
  pluralLabel: "Items",
  fields: [
    { id: "i1", name: "name", label: "Name", type: "text", required: true },
    { id: "i2", name: "kind", label: "Kind", type: "text" },
  ],
  indexes: [{ fields: ["kind"] }],
});

/** What the database's planner knows of `obj_item`: SQLite's sqlite_stat1 rows, PostgreSQL's last analyze. */
async function statisticsOf(test: TestDatabase): Promise<unknown> {
  if (test.db.dialect === "sqlite") {
    const exists = await sql<{ n: number }>`select count(*) as n from sqlite_master where name = 'sqlite_stat1'`.execute(test.db.kysely);
    if (Number(exists.rows[0].n) === 0) return null;
    const { rows } = await sql<{ stat: string }>`select stat from sqlite_stat1 where tbl = 'obj_item' and idx like 'idx_item_kind%'`.execute(test.db.kysely);
    return rows[0]?.stat ?? null;
  }
  const { rows } = await sql<{ last: unknown }>`select coalesce(last_analyze, last_autoanalyze) as last from pg_stat_user_tables where relname = 'obj_item' and schemaname = current_schema()`.execute(test.db.kysely);
  return rows[0]?.last ?? null;
}

async function eventually(read: () => Promise<unknown>): Promise<unknown> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (value !== null || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Statistics follow bulk inserts (both dialects) and schema changes (SQLite), as the planner needs them. */
export function defineStatisticsSuite(factory: DatabaseFactory) {
  describe(`planner statistics (${factory.dialect})`, () => {
    let test: TestDatabase | undefined;
    afterEach(async () => {
      await test?.cleanup();
    });

    it(`are refreshed after a bulk insert of ${BULK_ROWS_FOR_STATISTICS} records or more, not after small writes`, async () => {
      test = await factory.create();
      const h = new Harness(test.db);
      await h.sync(item);
      await h.ql.insertMany(systemCtx, "item", Array.from({ length: 10 }, (_, index) => ({ name: `small ${index}`, kind: "a" })));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await statisticsOf(test)).toBeNull();
      await h.ql.insertMany(systemCtx, "item", Array.from({ length: BULK_ROWS_FOR_STATISTICS }, (_, index) => ({ name: `bulk ${index}`, kind: `k${index % 20}` })));
      const stats = await eventually(() => statisticsOf(test!));
      expect(stats).not.toBeNull();
      // SQLite: "rows rows-per-kind ...": 1,010 rows, about 50 per kind.
      if (factory.dialect === "sqlite") expect(String(stats)).toMatch(/^10\d\d \d+/);
    });

    if (factory.dialect === "sqlite") {
      it("count rows per value over the whole index on SQLite: a column of two values never looks selective", async () => {
        test = await factory.create();
        const h = new Harness(test.db);
        await h.sync(item);
        await h.ql.insertMany(systemCtx, "item", Array.from({ length: 20_000 }, (_, index) => ({ name: `n${index}`, kind: index % 2 ? "odd" : "even" })));
        const stats = String(await eventually(() => statisticsOf(test!)));
        // "20000 10000": a sampled ANALYZE (analysis_limit = 1000) said "20000 1001", and SQLite then
        // chose that index over a date range a hundred times narrower.
        const [rows, perKind] = stats.split(" ").map(Number);
        expect(rows).toBe(20_000);
        expect(perKind).toBeGreaterThanOrEqual(9_000);
      });

      it("are refreshed after a schema change on SQLite (a new index gets its statistics)", async () => {
        test = await factory.create();
        const h = new Harness(test.db);
        await h.sync({ ...item, indexes: [] });
        const rows = Array.from({ length: 300 }, (_, index) => ({ name: `n${index}`, kind: `k${index % 3}` }));
        await h.ql.insertMany(systemCtx, "item", rows);
        expect(await statisticsOf(test)).toBeNull();
        await h.sync(item);
        expect(String(await statisticsOf(test))).toMatch(/^300 \d+/);
      });
    }
  });
}
