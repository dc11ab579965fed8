import type Database from "better-sqlite3";
import { makeDate, numberToText, roundHalfAwayFromZero } from "@/formula/semantics";

/**
 * SQL functions the formula compiler uses on SQLite, where the built-ins differ from the
 * language's semantics (SQLite rounds the binary value: round(1.005, 2) = 1.0; cast(real as
 * text) prints 17 digits; date() rolls 2024-02-30 over to March).
 */
export function registerFormulaSqliteFunctions(db: Database.Database): void {
  const options = { deterministic: true, varargs: false };
  db.function("os_formula_round", options, (value: unknown, digits: unknown) =>
    typeof value === "number" && typeof digits === "number" ? roundHalfAwayFromZero(value, digits) : null,
  );
  db.function("os_formula_text", options, (value: unknown) => (typeof value === "number" ? numberToText(value) : null));
  db.function("os_formula_date", options, (year: unknown, month: unknown, day: unknown) =>
    typeof year === "number" && typeof month === "number" && typeof day === "number" ? makeDate(year, month, day) : null,
  );
}
