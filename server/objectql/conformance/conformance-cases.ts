import type { AggregateQueryInput, Filter, FilterOperator, FindQueryInput } from "@/spec/query";
import { RANGES_AT_CONFORMANCE_NOW } from "./relative-date-expectations";
import type { GeneratedData } from "./data-generator";

/** The conformance suite's query cases, over the generated department <- employee <- task data. */

const c = (field: string, operator: FilterOperator, value?: unknown): Filter => ({ field, operator, value } as Filter);

export function filterCases(data: GeneratedData): Filter[] {
  const someEmployees = [data.employee[3].id, data.employee[7].id, data.employee[11].id];
  const someTasks = [data.task[0].id, data.task[5].id, data.task[42].id];
  const title = data.task[17].title as string;
  const dueDay = data.task.find((task) => task.due !== null)!.due as string;
  const cases: Filter[] = [
    // select
    c("status", "=", "open"), c("status", "!=", "open"), c("status", "in", ["open", "in_progress"]), c("status", "not_in", ["open", "done"]),
    c("status", "in", []), c("status", "not_in", []), c("status", "is_null"), c("status", "is_not_null"),
    // number
    c("priority", "=", 3), c("priority", "!=", 3), c("priority", ">", 3), c("priority", ">=", 3), c("priority", "<", 2), c("priority", "<=", 2),
    c("priority", "between", [2, 4]), c("priority", "in", [1, 5]), c("priority", "not_in", [1, 5]), c("priority", "is_null"), c("priority", "is_not_null"),
    // currency
    c("estimate", ">", 500.25), c("estimate", "<=", 100), c("estimate", "between", [100, 200.5]), c("estimate", "=", 250), c("estimate", "!=", 250), c("estimate", "is_null"),
    // boolean
    c("done", "=", true), c("done", "=", false), c("done", "!=", true), c("done", "!=", false), c("done", "is_null"), c("done", "is_not_null"),
    // date
    c("due", "=", dueDay), c("due", "!=", dueDay), c("due", "<", "2026-01-15"), c("due", ">=", "2026-02-01"), c("due", "<=", "2026-03-18"), c("due", ">", "2026-03-18"),
    c("due", "between", ["2025-12-01", "2026-01-31"]), c("due", "in", [dueDay, "2026-03-18"]), c("due", "is_null"),
    // datetime
    c("closed_at", ">", "2026-02-01T00:00:00.000Z"), c("closed_at", "<=", "2025-12-24T12:00:00.000Z"), c("closed_at", "between", ["2026-01-01T00:00:00.000Z", "2026-02-15T08:30:00.000Z"]),
    c("closed_at", "is_null"), c("closed_at", "is_not_null"), c("created_at", ">", "2026-01-01T00:01:00.000Z"),
    // text
    c("title", "=", title), c("title", "!=", title), c("title", "contains", "01"), c("title", "starts_with", "Task02"), c("title", "ends_with", "A"),
    c("title", ">", "Task0200"), c("title", "<", "Task0010"), c("title", "between", ["Task0100", "Task0150"]), c("title", "in", [title, "Task9999x"]), c("title", "not_in", [title]),
    c("notes", "contains", "%"), c("notes", "contains", "_4"), c("notes", "contains", "BLOCKED"), c("notes", "starts_with", "see"), c("notes", "ends_with", "DONE"), c("notes", "is_null"),
    // multiselect
    c("tags", "contains", "bug"), c("tags", "in", ["docs", "urgent"]), c("tags", "in", []), c("tags", "is_null"), c("tags", "is_not_null"),
    // lookup
    c("assignee", "=", someEmployees[0]), c("assignee", "!=", someEmployees[0]), c("assignee", "in", someEmployees), c("assignee", "not_in", someEmployees), c("assignee", "is_null"), c("reviewer", "is_not_null"),
    c("id", "in", someTasks),
    // dotted paths
    c("assignee.name", "starts_with", "Emp01"), c("assignee.level", ">=", 4), c("assignee.department.name", "=", "Engineering"),
    c("assignee.department.region", "in", ["emea", "apac"]), c("assignee.department.region", "is_null"), c("assignee.manager.department.name", "=", "Sales"),
    c("assignee.active", "=", true), c("assignee.active", "!=", true), c("assignee.hired", "=", "THIS_YEAR"), c("assignee.department", "is_null"),
    c("reviewer.manager.level", "is_null"), c("assignee.manager.manager.department.budget", ">", 100000), c("assignee.department.budget", "between", [200000, 700000.5]),
    // logic
    { and: [c("status", "=", "open"), c("priority", ">=", 3)] },
    { or: [c("status", "=", "blocked"), c("tags", "contains", "urgent"), c("assignee.level", "=", 1)] },
    { not: c("status", "=", "open") },
    { not: c("assignee.department.name", "=", "Engineering") },
    { not: { or: [c("priority", "<", 2), c("done", "=", true)] } },
    { and: [] }, { or: [] },
    { and: [{ or: [c("status", "is_null"), c("status", "=", "done")] }, { not: c("due", "<", "2026-01-01") }] },
  ];
  // Long lists (at least BOUND_LIST_MIN values: bound as one array parameter on SQLite and PostgreSQL), per storage kind.
  const range = (count: number, make: (index: number) => unknown) => Array.from({ length: count }, (_, index) => make(index));
  const taskIds = data.task.slice(0, 120).map((task) => task.id);
  const employeeIds = data.employee.map((employee) => employee.id);
  const closed = data.task.map((task) => task.closed_at).filter((value): value is string => typeof value === "string");
  cases.push(
    c("priority", "in", range(60, (index) => index - 20)), c("priority", "not_in", range(60, (index) => index + 3)),
    c("estimate", "in", range(200, (index) => index * 2.5)), c("estimate", "not_in", range(200, (index) => index * 2.5)),
    c("due", "in", range(90, (index) => new Date(Date.UTC(2026, 0, 1 + index)).toISOString().slice(0, 10))),
    c("closed_at", "in", [...closed.slice(0, 40), ...range(20, (index) => `2020-01-01T00:00:${String(index).padStart(2, "0")}.000Z`)]),
    c("title", "in", range(100, (index) => `Task${String(index * 3).padStart(4, "0")}`)), c("title", "not_in", range(100, (index) => `Task${String(index).padStart(4, "0")}`)),
    c("id", "in", taskIds), c("id", "not_in", taskIds),
    c("assignee", "in", employeeIds.length >= 50 ? employeeIds : [...employeeIds, ...range(50, (index) => `missing-${index}`)]),
    c("status", "in", [...range(60, (index) => `nope_${index}`), "open"]),
    c("tags", "in", [...range(60, (index) => `tag_${index}`), "bug"]),
    c("assignee.department.name", "in", [...range(60, (index) => `Dept ${index}`), "Engineering", "Sales"]),
    { or: range(33, (list) => c("priority", "in", range(1000, (index) => list * 1000 + index - 500))) as Filter[] },
  );
  // Relative dates: every keyword and several day counts, on a date and a datetime field, with
  // rows on and just outside each range's edges (data-generator.ts), plus the other operators.
  for (const [value] of RANGES_AT_CONFORMANCE_NOW) cases.push(c("due", "=", value), c("closed_at", "=", value), c("due", "<", value), c("closed_at", ">", value));
  cases.push(
    c("due", "=", "LAST_N_DAYS:30"), c("due", "=", "NEXT_N_DAYS:14"), c("closed_at", "=", "LAST_N_DAYS:7"), c("closed_at", "=", "LAST_N_DAYS:0"),
    c("due", "!=", "THIS_WEEK"), c("due", "<", "THIS_MONTH"), c("due", "<=", "THIS_MONTH"), c("due", ">", "TODAY"), c("due", ">=", "LAST_WEEK"),
    c("closed_at", "<", "LAST_MONTH"), c("closed_at", ">=", "THIS_QUARTER"), c("closed_at", "!=", "THIS_YEAR"),
    c("due", "between", ["LAST_MONTH", "TODAY"]), c("due", "between", ["2026-01-01", "THIS_MONTH"]), c("closed_at", "between", ["LAST_QUARTER", "YESTERDAY"]),
  );
  return cases;
}

export function findCases(): FindQueryInput[] {
  const select = ["title", "status", "priority", "assignee", "assignee.name", "assignee.department", "assignee.department.name", "assignee.manager.level"];
  return [
    { object: "task", select, orderBy: [{ field: "priority", direction: "desc" }], limit: 60 },
    { object: "task", select, orderBy: [{ field: "estimate", direction: "asc" }], limit: 40, offset: 40 },
    { object: "task", select, orderBy: [{ field: "due", direction: "asc" }, { field: "title", direction: "desc" }], limit: 100, offset: 250 },
    { object: "task", select, orderBy: [{ field: "assignee", direction: "asc" }, { field: "title", direction: "asc" }], limit: 50 },
    { object: "task", select, orderBy: [{ field: "assignee.department.name", direction: "desc" }, { field: "priority", direction: "asc" }], limit: 80, offset: 10 },
    { object: "task", select, orderBy: [{ field: "done", direction: "asc" }, { field: "closed_at", direction: "desc" }], limit: 70 },
    { object: "task", select, orderBy: [{ field: "assignee.manager.name", direction: "asc" }], limit: 200 },
    { object: "task", select: ["title", "notes"], search: "blocked", orderBy: [{ field: "title", direction: "asc" }], limit: 100 },
    { object: "task", select: ["title"], search: "task001", filter: { field: "priority", operator: ">", value: 2 }, limit: 100 },
    { object: "task", select: ["title", "closed_at", "tags", "estimate", "due", "done"], filter: { field: "assignee.department.name", operator: "=", value: "Support" }, orderBy: [{ field: "closed_at", direction: "asc" }], limit: 100 },
    { object: "employee", select: ["name", "manager", "manager.manager.name", "department.region", "hired", "salary", "active"], orderBy: [{ field: "name", direction: "asc" }], limit: 100 },
    {
      object: "department",
      select: ["name", "region"],
      orderBy: [{ field: "name", direction: "asc" }],
      expand: [{ relation: "employee.department", select: ["name", "level"], orderBy: [{ field: "level", direction: "desc" }, { field: "name", direction: "asc" }], limit: 3 }],
    },
    {
      object: "employee",
      select: ["name"],
      orderBy: [{ field: "name", direction: "asc" }],
      limit: 15,
      expand: [
        { relation: "task.assignee", select: ["title", "status"], filter: { field: "status", operator: "in", value: ["open", "blocked"] }, orderBy: [{ field: "title", direction: "asc" }], limit: 4 },
        { relation: "task.reviewer", select: ["title", "assignee.name"], orderBy: [{ field: "due", direction: "desc" }], limit: 2 },
      ],
    },
    // Search also matches the names of the records lookups refer to (assignee/reviewer, department, manager).
    { object: "task", select: ["title", "assignee", "reviewer"], search: "emp01", orderBy: [{ field: "title", direction: "asc" }], limit: 300 },
    { object: "task", select: ["title", "assignee.name"], search: "EMP03", filter: { field: "assignee.department.name", operator: "=", value: "Engineering" }, orderBy: [{ field: "assignee.name", direction: "asc" }], limit: 300 },
    { object: "employee", select: ["name", "department", "manager"], search: "SUPPORT", orderBy: [{ field: "name", direction: "asc" }], limit: 100 },
    { object: "employee", select: ["name", "manager.name"], search: "emp003", orderBy: [{ field: "name", direction: "asc" }], limit: 100 },
    { object: "department", select: ["name", "region"], search: "am", orderBy: [{ field: "name", direction: "asc" }] },
    // Nested related lists: department -> its employees -> the employees they manage -> their tasks.
    {
      object: "department",
      select: ["name"],
      orderBy: [{ field: "name", direction: "asc" }],
      expand: [
        {
          relation: "employee.department",
          select: ["name"],
          orderBy: [{ field: "name", direction: "asc" }],
          limit: 4,
          expand: [
            {
              relation: "employee.manager",
              select: ["name", "level"],
              orderBy: [{ field: "name", direction: "asc" }],
              limit: 3,
              expand: [
                { relation: "task.assignee", select: ["title", "status"], filter: { field: "status", operator: "!=", value: "done" }, orderBy: [{ field: "title", direction: "desc" }], limit: 2 },
              ],
            },
            { relation: "task.reviewer", select: ["title", "assignee.name"], orderBy: [{ field: "due", direction: "asc" }, { field: "title", direction: "asc" }], limit: 3 },
          ],
        },
      ],
    },
  ];
}

export function cursorCases(): FindQueryInput[] {
  return [
    { object: "task", orderBy: [{ field: "priority", direction: "asc" }], limit: 17 },
    { object: "task", orderBy: [{ field: "priority", direction: "desc" }], limit: 17 },
    { object: "task", orderBy: [{ field: "status", direction: "asc" }, { field: "due", direction: "desc" }], limit: 23 },
    { object: "task", orderBy: [{ field: "status", direction: "desc" }, { field: "due", direction: "asc" }], limit: 23 },
    { object: "task", orderBy: [{ field: "done", direction: "desc" }, { field: "estimate", direction: "asc" }, { field: "closed_at", direction: "desc" }], limit: 31 },
    { object: "task", orderBy: [{ field: "assignee", direction: "asc" }], limit: 29 },
    { object: "task", orderBy: [{ field: "assignee.department.name", direction: "desc" }, { field: "assignee.level", direction: "asc" }], limit: 19 },
    { object: "task", orderBy: [{ field: "closed_at", direction: "asc" }], filter: { field: "status", operator: "!=", value: "done" }, limit: 11 },
    { object: "task", limit: 50 },
    { object: "employee", orderBy: [{ field: "hired", direction: "desc" }], limit: 6 },
  ];
}

export type AggregateCase = { query: AggregateQueryInput; ordered: boolean };

export function aggregateCases(): AggregateCase[] {
  const every: AggregateQueryInput["aggregate"] = [
    { function: "count", alias: "n" },
    { function: "count", field: "priority", alias: "with_priority" },
    { function: "count_distinct", field: "assignee", alias: "assignees" },
    { function: "sum", field: "estimate", alias: "total" },
    { function: "avg", field: "priority", alias: "avg_priority" },
    { function: "min", field: "due", alias: "first_due" },
    { function: "max", field: "closed_at", alias: "last_closed" },
    { function: "min", field: "estimate", alias: "min_estimate" },
    { function: "max", field: "title", alias: "last_title" },
  ];
  const cases: AggregateCase[] = [
    { query: { object: "task", aggregate: every }, ordered: true },
    { query: { object: "task", aggregate: every, filter: { field: "status", operator: "=", value: "nothing" } }, ordered: true },
    { query: { object: "task", groupBy: [{ field: "status" }], aggregate: every }, ordered: true },
    { query: { object: "task", groupBy: [{ field: "done" }, { field: "priority" }], aggregate: [{ function: "count", alias: "n" }, { function: "avg", field: "estimate", alias: "avg" }] }, ordered: true },
    { query: { object: "task", groupBy: [{ field: "assignee.department.name", alias: "dept" }], aggregate: every }, ordered: true },
    { query: { object: "task", groupBy: [{ field: "assignee" }], aggregate: [{ function: "count", alias: "n" }, { function: "sum", field: "estimate", alias: "total" }] }, ordered: true },
    { query: { object: "task", groupBy: [{ field: "assignee.department" }], aggregate: [{ function: "count_distinct", field: "assignee.manager", alias: "managers" }, { function: "max", field: "assignee.salary", alias: "top_salary" }] }, ordered: true },
    { query: { object: "task", groupBy: [{ field: "status" }], aggregate: [{ function: "count", alias: "n" }], having: { field: "n", operator: ">", value: 70 } }, ordered: true },
    {
      query: {
        object: "task",
        groupBy: [{ field: "assignee.team", alias: "team" }, { field: "status" }],
        aggregate: [{ function: "count", alias: "n" }, { function: "avg", field: "priority", alias: "avg_priority" }],
        having: { and: [{ field: "n", operator: ">=", value: 10 }, { or: [{ field: "avg_priority", operator: "<", value: 3 }, { field: "team", operator: "=", value: "alpha" }] }] },
      },
      ordered: true,
    },
    { query: { object: "task", groupBy: [{ field: "status" }], aggregate: [{ function: "count", alias: "n" }, { function: "sum", field: "estimate", alias: "total" }], orderBy: [{ field: "total", direction: "desc" }] }, ordered: true },
    { query: { object: "task", groupBy: [{ field: "assignee.name" }], aggregate: [{ function: "count", alias: "n" }], orderBy: [{ field: "n", direction: "desc" }, { field: "assignee.name", direction: "asc" }], limit: 7, offset: 3 }, ordered: true },
    { query: { object: "employee", groupBy: [{ field: "department.region" }], aggregate: [{ function: "sum", field: "salary", alias: "payroll" }, { function: "count_distinct", field: "team", alias: "teams" }] }, ordered: true },
  ];
  for (const granularity of ["day", "week", "month", "quarter", "year"] as const) {
    cases.push(
      { query: { object: "task", groupBy: [{ field: "due", granularity }], aggregate: [{ function: "count", alias: "n" }, { function: "sum", field: "estimate", alias: "total" }] }, ordered: true },
      { query: { object: "task", groupBy: [{ field: "closed_at", granularity, alias: "bucket" }, { field: "done" }], aggregate: [{ function: "count", alias: "n" }], orderBy: [{ field: "bucket", direction: "desc" }, { field: "done", direction: "asc" }] }, ordered: true },
    );
  }
  cases.push({ query: { object: "task", groupBy: [{ field: "assignee.hired", granularity: "quarter", alias: "q" }], aggregate: [{ function: "count", alias: "n" }], having: { field: "q", operator: ">=", value: "2025-01-01" } }, ordered: true });
  cases.push({ query: { object: "task", groupBy: [{ field: "status" }], aggregate: [{ function: "count", alias: "n" }], filter: { field: "due", operator: "=", value: "THIS_QUARTER" } }, ordered: false });
  // Paging groups: more groups than `limit` are reported (truncated, nextOffset), never dropped silently.
  const byStatus: AggregateQueryInput = { object: "task", groupBy: [{ field: "status" }], aggregate: [{ function: "count", alias: "n" }] };
  cases.push(
    { query: { ...byStatus, limit: 4 }, ordered: true },
    { query: { ...byStatus, limit: 5 }, ordered: true },
    { query: { ...byStatus, limit: 4, offset: 4 }, ordered: true },
    { query: { ...byStatus, limit: 2, offset: 1, orderBy: [{ field: "n", direction: "desc" }] }, ordered: true },
    { query: { object: "task", aggregate: [{ function: "count", alias: "n" }], limit: 1 }, ordered: true },
    { query: { object: "task", groupBy: [{ field: "assignee" }], aggregate: [{ function: "count", alias: "n" }], orderBy: [{ field: "assignee", direction: "asc" }], limit: 10, offset: 20 }, ordered: true },
    // Search through lookups in an aggregate shares the join with the dotted group key.
    { query: { object: "task", search: "emp02", groupBy: [{ field: "assignee.name" }], aggregate: [{ function: "count", alias: "n" }] }, ordered: true },
  );
  return cases;
}

/** A query the engine refuses: the message it gives and (when set) the path of its first issue. */
export type ErrorCase = { label: string; query: FindQueryInput | AggregateQueryInput; message: RegExp; path?: (string | number)[] };

export function errorCases(): ErrorCase[] {
  let deep: Filter = { field: "title", operator: "=", value: "x" };
  for (let level = 0; level < 20; level++) deep = { not: deep };
  return [
    { label: "unknown field", query: { object: "task", filter: { field: "nope", operator: "=", value: 1 } }, message: /Unknown field 'nope' on object 'task'/ },
    { label: "unknown field in a path", query: { object: "task", select: ["assignee.nope"] }, message: /Unknown field 'nope' on object 'employee'/ },
    { label: "operator unfit for the type", query: { object: "task", filter: { field: "priority", operator: "contains", value: "1" } }, message: /'contains'.*'priority'/ },
    { label: "path through a non-lookup", query: { object: "task", filter: { field: "title.length", operator: "=", value: 1 } }, message: /'title', which is not a lookup/ },
    { label: "too deep a path", query: { object: "task", orderBy: [{ field: "assignee.manager.manager.manager.manager.name", direction: "asc" }] }, message: /too deep.*at most 4/ },
    { label: "filter nested too deeply", query: { object: "task", filter: deep }, message: /nested too deeply/ },
    { label: "huge limit", query: { object: "task", limit: 100_000 }, message: /limit.*at most 1000/ },
    { label: "sum of a non-numeric field", query: { object: "task", aggregate: [{ function: "sum", field: "title", alias: "s" }] }, message: /'sum' needs a number/ },
    { label: "avg of a dotted non-numeric field", query: { object: "task", aggregate: [{ function: "avg", field: "assignee.hired", alias: "s" }] }, message: /'avg' needs a number/ },
    { label: "having an unknown alias", query: { object: "task", groupBy: [{ field: "status" }], aggregate: [{ function: "count", alias: "n" }], having: { field: "total", operator: ">", value: 1 } }, message: /unknown alias 'total'/ },
    { label: "granularity on a non-date field", query: { object: "task", groupBy: [{ field: "priority", granularity: "month" }], aggregate: [{ function: "count", alias: "n" }] }, message: /Granularity 'month' needs a date/ },
    { label: "orderBy outside the groups", query: { object: "task", groupBy: [{ field: "status" }], aggregate: [{ function: "count", alias: "n" }], orderBy: [{ field: "priority", direction: "asc" }] }, message: /neither a group key nor an aggregate alias/ },
    { label: "bad cursor", query: { object: "task", cursor: "not-a-cursor" }, message: /Invalid cursor/ },
    { label: "cursor that is not a string", query: { object: "task", cursor: 42 as unknown as string }, message: /cursor must be a non-empty string/ },
    { label: "empty cursor", query: { object: "task", cursor: "" }, message: /cursor must be a non-empty string of at most 4000/ },
    { label: "cursor of another sort", query: { object: "task", orderBy: [{ field: "title", direction: "asc" }], cursor: Buffer.from(JSON.stringify({ s: "x", v: [1], id: "a" })).toString("base64url") }, message: /Invalid cursor.*different/ },
    { label: "relative date on a number", query: { object: "task", filter: { field: "priority", operator: "=", value: "TODAY" } }, message: /relative dates apply only to date/ },
    { label: "relative date with in", query: { object: "task", filter: { field: "due", operator: "in", value: ["TODAY"] } }, message: /does not take a relative date/ },
    { label: "expand of an unrelated object", query: { object: "task", expand: [{ relation: "department" }] }, message: /0 lookups to 'task'/ },
    { label: "ambiguous expand", query: { object: "employee", expand: [{ relation: "task" }] }, message: /2 lookups to 'employee'/ },
    { label: "empty aggregate query", query: { object: "task", aggregate: [], groupBy: [] }, message: /at least one aggregate or groupBy/ },
    { label: "too many groups asked for", query: { object: "task", groupBy: [{ field: "status" }], limit: 20_000 }, message: /limit: must be at most 10000/, path: ["limit"] },
    {
      label: "expand nested too deeply",
      query: { object: "department", expand: [{ relation: "employee", expand: [{ relation: "task.assignee", expand: [{ relation: "task", expand: [{ relation: "task" }] }] }] }] },
      message: /expand\.0\.expand\.0\.expand\.0\.expand: expand may be nested at most 3 levels deep/,
      path: ["expand", 0, "expand", 0, "expand", 0, "expand"],
    },
    {
      label: "unknown lookup in a nested expand",
      query: { object: "department", expand: [{ relation: "employee", expand: [{ relation: "task.nope" }] }] },
      message: /'nope' is not a lookup of object 'task' to 'employee'/,
      path: ["expand", 0, "expand", 0, "relation"],
    },
    {
      label: "unknown field in a nested expand's filter",
      query: { object: "department", expand: [{ relation: "employee", expand: [{ relation: "employee.manager", filter: { field: "nope", operator: "=", value: 1 } }] }] },
      message: /Unknown field 'nope' on object 'employee'/,
      path: ["expand", 0, "expand", 0, "filter", "field"],
    },
    { label: "nested expand filter nested too deeply", query: { object: "department", expand: [{ relation: "employee", expand: [{ relation: "task.assignee", filter: deep }] }] }, message: /filter is nested too deeply/ },
  ];
}
