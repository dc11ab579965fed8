import type { DataDatabase } from "@/server/db/data-db";
import { ObjectRegistry, createObjectQL, type SecurityContext } from "@/server/objectql";
import { SlowQueryLog } from "@/server/objectql/slow-query-log";
import { userAccess } from "@/server/security/access";
import { securitySchema } from "@/spec/security";
import type { AggregateQueryInput, FindQueryInput } from "@/spec/query";
import { compareMedians, formatMs } from "./measure";

/**
 * The cost of row-level security: the same ObjectQL query for a user under a private org-wide
 * default (their own and their team's tickets, plus a sharing rule) and for the platform
 * (no predicate), on the data the ObjectQL bench loaded. Prints
 * `bench security <driver> <case> rls_ms=<median> plain_ms=<median> ratio=<r>`.
 */
export async function runSecurityBench(db: DataDatabase, driver: string, runs: number, queries: { list: FindQueryInput; groupBy: AggregateQueryInput }) {
  const registry = new ObjectRegistry(db);
  await registry.reload();
  // A team lead (u000) over nine agents: a tenth of the tickets are theirs, and priority-5 tickets are shared with leads.
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
  report("list", await compareMedians(() => ql.find(lead, queries.list), () => ql.find(platform, queries.list), runs));
  report("group_by", await compareMedians(() => ql.aggregate(lead, queries.groupBy), () => ql.aggregate(platform, queries.groupBy), Math.max(3, Math.floor(runs / 3)), 1));
}
