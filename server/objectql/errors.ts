/**
 * The one error type the data layer throws for anything a caller can fix (bad input, unknown
 * names, constraint conflicts, unconfirmed destructive changes). The API layer maps `code` to
 * an HTTP/tRPC status; `issues` carries one entry per problem with its path.
 */
export type ObjectQLErrorCode = "BAD_REQUEST" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED" | "FORBIDDEN";

export type ObjectQLIssue = {
  path: (string | number)[];
  message: string;
  /** The validation rule that refused the record, when a rule did. */
  rule?: string;
};

export class ObjectQLError extends Error {
  readonly code: ObjectQLErrorCode;
  readonly path?: (string | number)[];
  readonly issues?: ObjectQLIssue[];

  constructor(
    code: ObjectQLErrorCode,
    message: string,
    options: { path?: (string | number)[]; issues?: ObjectQLIssue[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ObjectQLError";
    this.code = code;
    if (options.path) this.path = options.path;
    if (options.issues) this.issues = options.issues;
  }
}

/**
 * By name too: the production build bundles this module into several chunks, and the services
 * (kept on globalThis) throw another chunk's class, which `instanceof` here does not match.
 */
export function isObjectQLError(error: unknown): error is ObjectQLError {
  return error instanceof ObjectQLError || (error instanceof Error && error.name === "ObjectQLError" && typeof (error as { code?: unknown }).code === "string");
}

/** Formats a path like `fields.3.reference` for messages. */
export function formatPath(path: (string | number)[]): string {
  return path.join(".");
}
