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

  it("runs a marked select with parameters prepared once and executed per run on MariaDB (text protocol on MySQL)", async () => {
    await sql`create table hint_prepared (id varchar(10) primary key, score integer)`.execute(db.kysely);
    await sql`insert into hint_prepared values ('a', 1), ('b', 2), ('c', 3)`.execute(db.kysely);
    await db.kysely.connection().execute(async (connection) => {
      const version = String((await sql<{ v: string }>`select version() as v`.execute(connection)).rows[0].v);
      // Session counters of this connection; SHOW STATUS itself runs unprepared.
      const counters = async () => {
        const rows = (await sql<{ Variable_name: string; Value: string }>`show session status where Variable_name in ('Com_stmt_prepare', 'Com_stmt_execute')`.execute(connection)).rows;
        return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
      };
      const before = await counters();
      const statement = arrayRowsSql("select id, score from hint_prepared where score >= ? order by id");
      const runs = [[1, [["a", 1], ["b", 2], ["c", 3]]], [2, [["b", 2], ["c", 3]]], [3, [["c", 3]]], [4, []], [2, [["b", 2], ["c", 3]]]] as const;
      for (const [minimum, rows] of runs) expect(await selectArrayRows(connection, statement, [minimum])).toEqual(rows);
      const after = await counters();
      const mariadb = /mariadb/i.test(version);
      // MariaDB: parsed once (mysql2 keeps it per connection), executed each run. MySQL: text protocol.
      expect({ prepared: after.Com_stmt_prepare - before.Com_stmt_prepare, executed: after.Com_stmt_execute - before.Com_stmt_execute }).toEqual(
        mariadb ? { prepared: 1, executed: runs.length } : { prepared: 0, executed: 0 },
      );
    });
  });
});
