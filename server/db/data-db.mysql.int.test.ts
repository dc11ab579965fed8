import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataDatabase, type DataDatabase } from "./data-db";
import { mysqlTestDatabase, requireTestServer } from "@/server/objectql/test-support/test-databases";

const unavailable = await requireTestServer("mysql");

describe.skipIf(unavailable !== null)("MySQL data database (mysql2 pool)", () => {
  let fresh: Awaited<ReturnType<typeof mysqlTestDatabase>>;
  let db: DataDatabase;

  beforeAll(async () => {
    fresh = await mysqlTestDatabase();
    db = createDataDatabase(fresh.url);
  });
  afterAll(async () => {
    await db?.destroy();
    await fresh?.cleanup();
  });

  it("decodes DATE as text, DECIMAL and BIGINT as numbers, TINYINT(1) as boolean, DATETIME in UTC, JSON as text", async () => {
    expect(db.dialect).toBe("mysql");
    await sql`create table sample (id int primary key, d date, n decimal(18, 2), b tinyint(1), t datetime(3), j json, big bigint, s varchar(20))`.execute(db.kysely);
    await db.kysely
      .insertInto("sample")
      .values({ id: 1, d: "2024-02-29", n: 10.25, b: 1, t: "2024-05-01 07:30:00.123", j: JSON.stringify({ a: [1, "x"] }), big: 9007199254740991, s: "Ünïcødé 😀" })
      .execute();
    const row = await db.kysely.selectFrom("sample").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
    expect(row).toEqual({
      id: 1, d: "2024-02-29", n: 10.25, b: true, t: new Date("2024-05-01T07:30:00.123Z"), j: expect.any(String), big: 9007199254740991, s: "Ünïcødé 😀",
    });
    expect(JSON.parse(row.j as string)).toEqual({ a: [1, "x"] });
    const count = await db.kysely.selectFrom("sample").select(sql<number>`count(*)`.as("c")).executeTakeFirstOrThrow();
    expect(count.c).toBe(1);
  });

  it("runs the session in strict mode and UTC, and parameterised statements as prepared statements", async () => {
    await db.kysely.connection().execute(async (connection) => {
      const session = await sql<{ mode: string; zone: string }>`select @@session.sql_mode as mode, @@session.time_zone as zone`.execute(connection);
      expect(session.rows[0].mode).toContain("STRICT_ALL_TABLES");
      expect(session.rows[0].zone).toBe("+00:00");
      const prepared = async () => Number((await sql<{ Value: string }>`show session status like 'Com_stmt_execute'`.execute(connection)).rows[0].Value);
      const before = await prepared();
      await connection.selectFrom("sample").select("id").where("id", "=", 1).execute();
      await connection.selectFrom("sample").select("id").where("id", "=", 2).execute();
      expect(await prepared()).toBe(before + 2);
    });
    // Strict mode: a value that does not fit is an error, not a silent truncation.
    await expect(db.kysely.insertInto("sample").values({ id: 2, s: "x".repeat(21) }).execute()).rejects.toThrow(/too long/i);
  });
});
