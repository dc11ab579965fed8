import "server-only";
import { listApiCalls, apiUsageFilterSchema } from "@/server/audit/api-usage-log";
import { listLogins, loginHistoryFilterSchema } from "@/server/audit/login-history";
import { adminProcedure, createTRPCRouter } from "../trpc";

/** The audit logs, for admins only (the CSV exports are app/api/audit/[log]/route.ts). */
export const auditRouter = createTRPCRouter({
  /** Login history: every sign-in attempt, newest first. */
  logins: adminProcedure.input(loginHistoryFilterSchema).query(({ ctx, input }) => listLogins(ctx.services.platformDb, input)),

  /** API usage log: every REST call, newest first. */
  apiCalls: adminProcedure.input(apiUsageFilterSchema).query(({ ctx, input }) => listApiCalls(ctx.services.platformDb, input)),
});
