import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { PG_TEST_URL, requireTestServer } from "@/server/objectql/test-support/test-databases";
import { createServices } from "@/server/services";
import { DatabaseStartupError, preparePostgresDatabase } from "./postgres-startup";

const skipReason = await requireTestServer("postgres");

async function admin(text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: PG_TEST_URL });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

function urlWith(change: (url: URL) => void): string {
  const url = new URL(PG_TEST_URL);
  change(url);
  return url.toString();
}

async function startupError(databaseUrl: string): Promise<DatabaseStartupError> {
  const error = await createServices(databaseUrl).then(
    () => new Error("expected the start to fail"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DatabaseStartupError);
  const message = (error as Error).message;
  expect(message).not.toContain("\n");
  return error as DatabaseStartupError;
}

describe.skipIf(skipReason !== null)("starting on PostgreSQL", () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await admin(`drop schema if exists "${schema}" cascade`);
  });

  it("creates a ?schema= that does not exist, then migrates into it", async () => {
    const schema = `t_start_${Date.now().toString(36)}`;
    schemas.push(schema);
    const url = urlWith((u) => u.searchParams.set("schema", schema));
    const services = await createServices(url);
    try {
      const tables = await admin("select table_name from information_schema.tables where table_schema = $1", [schema]);
      expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(["User", "MetadataDocument", "_os_migrations", "_os_published_change"]));
      await preparePostgresDatabase(url); // exists now: nothing to do
    } finally {
      await services.close();
    }
  });

  it("names a database that does not exist and how to create it", async () => {
    const error = await startupError(urlWith((u) => (u.pathname = "/objectstudio_no_such_database")));
    expect(error.message).toMatch(/^DATABASE_URL: database "objectstudio_no_such_database" does not exist on 127\.0\.0\.1:5432: create it \(createdb/);
  });

  it("names a refused login without showing the password", async () => {
    const error = await startupError(urlWith((u) => {
      u.username = "objectstudio_nobody";
      u.password = "s3cret-value";
    }));
    expect(error.message).toMatch(/refused the login of user "objectstudio_nobody" to database "test"/);
    expect(error.message).toMatch(/check the user name and password in DATABASE_URL/);
    expect(error.message).not.toContain("s3cret-value");
  });

  it("names a server that does not answer", async () => {
    const error = await startupError("postgres://postgres@127.0.0.1:1/test");
    expect(error.message).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1 \(ECONNREFUSED\): is the server running/);
  });

  it("names a schema the user may not create", async () => {
    const role = `os_limited_${Date.now().toString(36)}`;
    // A new role has no CREATE on the database (PostgreSQL grants it to the owner only).
    await admin(`create role ${role} login`);
    try {
      const error = await startupError(urlWith((u) => {
        u.username = role;
        u.searchParams.set("schema", `${role}_schema`);
      }));
      expect(error.message).toMatch(new RegExp(`user "${role}" may not create schema "${role}_schema"`));
    } finally {
      await admin(`drop role ${role}`);
    }
  });
});
