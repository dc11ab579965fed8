/**
 * next-auth's logger, one line per event. Its default prints a link, the message and the whole
 * error object (about 15 lines with the stack) for every tampered or stale session cookie, which
 * anyone can send as often as they like. A problem with a token the client sent is one line;
 * anything else (a bug, a database failure during sign-in) keeps its stack on the lines after.
 */
export type AuthLogWrite = (line: string) => void;

type ErrorLike = { message?: unknown; name?: unknown; code?: unknown; stack?: unknown; error?: unknown };

/** Errors the client causes by what it sends: a cookie that does not decrypt, is expired, or names an ended session. */
export function isTokenProblem(error: unknown): boolean {
  const candidate = unwrap(error);
  if (!candidate) return false;
  const code = typeof candidate.code === "string" ? candidate.code : "";
  return code.startsWith("ERR_JWE_") || code.startsWith("ERR_JWT_") || code.startsWith("ERR_JWS_") ||
    candidate.name === "SessionEndedError" || candidate.message === "JWT invalid";
}

/** `[auth] <level> <CODE>: <message on one line>`. */
export function authLogLine(level: "error" | "warn", code: string, detail?: unknown): string {
  const error = unwrap(detail);
  const message = error && typeof error.message === "string" ? error.message : typeof detail === "string" ? detail : "";
  const oneLine = message.replace(/\s+/g, " ").trim().slice(0, 300);
  return `[auth] ${level} ${code}${oneLine ? `: ${oneLine}` : ""}`;
}

/** The logger option for next-auth; `write` is where lines go (stderr by default). */
export function createAuthLogger(write: AuthLogWrite = (line) => console.error(line)) {
  return {
    error(code: string, metadata: unknown) {
      const error = unwrap(metadata);
      const stack = !isTokenProblem(metadata) && error && typeof error.stack === "string" ? `\n${error.stack}` : "";
      write(authLogLine("error", code, metadata) + stack);
    },
    warn(code: string) {
      write(authLogLine("warn", code));
    },
    debug() {},
  };
}

/** next-auth passes either the error or `{ error, ...context }`. */
function unwrap(value: unknown): ErrorLike | null {
  if (!value || typeof value !== "object") return null;
  const inner = (value as ErrorLike).error;
  if (inner && typeof inner === "object" && !(value instanceof Error)) return inner as ErrorLike;
  return value as ErrorLike;
}
