import { summarizeIssues, type Issue } from "@/server/errors";

/** Bad input found by the REST adapter itself (query string, JSON body), before any procedure runs. */
export class RestInputError extends Error {
  constructor(readonly issues: Issue[]) {
    super(`Invalid input: ${summarizeIssues(issues)}`);
    this.name = "RestInputError";
  }
}
