import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectDef } from "@/spec/object";
import { Harness, defineObject, systemCtx } from "../test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "../test-support/test-databases";
import { rollupSql } from "./rollup-sql";
import { recordFromRow } from "../records/validation-rules";
import { evaluateFormula, type FormulaValue } from "@/formula/evaluator";
import { compileFormulaSql } from "./sql-compiler";
import { checkFormula, type TypedNode } from "@/formula/type-checker";

/**
 * The formula conformance suite: every expression is evaluated by the JS evaluator and by the
 * SQL compiled for the database, on every row of a small data set with blanks, and the results
 * must be identical. Run on SQLite (unit) and PostgreSQL (int).
 */

const acct = defineObject({
  name: "acct",
  label: "Account",
  pluralLabel: "Accounts",
  fields: [
    { id: "a1", name: "title", label: "Title", type: "text" },
    { id: "a2", name: "revenue", label: "Revenue", type: "number", scale: 2 },
    { id: "a3", name: "since", label: "Since", type: "date" },
    { id: "a4", name: "parent", label: "Parent", type: "lookup", reference: "acct" },
  ],
});

const item = defineObject({
  name: "item",
  label: "Item",
  pluralLabel: "Items",
  fields: [
    { id: "i1", name: "name", label: "Name", type: "text" },
    { id: "i2", name: "qty", label: "Qty", type: "number", scale: 3 },
    { id: "i3", name: "price", label: "Price", type: "currency", scale: 2 },
    { id: "i4", name: "rate", label: "Rate", type: "percent", scale: 2 },
    { id: "i5", name: "active", label: "Active", type: "boolean" },
    { id: "i6", name: "due", label: "Due", type: "date" },
    { id: "i7", name: "seen", label: "Seen", type: "datetime" },
    { id: "i8", name: "note", label: "Note", type: "text" },
    { id: "i9", name: "stage", label: "Stage", type: "select", options: [{ value: "new", label: "New" }, { value: "won", label: "Won" }] },
    { id: "i10", name: "account", label: "Account", type: "lookup", reference: "acct" },
  ],
});

export const FORMULA_CASES: string[] = [
  // literals and arithmetic
  "1 + 2 * 3", "(1 + 2) * 3", "7 / 2", "7 / 0", "-qty", "qty * price", "qty / (price - price)", "price * rate / 100",
  "0.1 + 0.2", "2 - 3 - 4", "10 / 4 / 5", "qty + NULL", "-(-2.5)",
  // comparison and logic
  "qty > 2", "qty >= price", "name = 'Beta'", "name != 'Beta'", "name < 'b'", "name <> note", "due < DATE(2024, 6, 1)",
  "seen > NOW()", "active = TRUE", "active != FALSE", "qty > 1 AND price < 50", "qty > 1 OR price < 50", "NOT active",
  "NOT (qty > 1)", "active AND qty > 100", "active OR qty > 100", "NULL AND FALSE", "NULL OR TRUE", "stage = 'won'",
  // text
  "name & '-' & note", "name & NULL", "CONCAT(name, ' x ', note)", "LEN(name)", "LEN(note)", "UPPER(name)", "LOWER(name)",
  "TRIM('  a b  ')", "TRIM(note)", "LEFT(name, 2)", "RIGHT(name, 3)", "LEFT(name, 0)", "RIGHT(name, -1)", "LEFT(name, 2.9)",
  "LEFT(name, qty)", "RIGHT(name, 100)", "CONTAINS(name, 'et')", "CONTAINS(name, 'ET')", "CONTAINS(note, '')",
  "TEXT(qty)", "TEXT(price)", "TEXT(active)", "TEXT(due)", "TEXT(seen)", "TEXT(1.5)", "TEXT(0.000001)", "TEXT(-3)",
  "VALUE('42')", "VALUE(' 3.5 ')", "VALUE('abc')", "VALUE(note)", "'it''s' & \"\"", "'back\\\\slash' & 'q''uote' & '\\'; drop'", "name = 'a\\\\' OR name = 'Beta'",
  // functions
  "IF(qty > 2, 'big', 'small')", "IF(active, qty, NULL)", "IF(qty > 2, 1)", "IFS(qty > 5, 'a', qty > 1, 'b', 'c')", "IFS(qty > 5, 'a')",
  "SWITCH(stage, 'new', 1, 'won', 2, 0)", "SWITCH(name, 'Beta', 'is beta')", "ISBLANK(note)", "ISBLANK(qty)", "ISBLANK('')",
  "BLANKVALUE(note, 'none')", "BLANKVALUE(qty, 0)", "ROUND(price * 1.005, 2)", "ROUND(1.005, 2)", "ROUND(2.5)", "ROUND(-2.5)",
  "ROUND(qty / 3, 4)", "ABS(-qty)", "FLOOR(qty)", "CEILING(qty)", "FLOOR(-2.5)", "CEILING(-0.5)", "MIN(qty, price)", "MAX(qty, price, 3)",
  "MIN(qty)", "MAX(qty, NULL)",
  // dates
  "YEAR(due)", "MONTH(due)", "DAY(due)", "YEAR(seen)", "DAY(seen)", "DATE(2024, 2, 29)", "DATE(2023, 2, 29)", "DATE(2024, 13, 1)",
  "DATE(YEAR(due), MONTH(due), 1)", "ADDDAYS(due, 30)", "ADDDAYS(due, -400)", "ADDDAYS(due, 1.9)", "DAYSBETWEEN(due, DATE(2025, 1, 1))",
  "DAYSBETWEEN(DATE(2024, 3, 1), DATE(2024, 2, 1))", "TODAY() > DATE(2020, 1, 1)", "TODAY() = TODAY()", "ISBLANK(due)",
  // through lookups
  "account.title", "account.revenue * 2", "account.since", "account.parent.title", "account.parent.revenue + qty",
  "IF(ISBLANK(account), 'none', account.title & '/' & name)", "account = account", "id = id",
];

function normalise(type: TypedNode["type"], value: unknown): FormulaValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "number": {
      const number = Number(value);
      return number === 0 ? 0 : number;
    }
    case "boolean": return value === true || value === 1 || value === "1" || value === "t";
    case "date": return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
    case "datetime": return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
    default: return String(value);
  }
}

function close(a: FormulaValue, b: FormulaValue): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a));
  return a === b;
}

export function defineFormulaSuite(factory: DatabaseFactory): void {
  describe(`formula JS evaluation = SQL (${factory.dialect})`, () => {
    let test: TestDatabase;
    let h: Harness;
    const objects = (name: string): ObjectDef | undefined => ({ acct, item })[name as "acct" | "item"];
    let items: Record<string, unknown>[] = [];
    const accounts = new Map<string, Record<string, unknown>>();

    beforeAll(async () => {
      test = await factory.create();
      h = new Harness(test.db);
      await h.sync(acct);
      await h.sync(item);
      const root = await h.ql.insert(systemCtx, "acct", { title: "Root", revenue: 1000.5, since: "2001-01-31" });
      const child = await h.ql.insert(systemCtx, "acct", { title: "Child", revenue: 250, since: "2019-12-31", parent: root.id });
      const lonely = await h.ql.insert(systemCtx, "acct", { title: "Lonely" });
      const rows: Record<string, unknown>[] = [
        { name: "Alpha", qty: 3, price: 19.99, rate: 12.5, active: true, due: "2024-02-29", seen: "2024-05-01T09:30:00Z", note: "first", stage: "new", account: child.id },
        { name: "Beta", qty: 0.5, price: 100, rate: 0, active: false, due: "2023-12-31", seen: "2030-01-01T00:00:00Z", note: "", stage: "won", account: root.id },
        { name: "gamma", qty: -2.25, price: 0, active: true, due: "2025-01-01", note: "  padded  ", account: lonely.id },
        { name: "Delta", qty: 7, price: 3.5, rate: 100, due: "1999-03-15", seen: "2000-02-29T23:59:59.999Z", stage: "won" },
        { name: "", qty: 1.005, price: 1.01, note: "x", active: false },
        {},
      ];
      for (const row of rows) await h.ql.insert(systemCtx, "item", row);
      const raw = await sql<Record<string, unknown>>`select * from ${sql.id("obj_item")} order by id`.execute(test.db.kysely);
      items = raw.rows.map((row) => recordFromRow(item, row, test.db.dialect));
      const rawAccounts = await sql<Record<string, unknown>>`select * from ${sql.id("obj_acct")}`.execute(test.db.kysely);
      for (const row of rawAccounts.rows) accounts.set(String(row.id), recordFromRow(acct, row, test.db.dialect));
    });
    afterAll(async () => {
      await test?.cleanup();
    });

    function leafValue(record: Record<string, unknown>, leaf: Extract<TypedNode, { kind: "field" | "rollup" }>): unknown {
      let current: Record<string, unknown> | undefined = record;
      for (const step of leaf.steps) {
        const id: unknown = current?.[step.field.name];
        current = typeof id === "string" ? accounts.get(id) : undefined;
      }
      return current ? current[leaf.field.name] : null;
    }

    it.each(FORMULA_CASES)("%s", async (expression) => {
      const typed = checkFormula(expression, item, objects);
      const compiled = compileFormulaSql(typed, {
        dialect: test.db.dialect,
        alias: "t",
        rollupSql: (node, parentId, depth) => rollupSql(node.field, parentId, { dialect: test.db.dialect, objects, depth }),
      });
      const result = await sql<{ id: string; value: unknown }>`select t.id as id, ${compiled} as value from ${sql.id("obj_item")} t order by t.id`.execute(test.db.kysely);
      const now = new Date();
      const fromSql = result.rows.map((row) => normalise(typed.type, row.value));
      const fromJs = items.map((record) => evaluateFormula(typed, (leaf) => leafValue(record, leaf), { now }));
      if (expression.includes("NOW()")) {
        // NOW() differs by the milliseconds between the two evaluations; the rows it decides must not.
        expect(fromSql).toEqual(fromJs);
        return;
      }
      const mismatch = fromSql.findIndex((value, index) => !close(value, fromJs[index]));
      expect(mismatch, `row ${mismatch}: SQL ${JSON.stringify(fromSql[mismatch])} vs JS ${JSON.stringify(fromJs[mismatch])}`).toBe(-1);
    });
  });
}
