import { sql } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { oncePerDatabase } from "@/server/db/once-per-database";
import { mysqlTableCollation } from "@/server/objectql/schema/ddl-mysql";

/**
 * The outbox: email that flows sent while no SMTP server is configured, in the data database
 * beside the flow runs (`_os_mail_outbox`, every dialect), for admins to read in the studio.
 * A message's id is its run and step (`<run>:<seq>`): a resumed run that sends the same step
 * again adds nothing (the insert ignores a row that is already there).
 */

export const MAIL_OUTBOX_TABLE = "_os_mail_outbox";

export type OutboxMessage = {
  id: string;
  runId: string | null;
  flow: string | null;
  element: string | null;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  body: string;
  createdAt: string;
};

/** An arbitrary constant: the advisory lock under which PostgreSQL processes create the table. */
const OUTBOX_LOCK_KEY = 7_311_017;

async function createTable(db: DataDatabase): Promise<void> {
  if (db.dialect === "mysql") {
    const collation = sql.raw(await mysqlTableCollation(db.kysely));
    await sql`create table if not exists ${sql.id(MAIL_OUTBOX_TABLE)} (
      id varchar(120) not null primary key,
      run_id varchar(36) null,
      flow varchar(64) null,
      element varchar(64) null,
      from_address varchar(320) not null,
      to_addresses text not null,
      cc_addresses text not null,
      subject text not null,
      body longtext not null,
      created_at varchar(40) not null,
      index _os_mail_outbox_created (created_at)
    ) engine = InnoDB default charset = utf8mb4 collate = ${collation}`.execute(db.kysely);
    return;
  }
  const create = async (executor: typeof db.kysely) => {
    await sql`create table if not exists ${sql.id(MAIL_OUTBOX_TABLE)} (
      id text primary key,
      run_id text,
      flow text,
      element text,
      from_address text not null,
      to_addresses text not null,
      cc_addresses text not null,
      subject text not null,
      body text not null,
      created_at text not null
    )`.execute(executor);
    await sql`create index if not exists _os_mail_outbox_created on ${sql.id(MAIL_OUTBOX_TABLE)} (created_at)`.execute(executor);
  };
  if (db.dialect !== "postgres") return create(db.kysely);
  await db.kysely.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${OUTBOX_LOCK_KEY})`.execute(trx);
    await create(trx);
  });
}

const ensureOutboxTable: (db: DataDatabase) => Promise<void> = oncePerDatabase(createTable);

type Row = { id: string; run_id: string | null; flow: string | null; element: string | null; from_address: string; to_addresses: string; cc_addresses: string; subject: string; body: string; created_at: string };

function fromRow(row: Row): OutboxMessage {
  return {
    id: row.id, runId: row.run_id, flow: row.flow, element: row.element, from: row.from_address,
    to: JSON.parse(row.to_addresses) as string[], cc: JSON.parse(row.cc_addresses) as string[], subject: row.subject, body: row.body, createdAt: row.created_at,
  };
}

export class MailOutbox {
  constructor(
    private readonly db: DataDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  ready(): Promise<void> {
    return ensureOutboxTable(this.db);
  }

  /** Adds a message; a message with the same id already there is kept as it is (returns false). */
  async add(message: Omit<OutboxMessage, "createdAt">): Promise<boolean> {
    await this.ready();
    const values = {
      id: message.id, run_id: message.runId, flow: message.flow, element: message.element, from_address: message.from,
      to_addresses: JSON.stringify(message.to), cc_addresses: JSON.stringify(message.cc), subject: message.subject, body: message.body, created_at: this.clock().toISOString(),
    };
    const insert = this.db.kysely.insertInto(MAIL_OUTBOX_TABLE).values(values);
    const result = await (this.db.dialect === "mysql" ? insert.ignore() : insert.onConflict((conflict) => conflict.column("id").doNothing())).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Messages, newest first. */
  async list(options: { limit?: number; flow?: string } = {}): Promise<OutboxMessage[]> {
    await this.ready();
    let query = this.db.kysely.selectFrom(MAIL_OUTBOX_TABLE).selectAll();
    if (options.flow) query = query.where("flow", "=", options.flow);
    const rows = (await query.orderBy("created_at", "desc").orderBy("id", "desc").limit(options.limit ?? 100).execute()) as Row[];
    return rows.map(fromRow);
  }

  async get(id: string): Promise<OutboxMessage | null> {
    await this.ready();
    const row = (await this.db.kysely.selectFrom(MAIL_OUTBOX_TABLE).selectAll().where("id", "=", id).executeTakeFirst()) as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Deletes messages filed before `before` (retention); returns how many. */
  async prune(before: string): Promise<number> {
    await this.ready();
    const result = await this.db.kysely.deleteFrom(MAIL_OUTBOX_TABLE).where("created_at", "<", before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
