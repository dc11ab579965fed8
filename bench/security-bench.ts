import type { DataDatabase } from "@/server/db/data-db";
import { ObjectRegistry, createObjectQL, type SecurityContext } from "@/server/objectql";
import { SlowQueryLog } from "@/server/objectql/query/slow-query-log";
import { userAccess } from "@/server/security/access";
import { securitySchema } from "@/spec/security";
import type { AggregateQueryInput, Filter, FindQueryInput } from "@/spec/query";
import { compareMedians, formatMs, runsFor } from "./measure";

/**
 * The cost of row-level security: the same ObjectQL query for a user under a private org-wide
 * default (their own and their team's tickets, plus a sharing rule) and for the platform, on the
 * data the ObjectQL bench loaded. Prints
 * `bench security <driver> <case> rls_ms=<median> plain_ms=<median> ratio=<r>`.
 *
 * `list` and `group_by` compare the user's query with the same query run by the platform with the
 * user's visibility written as an ordinary filter: the same rows and the same result (checked),
 * so the ratio is what the mechanism costs (predicates compiled in, masks, access lookups).
 * `list_unrestricted` and `group_by_unrestricted` compare with the platform's unfiltered query, a
 * different result: the user sees about a fifth of the tickets, so an index-ordered top 50 walks
 * about four times as far (slower), and the group-by aggregates a fifth of the rows (faster).
 * No engine can change that; it is printed so the effect of visibility on a list is known.
 */
export async function runSecurityBench(db: DataDatabase, driver: string, runs: number, queries: { list: FindQueryInput; groupBy: AggregateQueryInput }) {
  const registry = new ObjectRegistry(db);
  await registry.reload();
  // A team lead (u000) over nine agents: a tenth of the tickets are theirs, and priority-5 tickets (a seventh) are shared with leads.
  const agents = Array.from({ length: 9 }, (_, index) => `u${String(index + 1).padStart(3, "0")}`);
  const model = securitySchema.parse({
    profiles: [{ name: "agent", label: "Agent", objects: { ticket: { read: true, edit: true }, person: { read: true } } }],
    roles: [{ name: "lead", label: "Lead" }, { name: "agent", label: "Agent", parent: "lead" }],
    orgWideDefaults: { ticket: "private", person: "public_read" },
    sharingRules: [{ name: "urgent", label: "Urgent", object: "ticket", criteria: { field: "priority", operator: "=", value: 5 }, sharedWith: { kind: "role", name: "lead" } }],
    assignments: Object.fromEntries([["u000", { profile: "agent", role: "lead" }], ...agents.map((agent) => [agent, { profile: "agent", role: "agent" }])]),
  });
  const access = userAccess(model, "bench", "u000");
  const ql = createObjectQL({ db, registry, queryLog: new SlowQueryLog({ thresholdMs: Number.POSITIVE_INFINITY }), accessFor: async () => access });
  const lead: SecurityContext = { kind: "user", userId: "u000", role: "user" };
  const platform: SecurityContext = { kind: "system" };
  const report = (name: string, result: { a: number; b: number }) =>
    console.log(`bench security ${driver} ${name} rls_ms=${formatMs(result.a)} plain_ms=${formatMs(result.b)} ratio=${(result.a / result.b).toFixed(2)}`);

  // The lead's visibility as a filter: their team's tickets or urgent ones.
  const team = ["u000", ...agents];
  const visible: Filter = { or: [{ field: "owner_id", operator: "in", value: team }, { field: "priority", operator: "=", value: 5 }] };
  const sameRowsList: FindQueryInput = { ...queries.list, filter: queries.list.filter ? { and: [queries.list.filter, visible] } : visible };
  const sameRowsGroupBy: AggregateQueryInput = { ...queries.groupBy, filter: queries.groupBy.filter ? { and: [queries.groupBy.filter, visible] } : visible };
  const [asLead, filtered] = [await ql.find(lead, queries.list), await ql.find(platform, sameRowsList)];
  if (JSON.stringify(asLead.records.map((record) => record.id)) !== JSON.stringify(filtered.records.map((record) => record.id))) {
    throw new Error("bench security: the filter does not select the rows the lead sees (list)");
  }
  const [leadGroups, filteredGroups] = [await ql.aggregate(lead, queries.groupBy), await ql.aggregate(platform, sameRowsGroupBy)];
  if (JSON.stringify(leadGroups) !== JSON.stringify(filteredGroups)) throw new Error("bench security: the filter does not select the rows the lead sees (group_by)");

  const listRuns = await runsFor(() => ql.find(lead, queries.list), runs);
  const groupRuns = Math.max(3, Math.floor(runs / 3));
  report("list", await compareMedians(() => ql.find(lead, queries.list), () => ql.find(platform, sameRowsList), listRuns));
  report("group_by", await compareMedians(() => ql.aggregate(lead, queries.groupBy), () => ql.aggregate(platform, sameRowsGroupBy), groupRuns, 1));
  report("list_unrestricted", await compareMedians(() => ql.find(lead, queries.list), () => ql.find(platform, queries.list), listRuns));
  report("group_by_unrestricted", await compareMedians(() => ql.aggregate(lead, queries.groupBy), () => ql.aggregate(platform, queries.groupBy), groupRuns, 1));
}
