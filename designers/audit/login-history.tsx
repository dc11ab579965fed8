"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { errorIssues, useTRPC } from "@/components/trpc";
import { Badge } from "@/components/ui";
import { AuditLogPage, ChoiceFilter, TextFilter, formatTime, useAuditFilter } from "./audit-table";

const PAGE_SIZE = 50;
const OUTCOME_COLORS: Record<string, string> = { success: "#047857", failure: "#b91c1c", locked: "#b45309" };
const REASONS: Record<string, string> = {
  wrong_password: "Wrong password",
  unknown_user: "Unknown email",
  inactive: "User deactivated",
  invalid_input: "Invalid input",
  locked_email: "Too many failures (email)",
  locked_ip: "Too many failures (IP)",
};
type LoginFilter = { email?: string; outcome?: "success" | "failure" | "locked"; from?: string; to?: string };

/** /studio/audit/logins: every sign-in attempt, filterable, paged, exportable. */
export function LoginHistory() {
  const trpc = useTRPC();
  const filter = useAuditFilter({ email: "", outcome: "", from: "", to: "" });
  const logins = useQuery({
    ...trpc.audit.logins.queryOptions({ ...(filter.filter as LoginFilter), page: filter.page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const issues = errorIssues(logins.error);

  return (
    <AuditLogPage
      title="Login history"
      meta="Every sign-in attempt: who, when, from where, and whether it worked."
      exportPath="/api/audit/logins.csv"
      filter={filter}
      query={logins}
      pageSize={PAGE_SIZE}
      fields={
        <>
          <TextFilter name="email" label="User or email" placeholder="part of an email" width="w-56" filter={filter} issues={issues} />
          <ChoiceFilter name="outcome" label="Outcome" width="w-40" filter={filter}
            options={[["success", "Success"], ["failure", "Failure"], ["locked", "Locked"]]} />
        </>
      }
      columns={["Time", "Email", "Outcome", "Reason", "IP", "Browser"]}
    >
      {logins.data?.rows.map((row) => (
        <tr key={row.id} className="hover:bg-slate-50">
          <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatTime(row.createdAt)}</td>
          <td className="px-4 py-2 font-medium text-slate-800">{row.email || <span className="text-slate-400">(none)</span>}</td>
          <td className="px-4 py-2"><Badge color={OUTCOME_COLORS[row.outcome]}>{row.outcome}</Badge></td>
          <td className="whitespace-nowrap px-4 py-2 text-slate-600">{row.reason ? (REASONS[row.reason] ?? row.reason) : ""}</td>
          <td className="px-4 py-2 font-mono text-xs text-slate-600">{row.ip}</td>
          <td className="px-4 py-2 text-xs text-slate-500"><div className="max-w-44 truncate" title={row.userAgent ?? undefined}>{row.userAgent}</div></td>
        </tr>
      ))}
    </AuditLogPage>
  );
}
