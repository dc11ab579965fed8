import { summarizeIssues, type Issue } from "@/server/errors";

/** Bad input found by the REST adapter itself (query string, JSON body), before any procedure runs. */
export class RestInputError extends Error {
  constructor(
    readonly issues: Issue[],
    /** 400, or 413 for a body over the size limit. */
    readonly status: 400 | 413 = 400,
  ) {
    super(`Invalid input: ${summarizeIssues(issues)}`);
    this.name = "RestInputError";
  }
}
