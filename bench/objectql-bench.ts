import { randomUUID } from "node:crypto";
import { CompiledQuery, sql } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { ObjectRegistry, createObjectQL, type ObjectQL, type SecurityContext } from "@/server/objectql";
import { SlowQueryLog } from "@/server/objectql/query/slow-query-log";
import { STATUSES, createBenchSchema, loadBenchRows } from "./bench-data";
import { compareMedians, formatMs, median, runsFor } from "./measure";
import type { AggregateQueryInput, FindQueryInput } from "@/spec/query";

const ctx: SecurityContext = { kind: "system" };

/** The list case: filter + sort + limit 50 with two dotted fields. */
export const LIST_QUERY: FindQueryInput = {
  object: "ticket",
  select: ["subject", "status", "opened", "assignee.name", "assignee.department"],
  filter: {
    and: [
      { field: "status", operator: "in", value: ["open", "in_progress"] },
      { field: "assignee.department", operator: "=", value: "Engineering" },
    ],
  },
  orderBy: [{ field: "opened", direction: "desc" }],
  limit: 50,
};

/** The group-by case: count/sum/avg over a lookup path. */
export const GROUP_BY_QUERY: AggregateQueryInput = {
  object: "ticket",
  groupBy: [{ field: "assignee.department" }],
  aggregate: [
    { function: "count", alias: "tickets" },
    { function: "sum", field: "amount", alias: "total" },
    { function: "avg", field: "priority", alias: "avg_priority" },
  ],
  orderBy: [{ field: "assignee.department", direction: "asc" }],
};

export type BenchOptions = { tickets: number; people: number; runs: number; bulkRows: number };
export type BenchLine = { driver: string; name: string; objectqlMs: number; sqlMs: number; ratio: number };

/**
 * ObjectQL against the equivalent hand-written SQL through the same driver and connection, on
 * the same data, timed interleaved; prints one line per case:
 * `bench objectql <driver> <case> objectql_ms=<median> sql_ms=<median> ratio=<r>`.
 * The hand-written SQL returns the same columns ObjectQL returns (system columns included), as
 * a developer would write to get that result.
 */
export async function runObjectQLBench(db: DataDatabase, driver: string, options: BenchOptions): Promise<BenchLine[]> {
  const k = db.kysely;
  const started = performance.now();
  await createBenchSchema(db);
  await loadBenchRows(db, options.people, options.tickets);
  console.log(`bench setup ${driver}: ${options.tickets} tickets, ${options.people} people in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const registry = new ObjectRegistry(db);
  await registry.reload();
  // The bench's big queries are slow by design: keep them out of the slow-query log.
  const ql: ObjectQL = createObjectQL({ db, registry, queryLog: new SlowQueryLog({ thresholdMs: Number.POSITIVE_INFINITY }) });
  const lines: BenchLine[] = [];
  const report = (name: string, result: { a: number; b: number }) => {
    const line = { driver, name, objectqlMs: result.a, sqlMs: result.b, ratio: result.a / result.b };
    lines.push(line);
    console.log(`bench objectql ${driver} ${name} objectql_ms=${formatMs(line.objectqlMs)} sql_ms=${formatMs(line.sqlMs)} ratio=${line.ratio.toFixed(2)}`);
  };

  // ObjectQL sorts NULL as the largest value on every driver (PostgreSQL's default); SQLite's
  // default is the opposite, so the equivalent hand-written queries say so.
  const nullsFirst = sql.raw(db.dialect === "sqlite" ? " nulls first" : "");

  // 1. list: filter + sort + limit 50, with two dotted fields.
  const listSql = () =>
    sql`select t.id, t.created_at, t.updated_at, t.created_by, t.updated_by, t.owner_id, t.subject, t.status, t.opened,
           a.name as ${sql.id("assignee.name")}, a.department as ${sql.id("assignee.department")}
         from obj_ticket t left join obj_person a on a.id = t.assignee
         where t.status in (${"open"}, ${"in_progress"}) and a.department = ${"Engineering"}
         order by t.opened desc${nullsFirst}, t.id desc limit ${50}`.execute(k);
  report("list", await compareMedians(() => ql.find(ctx, LIST_QUERY), listSql, await runsFor(listSql, options.runs)));

  // 2. keyset page deep in the table: the page after the row at ~90% of (opened desc, id desc).
  const deep = Math.floor(options.tickets * 0.9);
  const anchor = (await sql.raw(`select id from obj_ticket order by opened desc, id desc limit 1 offset ${deep}`).execute(k)).rows[0] as { id: string };
  const anchorRecord = await ql.findOne(ctx, "ticket", anchor.id);
  if (!anchorRecord) throw new Error("bench: anchor row missing");
  // A one-row page at the anchor's offset: its nextCursor continues right after the anchor (a
  // cursor belongs to its query's sort, filter and search, so this is the same query as paged below).
  const keysetQuery = { object: "ticket", select: ["subject", "status", "opened"], orderBy: [{ field: "opened", direction: "desc" as const }] };
  const anchorPage = await ql.find(ctx, { ...keysetQuery, limit: 1, offset: deep });
  if (anchorPage.records[0]?.id !== anchor.id || !anchorPage.nextCursor) throw new Error("bench: could not position the cursor");
  const cursor = anchorPage.nextCursor;
  const anchorOpened = String(anchorRecord.opened);

  report(
    "keyset_deep",
    await compareMedians(
      () => ql.find(ctx, { ...keysetQuery, limit: 50, cursor }),
      () =>
        sql`select t.id, t.created_at, t.updated_at, t.created_by, t.updated_by, t.owner_id, t.subject, t.status, t.opened
            from obj_ticket t
            where t.opened <= ${anchorOpened} and (t.opened < ${anchorOpened} or t.id < ${anchor.id})
            order by t.opened desc${nullsFirst}, t.id desc limit ${50}`.execute(k),
      // Sub-millisecond: many runs after a warm-up (a server runs these hot) give a steady median.
      options.runs * 20,
      20,
    ),
  );

  // 3. group-by with count/sum/avg over a lookup path.
  report(
    "group_by",
    await compareMedians(
      () =>
        ql.aggregate(ctx, GROUP_BY_QUERY),
      () =>
        sql`select a.department as ${sql.id("assignee.department")}, count(*) as tickets, sum(t.amount) as total, avg(t.priority) as avg_priority
            from obj_ticket t left join obj_person a on a.id = t.assignee
            group by a.department order by a.department asc`.execute(k),
      Math.max(3, Math.floor(options.runs / 3)),
      1,
    ),
  );

  // 4. single record by id.
  const someId = `t${String(Math.floor(options.tickets / 2)).padStart(7, "0")}`;
  report(
    "by_id",
    await compareMedians(
      () => ql.findOne(ctx, "ticket", someId),
      () =>
        sql`select t.id, t.created_at, t.updated_at, t.created_by, t.updated_by, t.owner_id, t.subject, t.status, t.priority, t.amount, t.opened, t.assignee, a.name as assignee__name
            from obj_ticket t left join obj_person a on a.id = t.assignee where t.id = ${someId}`.execute(k),
      options.runs * 20,
      20,
    ),
  );

  // 5. bulk insert of N rows in one transaction (ObjectQL validates every row; SQL does not).
  const bulkCtx: SecurityContext = { kind: "user", userId: "bench-bulk", role: "user" };
  const bulkRows = Array.from({ length: options.bulkRows }, (_, i) => ({
    subject: `Bulk ${i}`,
    status: STATUSES[i % STATUSES.length],
    priority: (i % 5) + 1,
    amount: (i % 1000) / 10,
    opened: "2026-01-01",
    assignee: `p${String((i % options.people) + 1).padStart(5, "0")}`,
  }));
  const removeBulk = () => sql`delete from obj_ticket where created_by = 'bench-bulk'`.execute(k);
  // Hand-written: multi-row INSERT statements of as many rows as the bound-parameter limit allows.
  const bulkColumns = ["id", "created_at", "updated_at", "created_by", "updated_by", "owner_id", "subject", "status", "priority", "amount", "opened", "assignee"];
  const perStatement = Math.floor(30_000 / bulkColumns.length);
  const placeholders = (rows: number) =>
    Array.from({ length: rows }, (_, row) =>
      `(${bulkColumns.map((_column, column) => (db.dialect === "postgres" ? `$${row * bulkColumns.length + column + 1}` : "?")).join(", ")})`).join(", ");
  const sqlBulk = () =>
    k.transaction().execute(async (trx) => {
      const now = db.dialect === "mysql" ? new Date() : new Date().toISOString();
      for (let start = 0; start < bulkRows.length; start += perStatement) {
        const chunk = bulkRows.slice(start, start + perStatement);
        const values = chunk.flatMap((row) => [randomUUID(), now, now, "bench-bulk", "bench-bulk", "bench-bulk", row.subject, row.status, row.priority, row.amount, row.opened, row.assignee]);
        await trx.executeQuery(CompiledQuery.raw(`insert into obj_ticket (${bulkColumns.join(", ")}) values ${placeholders(chunk.length)}`, values));
      }
    });
  const qlBulk = () => ql.insertMany(bulkCtx, "ticket", bulkRows);
  const times: Record<"ql" | "sql", number[]> = { ql: [], sql: [] };
  // One unmeasured run of each, then four each in A B B A order: on SQLite whichever side ran
  // first in every pair came out slower (the same inserts, A B B A: 1.09 where A B A B said 1.28).
  for (const side of ["ql", "sql", "ql", "sql", "sql", "ql", "ql", "sql", "sql", "ql"] as const) {
    await removeBulk();
    const start = performance.now();
    await (side === "ql" ? qlBulk() : sqlBulk());
    times[side].push(performance.now() - start);
  }
  const qlTimes = times.ql.slice(1);
  const sqlTimes = times.sql.slice(1);
  await removeBulk();
  // The runs left a million deleted rows behind; on PostgreSQL they stay in the table and its
  // indexes (newest `opened`, where the list starts) until a vacuum, whenever autovacuum gets to
  // it. The benches that follow measure the table as it is in steady state, not that moment.
  if (db.dialect === "postgres") await sql`vacuum analyze obj_ticket`.execute(k);
  report(`bulk_insert_${options.bulkRows}`, { a: median(qlTimes), b: median(sqlTimes) });

  return lines;
}
