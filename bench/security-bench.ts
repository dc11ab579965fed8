import type { DataDatabase } from "@/server/db/data-db";
import { ObjectRegistry, createObjectQL, type SecurityContext } from "@/server/objectql";
import { SlowQueryLog } from "@/server/objectql/slow-query-log";
import { userAccess } from "@/server/security/access";
import { securitySchema } from "@/spec/security";
import type { AggregateQueryInput, FindQueryInput } from "@/spec/query";
import { compareMedians, formatMs, runsFor } from "./measure";

/**
 * The cost of row-level security: the same ObjectQL query for a user under a private org-wide
 * default (their own and their team's tickets, plus a sharing rule) and for the platform
 * (no predicate), on the data the ObjectQL bench loaded. Prints
 * `bench security <driver> <case> rls_ms=<median> plain_ms=<median> ratio=<r>`.
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
  const listRuns = await runsFor(() => ql.find(lead, queries.list), runs);
  report("list", await compareMedians(() => ql.find(lead, queries.list), () => ql.find(platform, queries.list), listRuns));
  // The same rows without row-level security: the lead's visibility written as an ordinary filter
  // (their team's tickets or urgent ones). This isolates what the mechanism costs from how many
  // rows the user may see (a user who sees a fifth of the rows walks an index about four times as far for 50).
  const team = ["u000", ...agents];
  const sameRows: FindQueryInput = {
    ...queries.list,
    filter: { and: [queries.list.filter!, { or: [{ field: "owner_id", operator: "in", value: team }, { field: "priority", operator: "=", value: 5 }] }] },
  };
  const [asLead, filtered] = [await ql.find(lead, queries.list), await ql.find(platform, sameRows)];
  if (asLead.records.map((record) => record.id).join() !== filtered.records.map((record) => record.id).join()) {
    throw new Error("bench security: the filter does not select the rows the lead sees");
  }
  const sameRowsResult = await compareMedians(() => ql.find(lead, queries.list), () => ql.find(platform, sameRows), listRuns);
  console.log(`bench security ${driver} list_vs_same_rows rls_ms=${formatMs(sameRowsResult.a)} filter_ms=${formatMs(sameRowsResult.b)} ratio=${(sameRowsResult.a / sameRowsResult.b).toFixed(2)}`);
  report("group_by", await compareMedians(() => ql.aggregate(lead, queries.groupBy), () => ql.aggregate(platform, queries.groupBy), Math.max(3, Math.floor(runs / 3)), 1));
}
