import { sql, type RawBuilder } from "kysely";
import { tableName } from "../schema/sql-names";
import type { ValueType } from "@/formula/ast";
import type { RefStep, TypedNode } from "@/formula/type-checker";

/**
 * Compiles a typed formula to one SQL expression per dialect, with the evaluator's semantics
 * (see evaluator.ts). Values are bound parameters; identifiers come only from metadata.
 * Fields reached through lookups become correlated scalar subqueries on the referenced table's
 * primary key, so a formula is a self-contained expression the query builder can select,
 * filter and sort by without knowing its joins. Numbers are computed as double precision.
 *
 * SQLite uses three helper functions registered on every connection (sqlite-functions.ts) where
 * its built-ins differ from the other databases: os_formula_round, os_formula_text, os_formula_date.
 */

export type FormulaDialect = "sqlite" | "postgres" | "mysql";

export type FormulaSqlScope = {
  dialect: FormulaDialect;
  /** Alias of the table whose row the formula is evaluated on. */
  alias: string;
  /** Builds the SQL of a rollup leaf given the id of the parent record (formula/rollup-sql.ts). */
  rollupSql: (node: Extract<TypedNode, { kind: "rollup" }>, parentId: RawBuilder<unknown>, depth: number) => RawBuilder<unknown>;
  /** Nesting depth of generated subqueries, so their aliases never shadow an outer one. */
  depth?: number;
};

type Sql = RawBuilder<unknown>;

export const NUMBER_TEXT_PATTERN = String.raw`^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$`;

/**
 * A text constant written into PostgreSQL SQL. Formula constants are part of the metadata, not
 * request values; on PostgreSQL they are inlined because two occurrences of an expression with
 * bound parameters ($1 vs $5) are different expressions to it, which breaks GROUP BY over a
 * formula. An E'' string escapes both quote and backslash, whatever standard_conforming_strings says.
 */
function postgresText(value: string): Sql {
  return sql.raw(`E'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`);
}

function numberParam(dialect: FormulaDialect, value: number): Sql {
  // Finite numbers from the lexer; String() gives a valid SQL numeric literal (e.g. 1e+21).
  if (dialect === "postgres") return Number.isFinite(value) ? sql`cast(${sql.raw(String(value))} as double precision)` : sql`null`;
  if (dialect === "mysql") return sql`cast(${value} as double)`;
  return sql`cast(${value} as real)`;
}

function textParam(dialect: FormulaDialect, value: string): Sql {
  return dialect === "postgres" ? sql`cast(${postgresText(value)} as text)` : sql`${value}`;
}

/** A stored column as a formula value: numbers as double precision everywhere. */
function columnValue(dialect: FormulaDialect, column: Sql, type: ValueType): Sql {
  if (type === "number") {
    if (dialect === "postgres") return sql`cast(${column} as double precision)`;
    if (dialect === "mysql") return sql`cast(${column} as double)`;
  }
  return column;
}

/** The value of `column` of the record reached from the scope's row through `steps`. */
function throughLookups(scope: FormulaSqlScope, steps: RefStep[], column: string, depth: number): { sql: Sql; depth: number } {
  if (steps.length === 0) return { sql: sql.ref(`${scope.alias}.${column}`), depth };
  let current: Sql = sql.ref(`${scope.alias}.${steps[0].field.name}`);
  steps.forEach((step, index) => {
    const alias = `cf${depth + index + 1}`;
    const next = index === steps.length - 1 ? column : steps[index + 1].field.name;
    current = sql`(select ${sql.ref(`${alias}.${next}`)} from ${sql.id(tableName(step.target.name))} ${sql.id(alias)} where ${sql.ref(`${alias}.id`)} = ${current})`;
  });
  return { sql: current, depth: depth + steps.length };
}

function length(dialect: FormulaDialect, value: Sql): Sql {
  return dialect === "mysql" ? sql`char_length(${value})` : sql`length(${value})`;
}

function isBlank(dialect: FormulaDialect, value: Sql, type: ValueType): Sql {
  return type === "text" ? sql`(${value} is null or ${length(dialect, value)} = 0)` : sql`(${value} is null)`;
}

function toDate(dialect: FormulaDialect, value: Sql, type: ValueType): Sql {
  if (type !== "datetime") return value;
  if (dialect === "postgres") return sql`cast((${value} at time zone 'UTC') as date)`;
  return sql`date(${value})`;
}

function comparison(dialect: FormulaDialect, op: string, type: ValueType, left: Sql, right: Sql): Sql {
  const operator = sql.raw(op === "!=" ? "<>" : op);
  if (type === "text") {
    // Byte order (as JS compares strings), not the database's locale or case-insensitive collation.
    if (dialect === "postgres") return sql`(${left} collate "C" ${operator} ${right})`;
    if (dialect === "mysql") return sql`(cast(${left} as binary) ${operator} cast(${right} as binary))`;
  }
  return sql`(${left} ${operator} ${right})`;
}

function concat(dialect: FormulaDialect, parts: Sql[]): Sql {
  const safe = parts.map((part) => sql`coalesce(${part}, '')`);
  return dialect === "mysql" ? sql`concat(${sql.join(safe)})` : sql`(${sql.join(safe, sql` || `)})`;
}

function caseOf(branches: [Sql, Sql][], otherwise: Sql | null): Sql {
  const whens = branches.map(([condition, value]) => sql`when ${condition} then ${value}`);
  return sql`(case ${sql.join(whens, sql` `)} else ${otherwise ?? sql`null`} end)`;
}

function anyNull(values: Sql[]): Sql {
  return sql`(${sql.join(values.map((value) => sql`${value} is null`), sql` or `)})`;
}

export function compileFormulaSql(node: TypedNode, scope: FormulaSqlScope): Sql {
  const dialect = scope.dialect;
  const depth = scope.depth ?? 0;
  const compile = (child: TypedNode) => compileFormulaSql(child, scope);
  switch (node.kind) {
    case "literal":
      if (node.value === null) return sql`null`;
      if (typeof node.value === "boolean") return sql.raw(node.value ? "true" : "false");
      if (typeof node.value === "number") return numberParam(dialect, node.value);
      return textParam(dialect, node.value);
    case "field": {
      const { sql: value } = throughLookups(scope, node.steps, node.field.name, depth);
      return columnValue(dialect, value, node.type);
    }
    case "rollup": {
      const { sql: parentId, depth: reached } = throughLookups(scope, node.steps, "id", depth);
      return scope.rollupSql(node, parentId, reached + 1);
    }
    case "unary": {
      const operand = compile(node.operand);
      return node.op === "-" ? sql`(- ${operand})` : sql`(not ${operand})`;
    }
    case "binary": {
      const left = compile(node.left);
      const right = compile(node.right);
      switch (node.op) {
        case "+": case "-": case "*":
          return sql`(${left} ${sql.raw(node.op)} ${right})`;
        case "/":
          return sql`(${left} / nullif(${right}, 0))`;
        case "&":
          return concat(dialect, [left, right]);
        case "AND": case "OR":
          return sql`(${left} ${sql.raw(node.op.toLowerCase())} ${right})`;
        default:
          return comparison(dialect, node.op, node.operandType, left, right);
      }
    }
    case "call":
      return compileCall(node, scope, compile);
  }
}

function compileCall(node: Extract<TypedNode, { kind: "call" }>, scope: FormulaSqlScope, compile: (node: TypedNode) => Sql): Sql {
  const dialect = scope.dialect;
  const args = node.args.map(compile);
  const [a, b, c] = args;
  const argType = (index: number) => node.args[index].type;
  const byDialect = (sqlite: () => Sql, postgres: () => Sql, mysql: () => Sql): Sql =>
    dialect === "sqlite" ? sqlite() : dialect === "postgres" ? postgres() : mysql();

  switch (node.name) {
    case "IF":
      return caseOf([[a, b]], c ?? null);
    case "IFS": {
      const branches: [Sql, Sql][] = [];
      for (let i = 0; i + 1 < args.length; i += 2) branches.push([args[i], args[i + 1]]);
      return caseOf(branches, args.length % 2 === 1 ? args[args.length - 1] : null);
    }
    case "SWITCH": {
      const branches: [Sql, Sql][] = [];
      const type = argType(0) === "null" ? argType(1) : argType(0);
      for (let i = 1; i + 1 < args.length; i += 2) branches.push([comparison(dialect, "=", type, a, args[i]), args[i + 1]]);
      return caseOf(branches, args.length % 2 === 0 ? args[args.length - 1] : null);
    }
    case "ISBLANK":
      return isBlank(dialect, a, argType(0));
    case "BLANKVALUE":
      return caseOf([[isBlank(dialect, a, argType(0)), b]], a);
    case "ROUND": {
      // A whole number 0..10 written in the formula (checked by the type checker), clamped again as it is inlined.
      const digits = node.args[1].kind === "literal" ? Math.min(10, Math.max(0, Math.trunc(Number(node.args[1].value)) || 0)) : 0;
      return byDialect(
        () => sql`os_formula_round(${a}, ${digits})`,
        () => sql`cast(round(cast(${a} as numeric), ${sql.raw(String(digits))}) as double precision)`,
        // Via text: MySQL's DECIMAL from a double keeps binary noise (1.005 -> 1.00499...).
        () => sql`cast(round(cast(cast(${a} as char) as decimal(65, 30)), ${digits}) as double)`,
      );
    }
    case "ABS": return sql`abs(${a})`;
    case "FLOOR": return sql`floor(${a})`;
    case "CEILING": return sql`ceiling(${a})`;
    case "MIN": case "MAX": {
      if (args.length === 1) return a;
      const fn = sql.raw(node.name === "MIN" ? (dialect === "sqlite" ? "min" : "least") : dialect === "sqlite" ? "max" : "greatest");
      const call = sql`${fn}(${sql.join(args)})`;
      // PostgreSQL's least/greatest skip NULLs; the language says NULL in -> NULL out.
      return dialect === "postgres" ? caseOf([[anyNull(args), sql`null`]], call) : call;
    }
    case "LEN": return sql`coalesce(${length(dialect, a)}, 0)`;
    case "UPPER": return sql`upper(${a})`;
    case "LOWER": return sql`lower(${a})`;
    case "TRIM": return byDialect(() => sql`trim(${a}, ' ')`, () => sql`btrim(${a}, ' ')`, () => sql`trim(${a})`);
    case "LEFT": case "RIGHT": {
      const count = sql`floor(${b})`;
      const take = byDialect(
        () => (node.name === "LEFT" ? sql`substr(${a}, 1, cast(${count} as integer))` : sql`substr(${a}, - cast(${count} as integer))`),
        () => sql`${sql.raw(node.name === "LEFT" ? "left" : "right")}(${a}, cast(${count} as integer))`,
        () => sql`${sql.raw(node.name === "LEFT" ? "left" : "right")}(${a}, ${count})`,
      );
      return caseOf([[anyNull([a, b]), sql`null`], [sql`${count} <= 0`, sql`''`]], take);
    }
    case "CONTAINS":
      return byDialect(
        () => sql`(instr(${a}, ${b}) > 0)`,
        () => sql`(strpos(${a}, ${b}) > 0)`,
        () => sql`(instr(cast(${a} as binary), cast(${b} as binary)) > 0)`,
      );
    case "CONCAT":
      return concat(dialect, args);
    case "TEXT":
      switch (argType(0)) {
        case "number":
          return byDialect(() => sql`os_formula_text(${a})`, () => sql`cast(cast(${a} as numeric) as text)`, () => sql`cast(${a} as char)`);
        case "boolean":
          return caseOf([[a, sql`'true'`], [sql`not ${a}`, sql`'false'`]], null);
        case "date":
          return byDialect(() => a, () => sql`to_char(${a}, 'YYYY-MM-DD')`, () => sql`date_format(${a}, '%Y-%m-%d')`);
        case "datetime":
          return byDialect(
            () => a,
            () => sql`to_char(${a} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
            () => sql`concat(date_format(${a}, '%Y-%m-%dT%H:%i:%s.'), lpad(floor(microsecond(${a}) / 1000), 3, '0'), 'Z')`,
          );
        default:
          return a;
      }
    case "VALUE":
      return byDialect(
        () => sql`os_to_number(${a})`,
        () => sql`(case when btrim(${a}, ' ') ~ ${postgresText(NUMBER_TEXT_PATTERN)} then cast(btrim(${a}, ' ') as double precision) end)`,
        () => sql`(case when trim(${a}) regexp ${NUMBER_TEXT_PATTERN} then cast(trim(${a}) as double) end)`,
      );
    case "TODAY":
      return byDialect(() => sql`date('now')`, () => sql`cast((now() at time zone 'UTC') as date)`, () => sql`utc_date()`);
    case "NOW":
      return byDialect(() => sql`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`, () => sql`now()`, () => sql`utc_timestamp(3)`);
    case "YEAR": case "MONTH": case "DAY": {
      const date = toDate(dialect, a, argType(0));
      const part = { YEAR: ["%Y", "year", "year"], MONTH: ["%m", "month", "month"], DAY: ["%d", "day", "dayofmonth"] }[node.name];
      return byDialect(
        () => sql`cast(strftime(${sql.lit(part[0])}, ${date}) as integer)`,
        () => sql`cast(extract(${sql.raw(part[1])} from ${date}) as double precision)`,
        () => sql`${sql.raw(part[2])}(${date})`,
      );
    }
    case "DATE": {
      const [y, m, d] = [sql`floor(${a})`, sql`floor(${b})`, sql`floor(${c})`];
      if (dialect === "sqlite") return sql`os_formula_date(${a}, ${b}, ${c})`;
      if (dialect === "postgres") {
        // Every make_date here gets valid arguments (clamped), so PostgreSQL never raises,
        // even if it folds the expression while planning; the condition rejects invalid dates.
        const month = sql`make_date(cast(least(greatest(${y}, 1), 9999) as integer), cast(least(greatest(${m}, 1), 12) as integer), 1)`;
        const valid = sql`${y} between 1 and 9999 and ${m} between 1 and 12 and ${d} >= 1 and ${d} <= extract(day from (${month} + interval '1 month' - interval '1 day'))`;
        return caseOf([[valid, sql`(${month} + cast(least(greatest(${d}, 1), 31) - 1 as integer))`]], null);
      }
      const month = sql`(makedate(${y}, 1) + interval (${m} - 1) month)`;
      const valid = sql`${y} between 1 and 9999 and ${m} between 1 and 12 and ${d} >= 1 and ${d} <= day(last_day(${month}))`;
      return caseOf([[valid, sql`(${month} + interval (${d} - 1) day)`]], null);
    }
    case "ADDDAYS":
      return byDialect(
        () => sql`date(${a}, cast(floor(${b}) as integer) || ' days')`,
        () => sql`(${a} + cast(floor(${b}) as integer))`,
        () => sql`(${a} + interval floor(${b}) day)`,
      );
    case "DAYSBETWEEN":
      return byDialect(
        () => sql`cast(round(julianday(${b}) - julianday(${a})) as integer)`,
        () => sql`cast((${b} - ${a}) as double precision)`,
        () => sql`datediff(${b}, ${a})`,
      );
  }
  throw new Error(`formula function ${node.name} has no SQL compiler`);
}
