/**
 * Recognises constraint violations in SQLite (better-sqlite3), PostgreSQL (pg) and MySQL /
 * MariaDB (mysql2) errors, so
 * the engine can report them as ObjectQLErrors naming the field instead of leaking driver text.
 */
export type DatabaseErrorKind = "unique" | "not_null" | "foreign_key" | "check" | "other";

export type DatabaseErrorInfo = { kind: DatabaseErrorKind; columns: string[]; message: string };

type DriverError = { code?: unknown; errno?: unknown; message?: unknown; detail?: unknown; column?: unknown };

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

/**
 * MySQL names the violated key, not its columns: "Duplicate entry 'x' for key 'uq_account_email'"
 * (MySQL 8 prefixes the table: 'obj_account.uq_account_email'). Unique indexes of fields are
 * named uq_<object>_<field>; since object and field names may both contain '_', every suffix is
 * a candidate and the caller keeps those that are fields of the object.
 */
function columnsFromMysqlDuplicate(message: string): string[] {
  const key = /for key '([^']*)'/.exec(message)?.[1]?.split(".").pop();
  if (!key?.startsWith("uq_")) return [];
  const parts = key.slice(3).split("_");
  return parts.slice(1).map((_, index) => parts.slice(index + 1).join("_"));
}

/** MySQL / MariaDB server errors (mysql2 puts the server's error number in `errno`). */
function describeMysqlError(errno: number, message: string): DatabaseErrorInfo | null {
  switch (errno) {
    case 1062: // ER_DUP_ENTRY
    case 1586: // ER_DUP_ENTRY_WITH_KEY_NAME
      return { kind: "unique", columns: columnsFromMysqlDuplicate(message), message };
    case 1048: // ER_BAD_NULL_ERROR: "Column 'name' cannot be null"
    case 1364: // ER_NO_DEFAULT_FOR_FIELD: "Field 'name' doesn't have a default value"
      return { kind: "not_null", columns: [/(?:Column|Field) '([^']+)'/.exec(message)?.[1] ?? ""].filter(Boolean), message };
    case 1451: // ER_ROW_IS_REFERENCED_2
    case 1452: // ER_NO_REFERENCED_ROW_2: "... FOREIGN KEY (`employer`) REFERENCES ..."
    case 1216: // ER_NO_REFERENCED_ROW
    case 1217: // ER_ROW_IS_REFERENCED
      return { kind: "foreign_key", columns: [/FOREIGN KEY \(`([^`]+)`\)/.exec(message)?.[1] ?? ""].filter(Boolean), message };
    case 3819: // MySQL ER_CHECK_CONSTRAINT_VIOLATED
    case 4025: // MariaDB ER_CONSTRAINT_FAILED (also a JSON column's json_valid check)
      return { kind: "check", columns: [], message };
    default:
      return null;
  }
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
  if (typeof driver.errno === "number" && code.startsWith("ER_")) {
    const mysql = describeMysqlError(driver.errno, message);
    if (mysql) return mysql;
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
