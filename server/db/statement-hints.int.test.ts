import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrayRowsSql, selectArrayRows } from "./statement-hints";
import type { DataDatabase } from "./data-db";
import { mysqlFactory, postgresFactory, type TestDatabase, requireTestServer } from "@/server/objectql/test-support/test-databases";

/** The drivers honour the engine's statement hints: rows as arrays in select order (unmarked text as objects), prepared plans. */

const postgresDown = await requireTestServer("postgres");
const mysqlMissing = await requireTestServer("mysql");

async function checkArrayRows(db: DataDatabase, placeholder: string) {
  await sql`create table sample (id varchar(10) primary key, name varchar(20), score integer)`.execute(db.kysely);
  await sql`insert into sample values ('a', 'Ann', 1), ('b', null, 2)`.execute(db.kysely);
  const select = `select id, name, score from sample where score >= ${placeholder} order by id`;
  expect(await selectArrayRows(db.kysely, arrayRowsSql(select), [1])).toEqual([["a", "Ann", 1], ["b", null, 2]]);
  expect((await db.kysely.executeQuery(sql.raw(select.replace(placeholder, "1")).compile(db.kysely))).rows).toEqual([
    { id: "a", name: "Ann", score: 1 },
    { id: "b", name: null, score: 2 },
  ]);
  await db.kysely.transaction().execute(async (trx) => {
    expect(await selectArrayRows(trx, arrayRowsSql(select), [2])).toEqual([["b", null, 2]]);
  });
}

describe.skipIf(postgresDown !== null)("array rows on PostgreSQL", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await postgresFactory().create();
  });
  afterAll(() => test?.cleanup());

  it("returns marked statements' rows as arrays", () => checkArrayRows(test.db, "$1"));

  it("runs kept plans as named prepared statements, planned per run, and keeps at most 200 per connection", async () => {
    await sql`create table prep (id integer primary key, v text)`.execute(test.db.kysely);
    await sql`insert into prep values (1, 'one'), (2, 'two')`.execute(test.db.kysely);
    await test.db.kysely.connection().execute(async (connection) => {
      const prepared = async () => Number((await sql<{ n: string }>`select count(*) as n from pg_prepared_statements`.execute(connection)).rows[0].n);
      expect((await sql<{ plan_cache_mode: string }>`show plan_cache_mode`.execute(connection)).rows[0].plan_cache_mode).toBe("force_custom_plan");
      const before = await prepared();
      const plan = arrayRowsSql("select v from prep where id = $1", { preparedAs: 1 });
      expect(await selectArrayRows(connection, plan, [1])).toEqual([["one"]]);
      expect(await selectArrayRows(connection, plan, [2])).toEqual([["two"]]);
      expect(await prepared()).toBe(before + 1);
      // Unhinted and array-only statements are not prepared.
      await selectArrayRows(connection, arrayRowsSql("select v from prep where id = $1"), [1]);
      await sql`select v from prep where id = ${1}`.execute(connection);
      expect(await prepared()).toBe(before + 1);
      // A changed column type comes with a new plan (a new number): it runs, the old one is not reused.
      await sql`alter table prep alter column v type varchar(10)`.execute(connection);
      expect(await selectArrayRows(connection, arrayRowsSql("select v from prep where id = $1", { preparedAs: 2 }), [1])).toEqual([["one"]]);
      // The old plan still running (another process changed the type before this one reloaded): it
      // still answers (unnamed), and is prepared anew the next time.
      expect(await selectArrayRows(connection, plan, [1])).toEqual([["one"]]);
      expect(await selectArrayRows(connection, plan, [2])).toEqual([["two"]]);
      // In a transaction the stale statement's own error is the one reported.
      await sql`alter table prep alter column v type text`.execute(connection);
      await sql`begin`.execute(connection);
      await expect(selectArrayRows(connection, plan, [1])).rejects.toThrow(/cached plan must not change result type/);
      await sql`rollback`.execute(connection);
      expect(await selectArrayRows(connection, plan, [1])).toEqual([["one"]]);
      for (let plan = 3; plan <= 230; plan++) {
        expect(await selectArrayRows(connection, arrayRowsSql(`select v, ${plan} as n from prep where id = $1`, { preparedAs: plan }), [2])).toEqual([["two", plan]]);
      }
      const kept = await prepared();
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThanOrEqual(200);
    });
  });
});

describe.skipIf(mysqlMissing !== null)("array rows on MySQL / MariaDB", () => {
  let test: TestDatabase;
  let db: DataDatabase;
  beforeAll(async () => {
    test = await mysqlFactory().create();
    db = test.db;
  });
  afterAll(() => test?.cleanup());

  it("returns marked statements' rows as arrays", () => checkArrayRows(db, "?"));

  it("still runs a marked select as a prepared statement on MariaDB", async () => {
    await db.kysely.connection().execute(async (connection) => {
      const version = String((await sql<{ v: string }>`select version() as v`.execute(connection)).rows[0].v);
      const prepared = async () => Number((await sql<{ Value: string }>`show session status like 'Com_stmt_execute'`.execute(connection)).rows[0].Value);
      const before = await prepared();
      await selectArrayRows(connection, arrayRowsSql("select id from sample where id = ?"), ["a"]);
      expect(await prepared()).toBe(before + (/mariadb/i.test(version) ? 1 : 0));
    });
  });
});
