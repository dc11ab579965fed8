import type { z } from "zod";
import { issuesFromZod, summarizeIssues } from "@/server/errors";
import type { PlatformDb } from "@/server/db/platform-db";
import { apiCallCsvColumns, apiUsageFilterSchema, listApiCalls } from "./api-usage-log";
import { EXPORT_LIMIT } from "./audit-query";
import { toCsv, type CsvColumn } from "./csv";
import { listLogins, loginCsvColumns, loginHistoryFilterSchema } from "./login-history";

type AuditLog<Filter, Row> = {
  schema: z.ZodType<Filter, unknown>;
  list: (db: PlatformDb, filter: Filter, window: { skip: number; take: number }) => Promise<{ rows: Row[] }>;
  columns: CsvColumn<Row>[];
  file: string;
};

/** A log's CSV export: filtered like its studio page (the query string holds the same fields), newest first. */
function csvExport<Filter, Row>({ schema, list, columns, file }: AuditLog<Filter, Row>) {
  return async (db: PlatformDb, params: URLSearchParams): Promise<Response> => {
    const parsed = schema.safeParse(Object.fromEntries(params));
    if (!parsed.success) {
      const issues = issuesFromZod(parsed.error);
      return Response.json({ error: { code: "BAD_REQUEST", message: `Invalid input: ${summarizeIssues(issues)}`, issues } }, { status: 400 });
    }
    const { rows } = await list(db, parsed.data, { skip: 0, take: EXPORT_LIMIT });
    return new Response(toCsv(rows, columns), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${file}-${new Date().toISOString().slice(0, 10)}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  };
}

const EXPORTS = {
  "logins.csv": csvExport({ schema: loginHistoryFilterSchema, list: listLogins, columns: loginCsvColumns, file: "login-history" }),
  "api-calls.csv": csvExport({ schema: apiUsageFilterSchema, list: listApiCalls, columns: apiCallCsvColumns, file: "api-usage" }),
};

/** `log` is the route's file name (logins.csv, api-calls.csv); at most EXPORT_LIMIT rows. The caller checked the user is an admin. */
export function exportAuditLog(db: PlatformDb, log: string, params: URLSearchParams): Promise<Response> {
  if (!Object.hasOwn(EXPORTS, log)) {
    return Promise.resolve(
      Response.json({ error: { code: "NOT_FOUND", message: `No audit log '${log}' (use ${Object.keys(EXPORTS).join(" or ")})` } }, { status: 404 }),
    );
  }
  return EXPORTS[log as keyof typeof EXPORTS](db, params);
}
