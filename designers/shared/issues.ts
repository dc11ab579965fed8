import { errorIssues, errorMessage, type ErrorIssue } from "@/components/trpc";

/** Issues keyed by their dotted path ("fields.2.name"), first message wins. */
export function issuesByPath(issues: readonly ErrorIssue[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path.join(".");
    if (!(key in result)) result[key] = issue.message;
  }
  return result;
}

/** Zod issues (local validation) in the same shape as the server's. */
export function zodIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === "number" ? part : String(part))),
    message: issue.message,
  }));
}

/** The message and issues of a failed mutation, for display. */
export function describeError(error: unknown): { message: string; issues: ErrorIssue[]; code: string | null } {
  const code =
    typeof error === "object" && error !== null && "data" in error
      ? ((error as { data?: { code?: string } | null }).data?.code ?? null)
      : null;
  return { message: errorMessage(error), issues: errorIssues(error), code };
}
