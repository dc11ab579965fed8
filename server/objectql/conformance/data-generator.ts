import { objectSchema, type ObjectDef } from "@/spec/object";
import { RANGES_AT_CONFORMANCE_NOW } from "./relative-date-expectations";

/**
 * Deterministic related data for the conformance suite: department <- employee <- task
 * (plus employee.manager -> employee, for deep paths), with every comparable field type and
 * NULLs sprinkled in. Text that is sorted or compared is same-case letters and digits, so every
 * database collation orders it as JavaScript does.
 */

/** "Now" for relative dates, fixed for engine and oracle alike (a Wednesday). */
export const CONFORMANCE_NOW = new Date("2026-03-18T15:30:00.000Z");

export const STATUSES = ["open", "in_progress", "blocked", "done"] as const;
export const TAGS = ["bug", "feature", "docs", "urgent"] as const;
export const REGIONS = ["emea", "amer", "apac"] as const;
export const DEPARTMENT_NAMES = ["Engineering", "Sales", "Support", "Finance", "Marketing", "Legal"] as const;

const options = (values: readonly string[]) => values.map((value) => ({ value, label: value }));

export const departmentObject: ObjectDef = objectSchema.parse({
  name: "department",
  label: "Department",
  pluralLabel: "Departments",
  nameField: "name",
  fields: [
    { id: "d1", name: "name", label: "Name", type: "text", required: true },
    { id: "d2", name: "region", label: "Region", type: "select", options: options(REGIONS) },
    { id: "d3", name: "budget", label: "Budget", type: "currency", scale: 2 },
  ],
});

export const employeeObject: ObjectDef = objectSchema.parse({
  name: "employee",
  label: "Employee",
  pluralLabel: "Employees",
  nameField: "name",
  fields: [
    { id: "e1", name: "name", label: "Name", type: "text", required: true },
    { id: "e2", name: "department", label: "Department", type: "lookup", reference: "department" },
    { id: "e3", name: "manager", label: "Manager", type: "lookup", reference: "employee" },
    { id: "e4", name: "level", label: "Level", type: "number" },
    { id: "e5", name: "salary", label: "Salary", type: "currency", scale: 2 },
    { id: "e6", name: "active", label: "Active", type: "boolean" },
    { id: "e7", name: "hired", label: "Hired", type: "date" },
    { id: "e8", name: "team", label: "Team", type: "select", options: options(["alpha", "beta", "gamma"]) },
  ],
});

export const taskObject: ObjectDef = objectSchema.parse({
  name: "task",
  label: "Task",
  pluralLabel: "Tasks",
  nameField: "title",
  fields: [
    { id: "t1", name: "title", label: "Title", type: "text", required: true },
    { id: "t2", name: "status", label: "Status", type: "select", options: options(STATUSES) },
    { id: "t3", name: "priority", label: "Priority", type: "number" },
    { id: "t4", name: "estimate", label: "Estimate", type: "currency", scale: 2 },
    { id: "t5", name: "done", label: "Done", type: "boolean" },
    { id: "t6", name: "due", label: "Due", type: "date" },
    { id: "t7", name: "closed_at", label: "Closed at", type: "datetime" },
    { id: "t8", name: "tags", label: "Tags", type: "multiselect", options: options(TAGS) },
    { id: "t9", name: "assignee", label: "Assignee", type: "lookup", reference: "employee" },
    { id: "t10", name: "reviewer", label: "Reviewer", type: "lookup", reference: "employee" },
    { id: "t11", name: "notes", label: "Notes", type: "textarea" },
  ],
});

export const CONFORMANCE_OBJECTS = [departmentObject, employeeObject, taskObject];

/** A generated row: field values in their JS form (lookups as ids) plus system columns. */
export type GeneratedRow = { id: string; created_at: string; updated_at: string; created_by: string | null; updated_by: string | null; [field: string]: unknown };
export type GeneratedData = Record<"department" | "employee" | "task", GeneratedRow[]>;

/** mulberry32: a tiny seeded PRNG, so every run (and every driver) gets the same data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateConformanceData(seed = 20260318, sizes = { employees: 40, tasks: 320 }): GeneratedData {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const maybe = <T>(value: T, nullChance = 0.12): T | null => (random() < nullChance ? null : value);
  const day = (offset: number) => new Date(CONFORMANCE_NOW.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  // Ids in no relation to creation order, so the id tie-breaker is really exercised.
  const id = (prefix: string, n: number) => `${prefix}${((n * 2654435761) >>> 0).toString(16).padStart(8, "0")}`;
  let tick = Date.parse("2026-01-01T00:00:00.000Z");
  const system = (rowId: string): GeneratedRow => {
    // Several rows share a creation time, so the default order (created_at) has ties too.
    tick += random() < 0.3 ? 0 : 1000;
    const at = new Date(tick).toISOString();
    return { id: rowId, created_at: at, updated_at: at, created_by: null, updated_by: null };
  };

  const departments = DEPARTMENT_NAMES.map((name, n) => ({
    ...system(id("d", n + 1)),
    name,
    region: n === 5 ? null : REGIONS[n % 3],
    budget: n === 4 ? null : int(50, 900) * 1000 + 0.5,
  }));
  const employees: GeneratedRow[] = [];
  for (let n = 0; n < sizes.employees; n++) {
    employees.push({
      ...system(id("e", n + 1)),
      name: `Emp${String(n + 1).padStart(3, "0")}`,
      department: maybe(pick(departments).id, 0.1),
      manager: n < 4 ? null : maybe(employees[int(0, Math.min(n - 1, 9))].id, 0.1),
      level: maybe(int(1, 6)),
      salary: maybe(int(3000, 12000) * 10 + int(0, 99) / 100),
      active: maybe(random() < 0.7),
      hired: maybe(day(-int(0, 900))),
      team: maybe(pick(["alpha", "beta", "gamma"])),
    });
  }
  const tasks: GeneratedRow[] = [];
  // Values are drawn in the same order for every row (due and closed_at as thunks), so the
  // random rows stay what they were before the edge rows were added.
  const task = (n: number, due: () => string | null, closedAt: () => string | null): GeneratedRow => {
    const tagCount = int(0, 3);
    const tags = [...new Set(Array.from({ length: tagCount }, () => pick(TAGS)))];
    const closed = closedAt();
    return {
      ...system(id("t", n + 1)),
      title: `Task${String(n + 1).padStart(4, "0")}${pick(["a", "b", "c"])}`,
      status: maybe(pick(STATUSES), 0.08),
      priority: maybe(int(1, 5)),
      estimate: maybe(int(0, 4000) / 4),
      done: maybe(random() < 0.4),
      due: due(),
      closed_at: closed,
      tags: tags.length === 0 ? null : tags,
      assignee: maybe(pick(employees).id, 0.1),
      reviewer: maybe(pick(employees).id, 0.4),
      notes: maybe(pick(["needs review", "Blocked by vendor", "50% done", "see ticket_42", "ok"]), 0.3),
    };
  };
  for (let n = 0; n < sizes.tasks; n++) {
    tasks.push(task(n, () => maybe(day(int(-200, 120))), () => (random() < 0.6 ? new Date(CONFORMANCE_NOW.getTime() - int(0, 200 * 24 * 60) * 60_000 + int(0, 59_999)).toISOString() : null)));
  }
  // Rows on each relative date range's first and last day and on the days just outside, with
  // datetimes at the first and the last millisecond of the day: an off-by-one shows.
  const edges = new Set<string>();
  for (const [, first, last] of RANGES_AT_CONFORMANCE_NOW) {
    for (const [edge, offset] of [[first, -1], [first, 0], [last, 0], [last, 1]] as const) {
      edges.add(new Date(Date.parse(`${edge}T00:00:00.000Z`) + offset * 86_400_000).toISOString().slice(0, 10));
    }
  }
  for (const edge of [...edges].sort()) {
    tasks.push(task(tasks.length, () => edge, () => `${edge}T00:00:00.000Z`));
    tasks.push(task(tasks.length, () => null, () => `${edge}T23:59:59.999Z`));
  }
  return { department: departments, employee: employees, task: tasks };
}
