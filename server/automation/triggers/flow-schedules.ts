import { sql, type Kysely } from "kysely";
import { nextCronTime } from "@/spec/cron";
import type { DataDatabase } from "@/server/db/data-db";
import { oncePerDatabase } from "@/server/db/once-per-database";
import { mysqlTableCollation } from "@/server/objectql/schema/ddl-mysql";

/**
 * When scheduled flows fire next, in the data database (`_os_flow_schedule`: one row per published
 * scheduled flow). Every worker process looks at the due rows each tick; firing a row is one
 * conditional update that moves `next_at` on (where it still holds the value the process read),
 * in the transaction that queues the flow's runs, so of any number of processes on any driver
 * exactly one fires each tick, and a crash before the commit fires it again on the next look.
 * A process that was down over several ticks fires once for them (the missed ticks are not
 * replayed one by one), then carries on from the next tick after now.
 *
 * Why not pg-boss's own scheduler on PostgreSQL: it keeps one schedule per queue and has no
 * SQLite or MySQL counterpart; this table is the same few statements on all three, tested alike.
 */

export const FLOW_SCHEDULE_TABLE = "_os_flow_schedule";
/** An arbitrary constant: the advisory lock under which PostgreSQL processes create the table. */
const SCHEDULE_TABLE_LOCK_KEY = 7_311_017;

export type FlowSchedule = { flow: string; cron: string; timezone: string };
export type ScheduleRow = FlowSchedule & { nextAt: string; lastFiredAt: string | null };

async function createTable(db: DataDatabase): Promise<void> {
  if (db.dialect === "mysql") {
    const collation = sql.raw(await mysqlTableCollation(db.kysely));
    await sql`create table if not exists ${sql.id(FLOW_SCHEDULE_TABLE)} (
      flow varchar(64) not null primary key,
      cron varchar(200) not null,
      timezone varchar(64) not null,
      next_at varchar(40) not null,
      last_fired_at varchar(40) null
    ) engine = InnoDB default charset = utf8mb4 collate = ${collation}`.execute(db.kysely);
    return;
  }
  const create = (k: Kysely<any>) => sql`create table if not exists ${sql.id(FLOW_SCHEDULE_TABLE)} (
    flow text primary key,
    cron text not null,
    timezone text not null,
    next_at text not null,
    last_fired_at text
  )`.execute(k);
  if (db.dialect !== "postgres") return void (await create(db.kysely));
  await db.kysely.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${SCHEDULE_TABLE_LOCK_KEY})`.execute(trx);
    await create(trx);
  });
}

const ensureScheduleTable: (db: DataDatabase) => Promise<void> = oncePerDatabase(createTable);

type Row = { flow: string; cron: string; timezone: string; next_at: string; last_fired_at: string | null };
const fromRow = (row: Row): ScheduleRow => ({ flow: row.flow, cron: row.cron, timezone: row.timezone, nextAt: row.next_at, lastFiredAt: row.last_fired_at });

export class FlowScheduleStore {
  constructor(
    private readonly db: DataDatabase,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  ready(): Promise<void> {
    return ensureScheduleTable(this.db);
  }

  /**
   * Makes the table say what the published flows say: a new schedule, or one whose cron or time
   * zone changed, fires first at its next tick after now; rows of flows no longer scheduled go.
   * Every process runs this after a publish; the conditional writes make them agree.
   */
  async sync(schedules: readonly FlowSchedule[]): Promise<void> {
    await this.ready();
    const now = this.clock();
    const current = new Map((await this.list()).map((row) => [row.flow, row]));
    for (const schedule of schedules) {
      const row = current.get(schedule.flow);
      current.delete(schedule.flow);
      if (row && row.cron === schedule.cron && row.timezone === schedule.timezone) continue;
      const nextAt = nextCronTime(schedule.cron, schedule.timezone, now).toISOString();
      if (row) {
        await this.db.kysely.updateTable(FLOW_SCHEDULE_TABLE).set({ cron: schedule.cron, timezone: schedule.timezone, next_at: nextAt })
          .where("flow", "=", schedule.flow).where("cron", "=", row.cron).where("timezone", "=", row.timezone).execute();
      } else {
        await this.insertIfAbsent({ ...schedule, nextAt });
      }
    }
    if (current.size > 0) await this.db.kysely.deleteFrom(FLOW_SCHEDULE_TABLE).where("flow", "in", [...current.keys()]).execute();
  }

  /** Another process may insert the same flow's row at the same moment: the first one stays. */
  private async insertIfAbsent(row: FlowSchedule & { nextAt: string }): Promise<void> {
    const values = { flow: row.flow, cron: row.cron, timezone: row.timezone, next_at: row.nextAt, last_fired_at: null };
    if (this.db.dialect === "mysql") await this.db.kysely.insertInto(FLOW_SCHEDULE_TABLE).ignore().values(values).execute();
    else await this.db.kysely.insertInto(FLOW_SCHEDULE_TABLE).values(values).onConflict((conflict) => conflict.column("flow").doNothing()).execute();
  }

  async list(): Promise<ScheduleRow[]> {
    await this.ready();
    return ((await this.db.kysely.selectFrom(FLOW_SCHEDULE_TABLE).selectAll().orderBy("flow").execute()) as Row[]).map(fromRow);
  }

  /** Schedules whose next tick is at or before now. */
  async due(): Promise<ScheduleRow[]> {
    await this.ready();
    const now = this.clock().toISOString();
    return ((await this.db.kysely.selectFrom(FLOW_SCHEDULE_TABLE).selectAll().where("next_at", "<=", now).orderBy("next_at").execute()) as Row[]).map(fromRow);
  }

  /**
   * Takes a due tick for this process, inside the caller's transaction: moves `next_at` to the
   * schedule's next tick after now. False when another process took it first.
   */
  async take(row: ScheduleRow, executor: Kysely<any>): Promise<boolean> {
    const nextAt = nextCronTime(row.cron, row.timezone, this.clock()).toISOString();
    const result = await executor.updateTable(FLOW_SCHEDULE_TABLE).set({ next_at: nextAt, last_fired_at: row.nextAt })
      .where("flow", "=", row.flow).where("next_at", "=", row.nextAt).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
