import pg from "pg";
import { splitPostgresSchema } from "./data-db";

/**
 * Why the server cannot start with its DATABASE_URL, in one line that says what to do (boot
 * prints it without a stack trace). Never carries the URL's password.
 */
export class DatabaseStartupError extends Error {
  override name = "DatabaseStartupError";
}

/** What to call the database in messages: user@host:port/database, without the password. */
function describeTarget(url: URL): { where: string; user: string; database: string } {
  const user = decodeURIComponent(url.username) || process.env.PGUSER || "the default user";
  const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || user;
  return { where: `${url.hostname}:${url.port || "5432"}`, user, database };
}

/**
 * Connects once before anything else and creates the `?schema=` schema when it does not exist
 * yet (as Prisma's own tools do); a database that does not exist, a refused login or an
 * unreachable server becomes a DatabaseStartupError naming the fix.
 */
export async function preparePostgresDatabase(databaseUrl: string): Promise<void> {
  const { connectionString, schema } = splitPostgresSchema(databaseUrl);
  const target = describeTarget(new URL(connectionString));
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  // A connection that breaks after connect emits 'error'; the query below reports it.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new DatabaseStartupError(connectFailure(error, target));
  }
  try {
    if (schema) await createSchemaIfMissing(client, schema, target);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createSchemaIfMissing(client: pg.Client, schema: string, target: ReturnType<typeof describeTarget>): Promise<void> {
  const exists = await client.query("select 1 from pg_namespace where nspname = $1", [schema]);
  if (exists.rowCount) return;
  try {
    // The name was checked to be a plain identifier (splitPostgresSchema); quoted to keep its case.
    await client.query(`create schema if not exists "${schema}"`);
  } catch (error) {
    const code = (error as { code?: string }).code;
    // Two processes creating it at once: the other one won.
    if (code === "23505" || code === "42P06") return;
    if (code === "42501") {
      throw new DatabaseStartupError(
        `DATABASE_URL: user "${target.user}" may not create schema "${schema}" in database "${target.database}": create it once as its owner (CREATE SCHEMA "${schema}" AUTHORIZATION "${target.user}";) or grant CREATE on the database`,
      );
    }
    throw error;
  }
}

function connectFailure(error: unknown, target: ReturnType<typeof describeTarget>): string {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  const reason = message ?? String(error);
  switch (code) {
    case "3D000":
      return `DATABASE_URL: database "${target.database}" does not exist on ${target.where}: create it (createdb -h ${target.where.split(":")[0]} "${target.database}", or CREATE DATABASE "${target.database}";) or name an existing database`;
    case "28P01":
    case "28000":
      return `DATABASE_URL: PostgreSQL at ${target.where} refused the login of user "${target.user}" to database "${target.database}" (${reason}): check the user name and password in DATABASE_URL, and that pg_hba.conf lets this host connect`;
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
      return `DATABASE_URL: cannot reach PostgreSQL at ${target.where} (${code}): is the server running, and are the host and port in DATABASE_URL right?`;
    default:
      return `DATABASE_URL: cannot connect to PostgreSQL at ${target.where} as "${target.user}" (${code ? `${code}: ` : ""}${reason})`;
  }
}
