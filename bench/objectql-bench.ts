import { randomUUID } from "node:crypto";
import { CompiledQuery, sql, type RawBuilder } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { arrayRowsSql, nextPlanNumber, selectArrayRows } from "@/server/db/statement-hints";
import { ObjectRegistry, createObjectQL, type ObjectQL, type SecurityContext } from "@/server/objectql";
import { SlowQueryLog } from "@/server/objectql/query/slow-query-log";
import { STATUSES, createBenchSchema, loadBenchRows } from "./bench-data";
import { formatMs, formatRatio, median, runsFor, timeSides } from "./measure";
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

/** The selective list: one assignee's open tickets (about 40 of a million). */
export const LIST_SELECTIVE_QUERY: FindQueryInput = {
  object: "ticket",
  select: ["subject", "status", "opened", "assignee.name"],
  filter: {
    and: [
      { field: "assignee", operator: "=", value: "p00042" },
      { field: "status", operator: "in", value: ["open", "in_progress"] },
    ],
  },
  orderBy: [{ field: "opened", direction: "desc" }],
  limit: 50,
};

/** The unselective list: four statuses of five. */
export const LIST_UNSELECTIVE_QUERY: FindQueryInput = {
  ...LIST_SELECTIVE_QUERY,
  filter: { field: "status", operator: "in", value: ["open", "in_progress", "blocked", "done"] },
};

/** Sorted on a lookup path, no filter. */
export const SORT_LOOKUP_QUERY: FindQueryInput = {
  object: "ticket",
  select: ["subject", "status", "assignee.name"],
  orderBy: [{ field: "assignee.name", direction: "asc" }],
  limit: 50,
};

/** Search (the term is the case's) plus sort. */
export const SEARCH_QUERY: FindQueryInput = { object: "ticket", select: ["subject", "status", "opened"], orderBy: [{ field: "opened", direction: "desc" }], limit: 50 };

/** A page at an offset (the case's), newest first. */
export const OFFSET_QUERY: FindQueryInput = { object: "ticket", select: ["subject", "status", "opened", "assignee.name"], orderBy: [{ field: "opened", direction: "desc" }], limit: 50 };

/** The group-by for one owner's tickets (1 in 101). */
export const GROUP_BY_SELECTIVE_QUERY: AggregateQueryInput = { ...GROUP_BY_QUERY, filter: { field: "owner_id", operator: "=", value: "u042" } };

export type BenchOptions = {
  tickets: number;
  people: number;
  runs: number;
  bulkRows: number;
  /** Only these cases (`--case`; bulk_insert for the bulk insert); all when absent. */
  cases?: Set<string>;
};
export type BenchLine = { driver: string; name: string; objectqlMs: number; sqlMs: number; bestMs: number; ratio: number; ratioBest: number; list: boolean };

/** Rows as arrays of column values, in select order. */
type Rows = unknown[][];

/** A hand-written statement, run as ObjectQL runs its own (see `handWritten`). */
type HandQuery = (run: number) => Promise<Rows>;

type ReadCase = {
  name: string;
  /** A list (a sorted, limited find): these must be within 3x PostgreSQL on SQLite (issue 15). */
  list: boolean;
  /** The engine call, timed alone (its result is turned into rows only for the row check). */
  objectql: (run: number) => Promise<unknown>;
  /** The call's result as rows (default: a find's records, their values in order). */
  rows?: (result: never) => Rows;
  /** The query as a developer writes it. */
  plain: HandQuery;
  /** Hand-tuned forms of it (forced index, disabled index, join order); counted only with the same rows. */
  variants: { name: string; query: HandQuery }[];
  runs: number;
  warmup: number;
};

/** Warm-up calls of every side of a sub-20 ms case (see listTiming). */
const HOT_WARMUP = 50;

/** The run number a case's row check uses: past every warm-up and timed run, so fresh values stay fresh. */
const CHECK_RUN = 1_000_000;

/** Values as both sides' drivers may give them: numbers from numeric text, dates as ISO text, floats to 12 digits. */
function comparable(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "bigint") return Number(value);
  if (typeof value === "number") return Number(value.toPrecision(12));
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value)) return Number(Number(value).toPrecision(12));
  return value;
}

function sameRows(a: Rows, b: Rows): string | null {
  if (a.length !== b.length) return `${a.length} rows against ${b.length}`;
  for (let row = 0; row < a.length; row++) {
    const left = JSON.stringify(a[row]!.map(comparable));
    const right = JSON.stringify(b[row]!.map(comparable));
    if (left !== right) return `row ${row + 1}: ${left} against ${right}`;
  }
  return null;
}

/**
 * ObjectQL against the equivalent hand-written SQL through the same driver and connection, on
 * the same data, timed interleaved; prints one line per case:
 * `bench objectql <driver> <case> objectql_ms=<median> sql_ms=<median> best_ms=<median> ratio=<r> ratio_best=<r>`.
 *
 * Like with like: the hand-written SQL returns the same columns ObjectQL returns (system columns
 * included) and runs with the driver settings ObjectQL's own statements get: rows as arrays
 * (better-sqlite3 raw statements, pg `rowMode: 'array'`), a named prepared statement on
 * PostgreSQL, the prepared statement reused on SQLite. Before timing, every side's rows are
 * checked equal to ObjectQL's; a plain query that differs fails the case (loudly, exit code 1).
 * `best_ms` is the fastest of the plain query and its hand-tuned variants (those with equal rows):
 * what the data needs, not only what a naive query costs.
 */
export async function runObjectQLBench(db: DataDatabase, driver: string, options: BenchOptions): Promise<BenchLine[]> {
  const k = db.kysely;
  const sqlite = db.dialect === "sqlite";
  const started = performance.now();
  await createBenchSchema(db);
  await loadBenchRows(db, options.people, options.tickets);
  console.log(`bench setup ${driver}: ${options.tickets} tickets, ${options.people} people in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const registry = new ObjectRegistry(db);
  await registry.reload();
  // The bench's big queries are slow by design: keep them out of the slow-query log.
  const ql: ObjectQL = createObjectQL({ db, registry, queryLog: new SlowQueryLog({ thresholdMs: Number.POSITIVE_INFINITY }) });
  const lines: BenchLine[] = [];
  const report = (name: string, list: boolean, objectqlMs: number, sqlMs: number, bestMs: number) => {
    const line = { driver, name, objectqlMs, sqlMs, bestMs, ratio: objectqlMs / sqlMs, ratioBest: objectqlMs / bestMs, list };
    lines.push(line);
    console.log(
      `bench objectql ${driver} ${name} objectql_ms=${formatMs(objectqlMs)} sql_ms=${formatMs(sqlMs)} best_ms=${formatMs(bestMs)} ratio=${formatRatio(line.ratio)} ratio_best=${formatRatio(line.ratioBest)}`,
    );
  };

  /** A hand-written query with ObjectQL's driver settings: array rows, and prepared (named on PostgreSQL). */
  const handWritten = (query: RawBuilder<unknown>, parameters?: (run: number) => readonly unknown[]): HandQuery => {
    const compiled = query.compile(k);
    const text = arrayRowsSql(compiled.sql, { preparedAs: nextPlanNumber() });
    return (run) => selectArrayRows(k, text, parameters ? parameters(run) : compiled.parameters);
  };
  const records = (result: { records: Record<string, unknown>[] }): Rows => result.records.map((record) => Object.values(record));
  const aggregateRows = (result: { rows: Record<string, unknown>[] }): Rows => result.rows.map((row) => Object.values(row));

  const wanted = (name: string) => !options.cases || options.cases.has(name);
  const runCase = async (spec: ReadCase) => {
    if (!wanted(spec.name)) return;
    const expected = (spec.rows ?? records)((await spec.objectql(CHECK_RUN)) as never);
    const plainProblem = sameRows(expected, await spec.plain(CHECK_RUN));
    if (plainProblem) {
      console.log(`bench objectql ${driver} ${spec.name} FAILED: the hand-written SQL does not return ObjectQL's rows (${plainProblem})`);
      process.exitCode = 1;
      return;
    }
    if (expected.length === 0) console.log(`bench objectql ${driver} ${spec.name} note: no rows (too few tickets for this case?)`);
    // Each variant once: counted only with the same rows, and timed only when it may be the best
    // (a forced plan that reads the whole table would take minutes over all the runs).
    const checkMs = async (query: HandQuery) => {
      const start = performance.now();
      const rows = await query(CHECK_RUN);
      return { ms: performance.now() - start, problem: sameRows(expected, rows) };
    };
    const plainCheck = await checkMs(spec.plain);
    const checked = [];
    for (const variant of spec.variants) checked.push({ ...variant, ...(await checkMs(variant.query)) });
    const fastest = Math.min(plainCheck.ms, ...checked.filter((variant) => !variant.problem).map((variant) => variant.ms));
    const timed = checked.filter((variant) => !variant.problem && (variant.ms < fastest * 3 || variant.ms < 2));
    const medians = await timeSides([spec.objectql, spec.plain, ...timed.map((variant) => variant.query)], spec.runs, spec.warmup);
    const [objectqlMs, plainMs, ...variantMs] = medians as [number, number, ...number[]];
    const bestMs = Math.min(plainMs, ...variantMs);
    report(spec.name, spec.list, objectqlMs, plainMs, bestMs);
    const described = [
      `plain=${formatMs(plainMs)}`,
      ...timed.map((variant, index) => `${variant.name}=${formatMs(variantMs[index]!)}`),
      ...checked.filter((variant) => variant.problem).map((variant) => `${variant.name}=not_counted(rows differ: ${variant.problem})`),
      ...checked.filter((variant) => !variant.problem && !timed.includes(variant)).map((variant) => `${variant.name}=untimed(once ${formatMs(variant.ms)})`),
    ];
    console.log(`bench objectql ${driver} ${spec.name} sides: ${described.join(" ")}`);
  };

  // ObjectQL sorts NULL as the largest value on every driver (PostgreSQL's default); SQLite's
  // default is the opposite, so the equivalent hand-written queries say so.
  const nullsFirst = sql.raw(sqlite ? " nulls first" : "");
  const nullsLast = sql.raw(sqlite ? " nulls last" : "");
  const like = sql.raw(sqlite ? "like" : "ilike");
  const ticketColumns = sql.raw("t.id, t.created_at, t.updated_at, t.created_by, t.updated_by, t.owner_id");
  const tickets = sql.raw("obj_ticket t");
  const indexedBy = (index: string) => sql.raw(`obj_ticket t indexed by ${index}`);
  /** SQLite-only variants (INDEXED BY, CROSS JOIN order, unary + are SQLite's planner controls). */
  const onSqlite = (variants: ReadCase["variants"]) => (sqlite ? variants : []);
  /**
   * Runs and warm-up of a case, from one call of its plain query. Sub-20 ms cases (runsFor gives
   * them four times the runs) are measured hot, as a server runs them: every side is warmed up
   * with HOT_WARMUP calls first. With 2, a list's median still held the JIT warm-up of the side
   * that runs more JavaScript (list_unselective, 60 runs in a fresh process: 0.184 against 0.140
   * ms after 2 warm-up calls, 0.149 against 0.126 after 300).
   */
  const listTiming = async (query: HandQuery) => {
    const runs = await runsFor(() => query(CHECK_RUN), options.runs);
    return { runs, warmup: runs > options.runs ? HOT_WARMUP : 2 };
  };

  // 1. list: filter through a lookup + sort on the object's own field + limit 50, two dotted fields.
  {
    const listSql = (from: RawBuilder<unknown>, join = sql.raw("left join"), department = sql.raw("a.department")) =>
      handWritten(sql`select ${ticketColumns}, t.subject, t.status, t.opened, a.name, a.department
         from ${from} ${join} obj_person a on a.id = t.assignee
         where t.status in (${"open"}, ${"in_progress"}) and ${department} = ${"Engineering"}
         order by t.opened desc${nullsFirst}, t.id desc limit ${50}`);
    const plain = listSql(tickets);
    await runCase({
      name: "list",
      list: true,
      objectql: () => ql.find(ctx, LIST_QUERY),
      plain,
      variants: onSqlite([
        { name: "indexed_by_opened", query: listSql(indexedBy("idx_ticket_opened")) },
        { name: "ticket_first", query: listSql(tickets, sql.raw("cross join")) },
        { name: "no_department_index", query: listSql(tickets, sql.raw("left join"), sql.raw("+a.department")) },
      ]),
      ...(await listTiming(plain)),
    });
  }

  // 2. list, selective filter (one assignee's open tickets, about 40 of a million): filtering
  // first must win; a walk down the `opened` index would read all of it.
  {
    const selectiveSql = (from: RawBuilder<unknown>) =>
      handWritten(sql`select ${ticketColumns}, t.subject, t.status, t.opened, a.name
         from ${from} left join obj_person a on a.id = t.assignee
         where t.assignee = ${"p00042"} and t.status in (${"open"}, ${"in_progress"})
         order by t.opened desc${nullsFirst}, t.id desc limit ${50}`);
    const plain = selectiveSql(tickets);
    await runCase({
      name: "list_selective",
      list: true,
      objectql: () => ql.find(ctx, LIST_SELECTIVE_QUERY),
      plain,
      variants: onSqlite([
        { name: "indexed_by_opened", query: selectiveSql(indexedBy("idx_ticket_opened")) },
        { name: "indexed_by_assignee", query: selectiveSql(indexedBy("idx_ticket_assignee")) },
      ]),
      ...(await listTiming(plain)),
    });
  }

  // 3. list, unselective filter (four statuses of five): walking the sort index wins.
  {
    const unselectiveSql = (from: RawBuilder<unknown>, status = sql.raw("t.status")) =>
      handWritten(sql`select ${ticketColumns}, t.subject, t.status, t.opened, a.name
         from ${from} left join obj_person a on a.id = t.assignee
         where ${status} in (${"open"}, ${"in_progress"}, ${"blocked"}, ${"done"})
         order by t.opened desc${nullsFirst}, t.id desc limit ${50}`);
    const plain = unselectiveSql(tickets);
    await runCase({
      name: "list_unselective",
      list: true,
      objectql: () => ql.find(ctx, LIST_UNSELECTIVE_QUERY),
      plain,
      variants: onSqlite([
        { name: "indexed_by_opened", query: unselectiveSql(indexedBy("idx_ticket_opened")) },
        { name: "no_status_index", query: unselectiveSql(tickets, sql.raw("+t.status")) },
      ]),
      ...(await listTiming(plain)),
    });
  }

  // 4. list sorted on a lookup path (`assignee.name`), no filter: no index of the ticket table
  // holds that order; going through the people in name order and their tickets does.
  {
    const sortLookupSql = (from: RawBuilder<unknown>) =>
      handWritten(sql`select ${ticketColumns}, t.subject, t.status, a.name
         from ${from}
         order by a.name asc${nullsLast}, t.id asc limit ${50}`);
    const plain = sortLookupSql(sql`obj_ticket t left join obj_person a on a.id = t.assignee`);
    // The first 50 tickets in name order belong to the first people in it: bound the list by the
    // 100th person's name (each has about 100 tickets; the row check says whether it held).
    const firstPeople = sortLookupSql(
      sql`obj_ticket t left join obj_person a on a.id = t.assignee
          where t.assignee in (select id from obj_person where name <= (select name from obj_person order by name limit 1 offset 99))`,
    );
    await runCase({
      name: "sort_lookup",
      list: true,
      objectql: () => ql.find(ctx, SORT_LOOKUP_QUERY),
      plain,
      variants: sqlite
        ? [
            { name: "first_100_people", query: firstPeople },
            { name: "person_first", query: sortLookupSql(sql`obj_person a cross join obj_ticket t on t.assignee = a.id`) },
            {
              name: "people_in_name_order_first",
              query: sortLookupSql(sql`(select id, name from obj_person order by name${nullsLast}) a cross join obj_ticket t on t.assignee = a.id`),
            },
          ]
        : [
            { name: "first_100_people", query: firstPeople },
            {
              name: "people_in_name_order_first",
              query: sortLookupSql(
                sql`(select id, name from obj_person order by name) a cross join lateral (select * from obj_ticket t where t.assignee = a.id order by t.id) t`,
              ),
            },
          ],
      ...(await listTiming(plain)),
    });
  }

  // 5. search plus sort: a search that matches about a hundred tickets (filter first wins) and
  // one that matches about one in ninety (the sort-index walk wins). Search reads the object's
  // text fields and the lookup's name, as ObjectQL's search does.
  for (const [name, term] of [["search_sort", "Ticket 4242"], ["search_sort_broad", "Person 12"]] as const) {
    const pattern = `%${term}%`;
    const searchSql = (from: RawBuilder<unknown>, opened = sql.raw("t.opened")) =>
      handWritten(sql`select ${ticketColumns}, t.subject, t.status, t.opened
         from ${from} left join obj_person a on a.id = t.assignee
         where (t.subject ${like} ${pattern} or t.status ${like} ${pattern} or a.name ${like} ${pattern})
         order by ${opened} desc${nullsFirst}, t.id desc limit ${50}`);
    const plain = searchSql(tickets);
    await runCase({
      name,
      list: true,
      objectql: () => ql.find(ctx, { ...SEARCH_QUERY, search: term }),
      plain,
      variants: onSqlite([
        { name: "indexed_by_opened", query: searchSql(indexedBy("idx_ticket_opened")) },
        { name: "no_sort_index", query: searchSql(tickets, sql.raw("+t.opened")) },
      ]),
      ...(await listTiming(plain)),
    });
  }

  // 6. keyset page deep in the table: the page after a row at ~90% of (opened desc, id desc),
  // a different row every run, with a cursor this process never handed out (ObjectQL remembers
  // the cursors it gave, so paging with those skips decoding them; a client's cursor from another
  // process or an earlier day does not).
  if (wanted("keyset_deep")) {
    const deep = Math.floor(options.tickets * 0.9);
    const keysetQuery: FindQueryInput = { object: "ticket", select: ["subject", "status", "opened"], orderBy: [{ field: "opened", direction: "desc" }] };
    const anchorPage = await ql.find(ctx, { ...keysetQuery, limit: 1, offset: deep });
    if (!anchorPage.nextCursor) throw new Error("bench: could not position the cursor");
    // The cursor's sort fingerprint, from one the engine made; the rest are made here.
    const signature = (JSON.parse(Buffer.from(anchorPage.nextCursor, "base64url").toString("utf8")) as { s: string }).s;
    const runs = options.runs * 20;
    const warmup = HOT_WARMUP;
    // Rows deep+1, deep+8, ...: 7 apart, so no anchor is the last row of another anchor's page
    // (50 rows on; 7 does not divide 50), whose cursor ObjectQL hands out.
    const spacing = 7;
    const anchorRows = (
      await sql<{ opened: unknown; id: string }>`select opened, id from obj_ticket order by opened desc${nullsFirst}, id desc limit ${(runs + warmup + 1) * spacing} offset ${deep + 1}`.execute(k)
    ).rows.filter((_row, index) => index % spacing === 0);
    if (anchorRows.length < runs + warmup + 1) throw new Error(`bench: keyset_deep needs ${(runs + warmup + 1) * spacing} rows after row ${deep}`);
    const anchors = anchorRows.map((row) => ({
      opened: row.opened instanceof Date ? row.opened.toISOString().slice(0, 10) : String(row.opened),
      id: row.id,
    }));
    const anchorAt = (run: number) => anchors[run === CHECK_RUN ? anchors.length - 1 : run]!;
    const cursors = anchors.map((anchor) => Buffer.from(JSON.stringify({ s: signature, v: [anchor.opened], id: anchor.id })).toString("base64url"));
    // The queries are made here too, as the hand-written side's parameters are: building them is the bench's work, not the engine's.
    const pages = cursors.map((cursor): FindQueryInput => ({ ...keysetQuery, limit: 50, cursor }));
    const pageAt = (run: number) => pages[run === CHECK_RUN ? pages.length - 1 : run]!;
    const first = anchors[0]!;
    const keysetSql = (from: RawBuilder<unknown>) =>
      handWritten(
        sql`select ${ticketColumns}, t.subject, t.status, t.opened
            from ${from}
            where t.opened <= ${first.opened} and (t.opened < ${first.opened} or t.id < ${first.id})
            order by t.opened desc${nullsFirst}, t.id desc limit ${50}`,
        (run) => {
          const anchor = anchorAt(run);
          return [anchor.opened, anchor.opened, anchor.id, 50];
        },
      );
    await runCase({
      name: "keyset_deep",
      list: true,
      objectql: (run) => ql.find(ctx, pageAt(run)),
      plain: keysetSql(tickets),
      variants: sqlite
        ? [{ name: "indexed_by_opened", query: keysetSql(indexedBy("idx_ticket_opened")) }]
        : [
            {
              name: "row_comparison",
              query: handWritten(
                sql`select ${ticketColumns}, t.subject, t.status, t.opened from obj_ticket t
                    where (t.opened, t.id) < (${first.opened}, ${first.id}) order by t.opened desc, t.id desc limit ${50}`,
                (run) => {
                  const anchor = anchorAt(run);
                  return [anchor.opened, anchor.id, 50];
                },
              ),
            },
          ],
      // Sub-millisecond: many runs after a warm-up (a server runs these hot) give a steady median.
      runs,
      warmup,
    });
  }

  // 7. deep offset: page 50 rows at 80% of the table (away from the keyset case's rows and cursors).
  {
    const offset = Math.floor(options.tickets * 0.8);
    const order = sql`order by t.opened desc${nullsFirst}, t.id desc`;
    const offsetSql = (from: RawBuilder<unknown>) =>
      handWritten(sql`select ${ticketColumns}, t.subject, t.status, t.opened, a.name
         from ${from} left join obj_person a on a.id = t.assignee
         ${order} limit ${50} offset ${offset}`);
    const plain = offsetSql(tickets);
    // The classic hand-tuning: find the page's ids in the index alone, then read those 50 rows.
    const deferredJoin = (join: RawBuilder<unknown>) =>
      handWritten(sql`select ${ticketColumns}, t.subject, t.status, t.opened, a.name
       from (select id from obj_ticket order by opened desc${nullsFirst}, id desc limit ${50} offset ${offset}) p
       ${join} obj_ticket t on t.id = p.id left join obj_person a on a.id = t.assignee
       ${order}`);
    await runCase({
      name: "offset_deep",
      list: true,
      objectql: () => ql.find(ctx, { ...OFFSET_QUERY, offset }),
      plain,
      variants: [
        { name: "deferred_join", query: deferredJoin(sql`join`) },
        // SQLite cannot tell the bound limit makes the page small: CROSS JOIN keeps it the outer loop.
        ...onSqlite([
          { name: "deferred_join_page_first", query: deferredJoin(sql`cross join`) },
          { name: "indexed_by_opened", query: offsetSql(indexedBy("idx_ticket_opened")) },
        ]),
      ],
      ...(await listTiming(plain)),
    });
  }

  // 8. group-by with count/sum/avg over a lookup path, all tickets and one owner's (1 in 101).
  const groupSql = (from: RawBuilder<unknown>, where: RawBuilder<unknown>) =>
    handWritten(sql`select a.department, count(*), sum(t.amount), avg(t.priority)
       from ${from} ${where}
       group by a.department order by a.department asc${nullsLast}`);
  const everyone = sql``;
  const oneOwner = sql`where t.owner_id = ${"u042"}`;
  const leftJoined = (from: RawBuilder<unknown>) => sql`${from} left join obj_person a on a.id = t.assignee`;
  const personFirst = sql`obj_person a cross join obj_ticket t on t.assignee = a.id`;
  await runCase({
    name: "group_by",
    list: false,
    objectql: () => ql.aggregate(ctx, GROUP_BY_QUERY),
    rows: aggregateRows,
    plain: groupSql(leftJoined(tickets), everyone),
    variants: onSqlite([{ name: "person_first", query: groupSql(personFirst, everyone) }]),
    runs: Math.max(3, Math.floor(options.runs / 3)),
    warmup: 1,
  });
  {
    const plain = groupSql(leftJoined(tickets), oneOwner);
    await runCase({
      name: "group_by_selective",
      list: false,
      objectql: () => ql.aggregate(ctx, GROUP_BY_SELECTIVE_QUERY),
      rows: aggregateRows,
      plain,
      variants: onSqlite([
        { name: "indexed_by_owner", query: groupSql(leftJoined(indexedBy("idx_ticket_owner_id")), oneOwner) },
        { name: "person_first", query: groupSql(personFirst, oneOwner) },
      ]),
      ...(await listTiming(plain)),
    });
  }

  // 9. single record by id.
  {
    const someId = `t${String(Math.floor(options.tickets / 2)).padStart(7, "0")}`;
    await runCase({
      name: "by_id",
      list: false,
      objectql: () => ql.findOne(ctx, "ticket", someId),
      // A record read whole carries its lookup as { id, name }: the hand-written side's two columns.
      rows: (record: Record<string, unknown> | null) =>
        record ? [Object.values(record).flatMap((value) => (value !== null && typeof value === "object" && !(value instanceof Date) ? Object.values(value) : [value]))] : [],
      plain: handWritten(sql`select ${ticketColumns}, t.subject, t.status, t.priority, t.amount, t.opened, t.assignee, a.name
        from obj_ticket t left join obj_person a on a.id = t.assignee where t.id = ${someId}`),
      variants: [],
      runs: options.runs * 20,
      warmup: HOT_WARMUP,
    });
  }

  // 10. bulk insert of N rows in one transaction (ObjectQL validates every row; SQL does not).
  if (!wanted("bulk_insert")) return lines;
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
  // Nothing to hand-tune in a bulk insert: the best is the plain one.
  report(`bulk_insert_${options.bulkRows}`, false, median(qlTimes), median(sqlTimes), median(sqlTimes));

  return lines;
}
