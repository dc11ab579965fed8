import { TRPCError } from "@trpc/server";
import { createCaller } from "@/server/api/root";
import { createContext, describeError } from "@/server/api/trpc";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const STATUS: Partial<Record<TRPCError["code"], number>> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/**
 * GET /studio/audit/export/field-history.csv, record-events.csv or metadata-changes.csv with
 * the page's filter as the query string: the `recordAudit.export*` procedures (admins only, at
 * most 10,000 rows, newest first) served as a file.
 */
export async function GET(request: Request, context: { params: Promise<{ log: string }> }) {
  const caller = createCaller(await createContext());
  const exports = {
    "field-history.csv": caller.recordAudit.exportFieldHistory,
    "record-events.csv": caller.recordAudit.exportRecordEvents,
    "metadata-changes.csv": caller.recordAudit.exportMetadataChanges,
  } as const;
  const log = (await context.params).log;
  if (!Object.hasOwn(exports, log)) {
    return Response.json({ error: { code: "NOT_FOUND", message: `No export '${log}' (use ${Object.keys(exports).join(", ")})` } }, { status: 404 });
  }
  try {
    const exported = await exports[log as keyof typeof exports](Object.fromEntries(new URL(request.url).searchParams) as never);
    return new Response(exported.csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${exported.fileName}"`,
        "Cache-Control": "no-store",
        "X-Export-Rows": String(exported.rows),
        "X-Export-Total": String(exported.total),
      },
    });
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const status = STATUS[error.code] ?? 500;
    if (status === 500) console.error(error);
    return Response.json({ error: { code: error.code, ...describeError(error) } }, { status });
  }
}
