/**
 * Recognises constraint violations in SQLite (better-sqlite3) and PostgreSQL (pg) errors, so
 * the engine can report them as ObjectQLErrors naming the field instead of leaking driver text.
 */
export type DatabaseErrorKind = "unique" | "not_null" | "foreign_key" | "check" | "other";

export type DatabaseErrorInfo = { kind: DatabaseErrorKind; columns: string[]; message: string };

type DriverError = { code?: unknown; message?: unknown; detail?: unknown; column?: unknown };

function columnsFromSqliteMessage(message: string): string[] {
  // "UNIQUE constraint failed: obj_account.email, obj_account.code"
  const list = message.split("constraint failed:")[1];
  if (!list) return [];
  return list.split(",").map((part) => part.trim().split(".").pop() ?? "").filter(Boolean);
}

function columnsFromPgDetail(detail: string): string[] {
  // "Key (email)=(a@b.c) already exists." / "Key (parent)=(x) is not present in table ..."
  const match = /Key \(([^)]*)\)=/.exec(detail);
  return match ? match[1].split(",").map((part) => part.trim().replace(/^"|"$/g, "")) : [];
}

export function describeDatabaseError(error: unknown): DatabaseErrorInfo {
  const driver = (typeof error === "object" && error !== null ? error : {}) as DriverError;
  const code = typeof driver.code === "string" ? driver.code : "";
  const message = typeof driver.message === "string" ? driver.message : String(error);
  const detail = typeof driver.detail === "string" ? driver.detail : "";

  if (code.startsWith("SQLITE_CONSTRAINT")) {
    const columns = columnsFromSqliteMessage(message);
    if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return { kind: "unique", columns, message };
    if (code === "SQLITE_CONSTRAINT_NOTNULL") return { kind: "not_null", columns, message };
    if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") return { kind: "foreign_key", columns, message };
    if (code === "SQLITE_CONSTRAINT_CHECK") return { kind: "check", columns, message };
  }
  switch (code) {
    case "23505":
      return { kind: "unique", columns: columnsFromPgDetail(detail), message };
    case "23502":
      return { kind: "not_null", columns: typeof driver.column === "string" ? [driver.column] : [], message };
    case "23503":
      return { kind: "foreign_key", columns: columnsFromPgDetail(detail), message };
    case "23514":
      return { kind: "check", columns: [], message };
  }
  return { kind: "other", columns: [], message };
}
