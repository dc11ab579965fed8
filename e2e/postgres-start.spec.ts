import { expect, test } from "@playwright/test";
import { BASE_PORT, PG_URL, postgresAdmin, postgresUnavailable, startServer, waitUntilHealthy, withSchema } from "./server-processes";

/**
 * `DATABASE_URL=postgres://…?schema=name npm start`, as the README offers: a schema that does not
 * exist yet is created; a database that does not exist or a refused login ends the start with
 * one line saying what to do, and no stack trace.
 */
test.describe("starting on PostgreSQL", () => {
  let skipReason: string | null = null;
  test.beforeAll(async () => {
    skipReason = await postgresUnavailable();
  });

  test("a ?schema= that does not exist yet is created, migrated and seeded", async () => {
    // Skips only where no PostgreSQL answers (a user's machine); under CI postgresUnavailable() throws instead.
    test.skip(skipReason !== null, skipReason ?? "");
    test.setTimeout(300_000);
    const schema = `e2e_start_${Date.now().toString(36)}`;
    const server = startServer({ port: BASE_PORT + 11, databaseUrl: withSchema(schema) });
    try {
      await waitUntilHealthy(server);
      const health = await (await fetch(`${server.url}/api/health`)).json();
      expect(health.database).toMatchObject({ status: "ok", dialect: "postgres" });
      const tables = await postgresAdmin<{ count: string }>("select count(*) from information_schema.tables where table_schema = $1 and table_name in ('User', 'MetadataDocument', 'obj_account')", [schema]);
      expect(Number(tables.rows[0]!.count)).toBe(3);
      expect(server.output()).not.toContain("no schema has been selected");
    } finally {
      await server.stop();
      await postgresAdmin(`drop schema if exists "${schema}" cascade`);
    }
  });

  for (const [what, databaseUrl, expected] of [
    ["a database that does not exist", PG_URL.replace(/\/[^/?]*(\?|$)/, "/objectstudio_missing_db$1"), /database "objectstudio_missing_db" does not exist .*: create it/],
    ["a login the server refuses", PG_URL.replace(/\/\/[^@/]*@/, "//objectstudio_no_such_user@"), /refused the login of user "objectstudio_no_such_user".*check the user name and password/],
    ["a server that does not answer", "postgres://postgres@127.0.0.1:1/test", /cannot reach PostgreSQL at 127\.0\.0\.1:1 .*is the server running/],
  ] as const) {
    test(`${what} stops the start with one line saying what to do`, async () => {
      // Skips only where no PostgreSQL answers (a user's machine); under CI postgresUnavailable() throws instead.
      test.skip(skipReason !== null, skipReason ?? "");
      test.setTimeout(120_000);
      const server = startServer({ port: BASE_PORT + 12, databaseUrl });
      const code = await Promise.race([server.exited, new Promise<"running">((done) => setTimeout(() => done("running"), 60_000))]);
      await server.stop();
      expect(code, server.output()).toBe(1);
      const lines = server.output().split("\n").filter((line) => line.includes("ObjectStudio cannot start"));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      expect(server.output()).not.toMatch(/^\s+at /m); // no stack trace
    });
  }
});
