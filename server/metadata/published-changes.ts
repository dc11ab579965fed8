import "server-only";
import Database from "better-sqlite3";
import { sql } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";

/**
 * One truth for several processes. Every process caches published metadata (the object registry
 * and the plans compiled from it, the security model and the access derived from it, the data
 * sources and their external objects); `_os_published_change` holds one counter that the
 * database itself bumps, by triggers, in the same transaction as any change to what those
 * caches hold: a row of `_os_object_schema` (schema sync) or a document's published version
 * (publish, rollback publish, deletion of a published document). No code path can forget it,
 * whichever process or tool makes the change.
 *
 * Each request reads the counter first (getServices); when it moved, the process reloads its
 * caches before answering, so the very next request to any process sees a publish made
 * through another. Reading it is one primary-key row: on SQLite a synchronous read on a
 * read-only connection of its own (a few microseconds, and never the writer's uncommitted
 * state); on PostgreSQL one query, shared by the requests that arrive while it runs.
 */
export const PUBLISHED_CHANGE_TABLE = "_os_published_change";

/** Tables and conditions whose changes bump the counter (names as Prisma and schema sync create them). */
const WATCHED = [
  { table: "_os_object_schema", event: "insert", when: null },
  { table: "_os_object_schema", event: "update", when: null },
  { table: "_os_object_schema", event: "delete", when: null },
  { table: "MetadataDocument", event: "insert", when: `new."publishedVersion" is not null` },
  { table: "MetadataDocument", event: "update", when: `old."publishedVersion" is distinct from new."publishedVersion"` },
  { table: "MetadataDocument", event: "delete", when: `old."publishedVersion" is not null` },
] as const;

const triggerName = (watched: (typeof WATCHED)[number]) => `_os_published_change_${watched.table.toLowerCase()}_${watched.event}`;

/**
 * Creates the counter row and the triggers when missing (at every start, after the migrations:
 * a migration that rebuilds a table drops its triggers). Run under the startup lock on
 * PostgreSQL (server/db/migrate.ts) so concurrent starts do not race.
 */
export async function installPublishedChangeCounter(db: DataDatabase): Promise<void> {
  if (db.dialect === "mysql") throw new Error("The platform database is SQLite or PostgreSQL");
  await sql`create table if not exists ${sql.id(PUBLISHED_CHANGE_TABLE)} (id integer primary key, counter bigint not null)`.execute(db.kysely);
  await sql`insert into ${sql.id(PUBLISHED_CHANGE_TABLE)} (id, counter) select 1, 0 where not exists (select 1 from ${sql.id(PUBLISHED_CHANGE_TABLE)} where id = 1)`.execute(db.kysely);
  const bump = `update ${PUBLISHED_CHANGE_TABLE} set counter = counter + 1 where id = 1`;
  if (db.dialect === "sqlite") {
    for (const watched of WATCHED) {
      // SQLite spells "is distinct from" as "is not".
      const when = watched.when ? ` when ${watched.when.replace("is distinct from", "is not")}` : "";
      await sql.raw(`create trigger if not exists ${triggerName(watched)} after ${watched.event} on "${watched.table}" for each row${when} begin ${bump}; end`).execute(db.kysely);
    }
    return;
  }
  // The function keeps the search_path it was created with (the `?schema=` one), whatever the caller's.
  await sql.raw(`create or replace function _os_bump_published_change() returns trigger language plpgsql set search_path from current as $$ begin ${bump}; return null; end $$`).execute(db.kysely);
  const existing = new Set(
    (await sql<{ tgname: string }>`select tgname from pg_trigger where tgrelid in (to_regclass('"MetadataDocument"'), to_regclass('_os_object_schema'))`.execute(db.kysely)).rows.map((row) => row.tgname),
  );
  for (const watched of WATCHED) {
    if (existing.has(triggerName(watched))) continue;
    const when = watched.when ? ` when (${watched.when})` : "";
    await sql.raw(`create trigger ${triggerName(watched)} after ${watched.event} on "${watched.table}" for each row${when} execute function _os_bump_published_change()`).execute(db.kysely);
  }
}

/** Reads the counter: see the module comment for why each dialect reads it as it does. */
export type PublishedChangeCounter = { read(): Promise<number>; close(): void };

export function openPublishedChangeCounter(db: DataDatabase, sqliteFile: string | null): PublishedChangeCounter {
  const query = sql<{ counter: number | string }>`select counter from ${sql.id(PUBLISHED_CHANGE_TABLE)} where id = 1`;
  const readAsync = async () => Number((await query.execute(db.kysely)).rows[0]?.counter ?? 0);
  if (db.dialect === "sqlite" && sqliteFile) {
    const reader = new Database(sqliteFile, { readonly: true, fileMustExist: true });
    reader.pragma("busy_timeout = 5000");
    const statement = reader.prepare(`select counter from ${PUBLISHED_CHANGE_TABLE} where id = 1`).pluck();
    return { read: async () => Number(statement.get() ?? 0), close: () => reader.close() };
  }
  return { read: sharedReads(readAsync), close: () => undefined };
}

/**
 * Requests arriving while a read runs share the next one (which starts after that read ends,
 * so it sees every change committed before they arrived): at most one read in flight and one
 * queued, however many requests come at once.
 */
export function sharedReads(read: () => Promise<number>): () => Promise<number> {
  let running: Promise<number> | null = null;
  let queued: Promise<number> | null = null;
  const start = (): Promise<number> => {
    running = read().finally(() => {
      running = null;
    });
    return running;
  };
  return () => {
    if (!running) return start();
    queued ??= running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      queued = null;
      return start();
    });
    return queued;
  };
}

/**
 * Keeps one process's caches in line with the counter: `ensureCurrent()` (each request) reads
 * it and, when it moved since the caches were loaded, reloads them once (requests arriving
 * meanwhile wait for that reload rather than answer from the old definitions).
 */
export class PublishedMetadataSync {
  private applied: number;
  private reloading: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      counter: PublishedChangeCounter;
      /** Reloads every cache of published metadata in this process. */
      reload: () => Promise<void>;
      /** The counter value the caches were loaded at (read before loading them). */
      loadedAt: number;
    },
  ) {
    this.applied = deps.loadedAt;
  }

  /** The counter value this process's caches reflect. */
  get appliedCounter(): number {
    return this.applied;
  }

  async ensureCurrent(): Promise<void> {
    const seen = await this.deps.counter.read();
    if (seen <= this.applied) return;
    const run = this.reloading.then(() => this.reloadUpTo(seen));
    this.reloading = run.catch(() => undefined);
    await run;
  }

  private async reloadUpTo(seen: number): Promise<void> {
    if (seen <= this.applied) return; // an earlier reload already covered it
    // Read again before reloading: everything committed up to this value is in what we load.
    const current = await this.deps.counter.read();
    await this.deps.reload();
    this.applied = Math.max(this.applied, current);
  }
}
