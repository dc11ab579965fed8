import { sql } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { syncObjectSchema } from "@/server/objectql";
import { objectSchema, type ObjectDef } from "@/spec";

/**
 * The benchmark's data: `ticket` (1,000,000 rows by default) assigned to `person` (10,000 rows,
 * the lookup target). Tables are created by schema sync, exactly as a published object would
 * be; rows are generated inside the database (recursive CTE / generate_series), which is far
 * faster than sending them and is not what we measure.
 */
export const DEPARTMENTS = ["Engineering", "Sales", "Support", "Finance", "Marketing", "Legal", "Operations", "Research"];
export const STATUSES = ["open", "in_progress", "blocked", "done", "closed"];

export const personObject: ObjectDef = objectSchema.parse({
  name: "person",
  label: "Person",
  pluralLabel: "People",
  nameField: "name",
  fields: [
    { id: "p_name", name: "name", label: "Name", type: "text", required: true },
    { id: "p_dept", name: "department", label: "Department", type: "select", options: DEPARTMENTS.map((d) => ({ value: d, label: d })) },
    { id: "p_level", name: "level", label: "Level", type: "number" },
  ],
  indexes: [{ fields: ["department"] }],
});

export const ticketObject: ObjectDef = objectSchema.parse({
  name: "ticket",
  label: "Ticket",
  pluralLabel: "Tickets",
  nameField: "subject",
  fields: [
    { id: "t_subject", name: "subject", label: "Subject", type: "text", required: true },
    { id: "t_status", name: "status", label: "Status", type: "select", options: STATUSES.map((s) => ({ value: s, label: s })) },
    { id: "t_priority", name: "priority", label: "Priority", type: "number" },
    { id: "t_amount", name: "amount", label: "Amount", type: "currency" },
    { id: "t_opened", name: "opened", label: "Opened", type: "date" },
    { id: "t_assignee", name: "assignee", label: "Assignee", type: "lookup", reference: "person" },
  ],
  indexes: [{ fields: ["status"] }, { fields: ["opened"] }],
});

export async function createBenchSchema(db: DataDatabase) {
  await syncObjectSchema(db, personObject, { allObjects: [personObject] });
  await syncObjectSchema(db, ticketObject, { allObjects: [personObject, ticketObject] });
}

/** Tickets are owned by u000 ... u100 (row-level security bench). */
export const BENCH_OWNERS = 101;

/*
 * Each column of ticket n is n modulo its own number, and those numbers are pairwise coprime
 * (status 5, priority 7, owner 101, opened 1999 days, assignee 9973 people): the columns are
 * independent, as in real data. (With moduli sharing factors, a day's tickets all had one
 * owner and one status, and queries walked indexes in patterns no real table has.)
 * Priority is n mod 7 folded onto 1..5, so 5 (urgent) is the rarest.
 */

/** The largest prime at most `people` (9973 for 10,000): assignees then share no factor with the other columns. */
function assigneeModulus(people: number): number {
  for (let candidate = people; candidate > 2; candidate--) {
    let prime = true;
    for (let divisor = 2; divisor * divisor <= candidate; divisor++) {
      if (candidate % divisor === 0) {
        prime = false;
        break;
      }
    }
    if (prime) return candidate;
  }
  return people;
}

export async function loadBenchRows(db: DataDatabase, people: number, tickets: number) {
  const k = db.kysely;
  if (db.dialect === "sqlite") {
    await sql`pragma foreign_keys = off`.execute(k);
    await sql.raw(`
      with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${people})
      insert into obj_person (id, created_at, updated_at, name, department, level)
      select printf('p%05d', n), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'Person ' || n,
        case n % 8 ${DEPARTMENTS.map((d, i) => `when ${i} then '${d}'`).join(" ")} end, n % 10
      from seq`).execute(k);
    await sql.raw(`
      with recursive seq(n) as (select 1 union all select n + 1 from seq where n < ${tickets})
      insert into obj_ticket (id, created_at, updated_at, owner_id, subject, status, priority, amount, opened, assignee)
      select printf('t%07d', n), '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', printf('u%03d', n % ${BENCH_OWNERS}), 'Ticket ' || n,
        case n % 5 ${STATUSES.map((s, i) => `when ${i} then '${s}'`).join(" ")} end,
        n % 7 % 5 + 1, (n % 100000) / 100.0, date('2020-01-01', '+' || (n % 1999) || ' days'),
        printf('p%05d', (n * 7919) % ${assigneeModulus(people)} + 1)
      from seq`).execute(k);
    await sql`pragma foreign_keys = on`.execute(k);
    await sql`analyze`.execute(k);
  } else if (db.dialect === "postgres") {
    await sql.raw(`
      insert into obj_person (id, created_at, updated_at, name, department, level)
      select 'p' || lpad(n::text, 5, '0'), now(), now(), 'Person ' || n,
        (array[${DEPARTMENTS.map((d) => `'${d}'`).join(",")}])[n % 8 + 1], n % 10
      from generate_series(1, ${people}) as n`).execute(k);
    await sql.raw(`
      insert into obj_ticket (id, created_at, updated_at, owner_id, subject, status, priority, amount, opened, assignee)
      select 't' || lpad(n::text, 7, '0'), now(), now(), 'u' || lpad((n % ${BENCH_OWNERS})::text, 3, '0'), 'Ticket ' || n,
        (array[${STATUSES.map((s) => `'${s}'`).join(",")}])[n % 5 + 1],
        n % 7 % 5 + 1, (n % 100000) / 100.0, date '2020-01-01' + (n % 1999),
        'p' || lpad(((n::bigint * 7919) % ${assigneeModulus(people)} + 1)::text, 5, '0')
      from generate_series(1, ${tickets}) as n`).execute(k);
    // Vacuumed as a table in steady state is: otherwise the first reads of every fresh row set its
    // hint bits (writing pages) and autovacuum starts on the second core while the cases run.
    await sql`vacuum analyze obj_person`.execute(k);
    await sql`vacuum analyze obj_ticket`.execute(k);
  } else {
    throw new Error(`bench: no row loader for ${db.dialect}`);
  }
}
