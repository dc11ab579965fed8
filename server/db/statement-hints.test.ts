import Database from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrayRowsSql, selectArrayRows, withoutStatementHints } from "./statement-hints";
import { createDataDatabase, type DataDatabase } from "./data-db";

const SELECT = "select id, name, score from sample order by id";

describe("statement hints on SQLite", () => {
  let db: DataDatabase;
  beforeAll(async () => {
    db = createDataDatabase(":memory:");
    await sql`create table sample (id text primary key, name text, score real)`.execute(db.kysely);
    await sql`insert into sample values ('a', 'Ann', 1.5), ('b', null, 2)`.execute(db.kysely);
  });
  afterAll(() => db.destroy());

  it("returns a marked statement's rows as arrays in select order, the same text unmarked as objects", async () => {
    expect(await selectArrayRows(db.kysely, arrayRowsSql(SELECT), [])).toEqual([["a", "Ann", 1.5], ["b", null, 2]]);
    // The prepared-statement cache keeps the two apart (raw mode is a property of a statement).
    expect((await db.kysely.executeQuery(sql.raw(SELECT).compile(db.kysely))).rows).toEqual([{ id: "a", name: "Ann", score: 1.5 }, { id: "b", name: null, score: 2 }]);
    expect(await selectArrayRows(db.kysely, arrayRowsSql(`${SELECT} limit ?`), [1])).toEqual([["a", "Ann", 1.5]]);
  });

  it("works inside a transaction, and on writes the marker is only a comment", async () => {
    await db.kysely.transaction().execute(async (trx) => {
      await trx.executeQuery(sql.raw(arrayRowsSql("update sample set score = 3 where id = 'b'")).compile(trx));
      expect(await selectArrayRows(trx, arrayRowsSql("select score from sample where id = ?"), ["b"])).toEqual([[3]]);
    });
  });

  it("reads object rows from a driver that ignores the marker, in select order", async () => {
    const plain = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(":memory:") }) });
    try {
      await sql`create table t (z text, a integer)`.execute(plain);
      await sql`insert into t values ('last', 1)`.execute(plain);
      expect(await selectArrayRows(plain, arrayRowsSql("select z, a from t"), [])).toEqual([["last", 1]]);
    } finally {
      await plain.destroy();
    }
  });

  it("runs a kept plan's statement (prepared hint) with array rows too", async () => {
    expect(await selectArrayRows(db.kysely, arrayRowsSql(`${SELECT} limit ?`, { preparedAs: 7 }), [1])).toEqual([["a", "Ann", 1.5]]);
  });

  it("shows statements without their hints", () => {
    expect(withoutStatementHints(arrayRowsSql(SELECT))).toBe(SELECT);
    expect(withoutStatementHints(arrayRowsSql(SELECT, { preparedAs: 12 }))).toBe(SELECT);
    expect(withoutStatementHints(SELECT)).toBe(SELECT);
  });
});
