import { exportAuditLog } from "@/server/audit/audit-export";
import { getCurrentUser } from "@/server/auth/current-user";
import { getServices } from "@/server/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** GET /api/audit/logins.csv or /api/audit/api-calls.csv with the page's filters: admins only. */
export async function GET(request: Request, context: { params: Promise<{ log: string }> }) {
  const user = await getCurrentUser();
  if (!user) return Response.json({ error: { code: "UNAUTHORIZED", message: "Sign in to continue" } }, { status: 401 });
  if (user.role !== "admin") return Response.json({ error: { code: "FORBIDDEN", message: "Only admins may do this" } }, { status: 403 });
  const { platformDb } = await getServices();
  return exportAuditLog(platformDb, (await context.params).log, new URL(request.url).searchParams);
}
