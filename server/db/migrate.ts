import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DataDatabase } from "./data-db";
import { sql } from "kysely";

/**
 * Applies the platform's Prisma-generated SQL migrations (prisma/migrations/<dialect>/*), each
 * in its own transaction, recording them in `_os_migrations`. We run our own because Prisma's
 * `migrate deploy` cannot run offline on PostgreSQL here (see ../shared/STACK.md).
 */
export async function applyPlatformMigrations(db: DataDatabase, migrationsRoot = join(/*turbopackIgnore: true*/ process.cwd(), "prisma/migrations")) {
  const dir = join(migrationsRoot, db.dialect);
  await sql`create table if not exists _os_migrations (name varchar(255) primary key, applied_at varchar(40) not null)`.execute(db.kysely);
  const applied = new Set(
    (await sql<{ name: string }>`select name from _os_migrations`.execute(db.kysely)).rows.map((row) => row.name),
  );
  const pending = readdirSync(/*turbopackIgnore: true*/ dir).filter((name) => /^\d{14}_/.test(name) && !applied.has(name)).sort();
  for (const name of pending) {
    const script = readFileSync(/*turbopackIgnore: true*/ join(dir, name, "migration.sql"), "utf8");
    await db.kysely.transaction().execute(async (trx) => {
      for (const statement of splitStatements(script)) await sql.raw(statement).execute(trx);
      await sql`insert into _os_migrations (name, applied_at) values (${name}, ${new Date().toISOString()})`.execute(trx);
    });
  }
  return pending;
}

/** Prisma's migration scripts hold one statement per `;`-terminated block and no procedures. */
function splitStatements(script: string): string[] {
  return script
    .split(/;\s*$/m)
    .map((statement) => statement.replace(/^\s*--.*$/gm, "").trim())
    .filter((statement) => statement.length > 0);
}

/** An arbitrary constant: the advisory lock every ObjectStudio process takes while it sets the database up. */
const STARTUP_LOCK_KEY = 7_311_013;

/**
 * Runs `setup` (migrations, triggers, the demo seed) while no other process does: on PostgreSQL
 * under a session advisory lock, so several web processes started at once (WEB_CONCURRENCY,
 * or several hosts) apply each migration once and seed once. On SQLite the processes share a
 * file on one machine and `npm start` starts the first alone (scripts/start.mjs), so a SQLite
 * write lock held across this async work is neither needed nor possible.
 */
export async function withStartupLock<T>(db: DataDatabase, setup: () => Promise<T>): Promise<T> {
  if (db.dialect !== "postgres") return setup();
  return db.kysely.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${STARTUP_LOCK_KEY})`.execute(connection);
    try {
      return await setup();
    } finally {
      await sql`select pg_advisory_unlock(${STARTUP_LOCK_KEY})`.execute(connection);
    }
  });
}
