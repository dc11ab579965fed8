/**
 * An expected failure that a caller can act on: bad input, a missing document, a conflict.
 * The API layer turns it into a 4xx with the message and the issues (path + message each);
 * anything else is a bug and becomes a 500 with no details.
 */
export type ServiceErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED" | "FORBIDDEN";
export type Issue = { path: (string | number)[]; message: string };

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly issues?: Issue[],
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

/** Turns zod issues into our issue list, with a one-line summary naming the first paths. */
export function issuesFromZod(error: { issues: { path: PropertyKey[]; message: string }[] }): Issue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((part) => (typeof part === "number" ? part : String(part))),
    message: issue.message,
  }));
}

export function summarizeIssues(issues: Issue[], max = 3): string {
  const shown = issues.slice(0, max).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  const more = issues.length > max ? ` (and ${issues.length - max} more)` : "";
  return shown.join("; ") + more;
}
