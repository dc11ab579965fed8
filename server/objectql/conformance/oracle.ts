import { isReferenceField, nameFieldOf, type FieldDef, type ObjectDef } from "@/spec/object";
import { DEFAULT_AGGREGATE_LIMIT, aggregateQuerySchema, isRelativeDateValue, type AggregateQuery, type AggregateQueryInput, type AggregateResult, type ExpandInput, type Filter, type FindQueryInput } from "@/spec/query";
import { calendarBucket, calendarRange, type InclusiveDays } from "./calendar-oracle";
import type { GeneratedData, GeneratedRow } from "./data-generator";

/**
 * An in-memory evaluator of ObjectQL queries over the generated data, written plainly in
 * TypeScript and independently of the SQL compiler, so the conformance suite can check each
 * driver's answers against it. It implements the documented semantics: NULL never matches a
 * comparison except `!=`/`not_in` (and is_null); NOT is two-valued; text matching is
 * case-insensitive; NULLs sort last ascending and first descending; the id breaks ties in the
 * direction of the last sort key.
 */

const SYSTEM: Record<string, FieldDef> = {
  id: { id: "_id", name: "id", label: "Id", required: true, unique: true, type: "text", maxLength: 100 },
  created_at: { id: "_c", name: "created_at", label: "Created", required: true, unique: false, type: "datetime" },
  updated_at: { id: "_u", name: "updated_at", label: "Updated", required: true, unique: false, type: "datetime" },
};

const SEARCHABLE: string[] = ["text", "textarea", "email", "url", "phone", "select", "autonumber"];

export class Oracle {
  private readonly objects: Map<string, ObjectDef>;
  private readonly byId = new Map<string, Map<string, GeneratedRow>>();

  constructor(objects: ObjectDef[], private readonly data: GeneratedData, private readonly now: Date) {
    this.objects = new Map(objects.map((object) => [object.name, object]));
    for (const [name, rows] of Object.entries(data)) this.byId.set(name, new Map(rows.map((row) => [row.id, row])));
  }

  private object(name: string): ObjectDef {
    return this.objects.get(name)!;
  }

  private fieldOf(object: ObjectDef, name: string): FieldDef {
    return SYSTEM[name] ?? object.fields.find((field) => field.name === name)!;
  }

  /** The value at a dotted path, and the field at its end. */
  resolve(objectName: string, row: GeneratedRow | undefined, path: string): { value: unknown; field: FieldDef } {
    let object = this.object(objectName);
    let current = row;
    const segments = path.split(".");
    for (let index = 0; index < segments.length - 1; index++) {
      const field = this.fieldOf(object, segments[index]);
      if (!isReferenceField(field)) throw new Error(`oracle: '${segments[index]}' is not a lookup`);
      const id = current?.[field.name] as string | null | undefined;
      current = id ? this.byId.get(field.reference)!.get(id) : undefined;
      object = this.object(field.reference);
    }
    const field = this.fieldOf(object, segments[segments.length - 1]);
    const value = current ? current[field.name] : null;
    return { value: value === undefined ? null : value, field };
  }

  /** The value as the engine returns it (lookups as {id, name}). */
  private output(objectName: string, row: GeneratedRow, path: string): unknown {
    const { value, field } = this.resolve(objectName, row, path);
    if (value === null || !isReferenceField(field)) return value;
    const target = this.byId.get(field.reference)!.get(value as string)!;
    return { id: value, name: String(target[nameFieldOf(this.object(field.reference))]) };
  }

  private sortValue(objectName: string, row: GeneratedRow, path: string): unknown {
    const { value, field } = this.resolve(objectName, row, path);
    if (value === null || !isReferenceField(field)) return value;
    return this.byId.get(field.reference)!.get(value as string)![nameFieldOf(this.object(field.reference))];
  }

  private readonly ranges = new Map<string, InclusiveDays>();

  /** The days a relative date covers, from the oracle's own calendar (not the engine's). */
  private range(value: string): InclusiveDays {
    if (!this.ranges.has(value)) this.ranges.set(value, calendarRange(value, this.now)!);
    return this.ranges.get(value)!;
  }

  matches(objectName: string, row: GeneratedRow, filter: Filter): boolean {
    if ("and" in filter) return filter.and.every((part) => this.matches(objectName, row, part));
    if ("or" in filter) return filter.or.some((part) => this.matches(objectName, row, part));
    if ("not" in filter) return !this.matches(objectName, row, filter.not);
    const { value, field } = this.resolve(objectName, row, filter.field);
    const target = filter.value;
    const lower = (text: unknown) => String(text).toLowerCase();
    switch (filter.operator) {
      case "is_null": return value === null;
      case "is_not_null": return value !== null;
    }
    if (isRelativeDateValue(target) || (Array.isArray(target) && target.some(isRelativeDateValue))) {
      if (value === null) return filter.operator === "!=";
      // A datetime is compared by its UTC day (stored values are ISO strings ending in Z).
      const text = value as string;
      const day = text.slice(0, 10);
      if (filter.operator === "between") {
        const [from, to] = target as string[];
        const relative = (bound: string): boolean => isRelativeDateValue(bound);
        const aboveLow = relative(from) ? day >= this.range(from).first : text >= from;
        const belowHigh = relative(to) ? day <= this.range(to).last : text <= to;
        return aboveLow && belowHigh;
      }
      const { first, last } = this.range(target as unknown as string);
      switch (filter.operator) {
        case "=": return first <= day && day <= last;
        case "!=": return day < first || day > last;
        case "<": return day < first;
        case "<=": return day <= last;
        case ">": return day > last;
        case ">=": return day >= first;
      }
      throw new Error(`oracle: ${filter.operator} with a relative date`);
    }
    if (field.type === "multiselect") {
      const list = (value as string[] | null) ?? [];
      if (filter.operator === "contains") return list.includes(target as unknown as string);
      if (filter.operator === "in") return (target as string[]).some((item) => list.includes(item));
      throw new Error(`oracle: multiselect ${filter.operator}`);
    }
    switch (filter.operator) {
      case "=": return value !== null && value === target;
      case "!=": return value === null || value !== target;
      case "<": return value !== null && (value as number) < (target as number);
      case "<=": return value !== null && (value as number) <= (target as number);
      case ">": return value !== null && (value as number) > (target as number);
      case ">=": return value !== null && (value as number) >= (target as number);
      case "between": {
        const [from, to] = target as number[];
        return value !== null && (value as number) >= from && (value as number) <= to;
      }
      case "in": return value !== null && (target as unknown[]).includes(value);
      case "not_in": return value === null || !(target as unknown[]).includes(value);
      case "contains": return value !== null && lower(value).includes(lower(target));
      case "starts_with": return value !== null && lower(value).startsWith(lower(target));
      case "ends_with": return value !== null && lower(value).endsWith(lower(target));
    }
    throw new Error(`oracle: operator ${filter.operator}`);
  }

  /** Search: the object's text-like fields, and the name of the record each lookup refers to. */
  private searchMatches(object: ObjectDef, row: GeneratedRow, term: string): boolean {
    const needle = term.trim().toLowerCase();
    if (needle === "") return true;
    const contains = (value: unknown) => value !== null && value !== undefined && String(value).toLowerCase().includes(needle);
    return object.fields.some((field) => {
      if (SEARCHABLE.includes(field.type)) return contains(row[field.name]);
      if (!isReferenceField(field) || row[field.name] === null) return false;
      const target = this.object(field.reference);
      const nameField = this.fieldOf(target, nameFieldOf(target));
      return SEARCHABLE.includes(nameField.type) && contains(this.byId.get(field.reference)!.get(row[field.name] as string)![nameField.name]);
    });
  }

  private filtered(objectName: string, filter: Filter | undefined, search?: string): GeneratedRow[] {
    const object = this.object(objectName);
    return this.data[objectName as keyof GeneratedData].filter((row) => (!filter || this.matches(objectName, row, filter)) && (search === undefined || this.searchMatches(object, row, search)));
  }

  private sorted(objectName: string, rows: GeneratedRow[], orderBy: { field: string; direction?: "asc" | "desc" }[] | undefined): GeneratedRow[] {
    const keys = orderBy && orderBy.length > 0 ? orderBy : [{ field: "created_at", direction: "asc" as const }];
    const idDirection = keys[keys.length - 1].direction === "desc" ? -1 : 1;
    return [...rows].sort((a, b) => {
      for (const key of keys) {
        const order = compareNullable(this.sortValue(objectName, a, key.field), this.sortValue(objectName, b, key.field), key.direction ?? "asc");
        if (order !== 0) return order;
      }
      return idDirection * compare(a.id, b.id);
    });
  }

  /** find: the records in order (only `select` paths plus id), ignoring limit when `all` is set. */
  find(query: FindQueryInput, all = false): Record<string, unknown>[] {
    const rows = this.sorted(query.object, this.filtered(query.object, query.filter as Filter | undefined, query.search), query.orderBy);
    const offset = query.offset ?? 0;
    const page = all ? rows : rows.slice(offset, offset + (query.limit ?? 50));
    const select = query.select ?? this.object(query.object).fields.map((field) => field.name);
    return this.records(query.object, page, select, query.expand ?? []);
  }

  /** Rows as returned records: id, the `select` paths and each expansion (nested ones included). */
  private records(objectName: string, rows: GeneratedRow[], select: string[], expands: ExpandInput[]): Record<string, unknown>[] {
    return rows.map((row) => {
      const record: Record<string, unknown> = { id: row.id };
      for (const path of select) if (path !== "id") record[path] = this.output(objectName, row, path);
      for (const expand of expands) {
        const [child, lookup] = expand.relation.split(".");
        const children = this.sorted(child, this.filtered(child, expand.filter as Filter | undefined).filter((candidate) => candidate[lookup] === row.id), expand.orderBy);
        record[expand.relation] = this.records(child, children.slice(0, expand.limit ?? 20), expand.select ?? [], expand.expand ?? []);
      }
      return record;
    });
  }

  count(objectName: string, filter?: Filter, search?: string): number {
    return this.filtered(objectName, filter, search).length;
  }

  /** The aggregate answer as the engine gives it: the page of groups, and whether more follow. */
  aggregate(input: AggregateQueryInput): AggregateResult {
    // The language's own spellings (string group keys, count of '*', default aliases) as the schema defines them.
    const query = aggregateQuerySchema.parse(input);
    const all = this.allGroups(query);
    const offset = query.offset ?? 0;
    const limit = query.limit ?? DEFAULT_AGGREGATE_LIMIT;
    const rows = all.slice(offset, offset + limit);
    return all.length > offset + limit ? { rows, truncated: true, nextOffset: offset + limit } : { rows, truncated: false };
  }

  /** Every group of an aggregate query, in order (no limit/offset). */
  private allGroups(query: AggregateQuery): Record<string, unknown>[] {
    const rows = this.filtered(query.object, query.filter as Filter | undefined, query.search);
    const groupBy = query.groupBy ?? [];
    const groups = new Map<string, { key: Record<string, unknown>; rows: GeneratedRow[] }>();
    for (const row of rows) {
      const key: Record<string, unknown> = {};
      for (const group of groupBy) {
        let value = group.granularity ? this.resolve(query.object, row, group.field).value : this.output(query.object, row, group.field);
        if (group.granularity && value !== null) value = calendarBucket(String(value), group.granularity);
        key[group.alias ?? group.field] = value;
      }
      const id = JSON.stringify(key);
      if (!groups.has(id)) groups.set(id, { key, rows: [] });
      groups.get(id)!.rows.push(row);
    }
    if (groupBy.length === 0 && groups.size === 0) groups.set("{}", { key: {}, rows: [] });
    let result = [...groups.values()].map(({ key, rows: members }) => {
      const out: Record<string, unknown> = { ...key };
      for (const aggregate of query.aggregate ?? []) {
        const values = aggregate.field === undefined ? members.map(() => 1) : members.map((row) => this.resolve(query.object, row, aggregate.field!).value).filter((value) => value !== null);
        const numbers = values as number[];
        switch (aggregate.function) {
          case "count": out[aggregate.alias] = values.length; break;
          case "count_distinct": out[aggregate.alias] = new Set(values.map((value) => JSON.stringify(value))).size; break;
          case "sum": out[aggregate.alias] = numbers.length === 0 ? null : numbers.reduce((a, b) => a + b, 0); break;
          case "avg": out[aggregate.alias] = numbers.length === 0 ? null : numbers.reduce((a, b) => a + b, 0) / numbers.length; break;
          case "min": out[aggregate.alias] = values.length === 0 ? null : values.reduce((a, b) => (compare(a, b) <= 0 ? a : b)); break;
          case "max": out[aggregate.alias] = values.length === 0 ? null : values.reduce((a, b) => (compare(a, b) >= 0 ? a : b)); break;
        }
      }
      return out;
    });
    if (query.having) {
      const having = query.having as Filter;
      result = result.filter((row) => this.matchesValues(row, having));
    }
    const orderBy = query.orderBy && query.orderBy.length > 0 ? query.orderBy : groupBy.map((group) => ({ field: group.alias ?? group.field, direction: "asc" as const }));
    result.sort((a, b) => {
      for (const order of orderBy) {
        const order_ = compareNullable(sortable(a[order.field]), sortable(b[order.field]), order.direction ?? "asc");
        if (order_ !== 0) return order_;
      }
      return 0;
    });
    return result;
  }

  /** `having`: a filter over result values (numbers, strings, {id, name} compared by id). */
  private matchesValues(row: Record<string, unknown>, filter: Filter): boolean {
    if ("and" in filter) return filter.and.every((part) => this.matchesValues(row, part));
    if ("or" in filter) return filter.or.some((part) => this.matchesValues(row, part));
    if ("not" in filter) return !this.matchesValues(row, filter.not);
    const raw = row[filter.field];
    const value = raw !== null && typeof raw === "object" ? (raw as { id: string }).id : raw;
    const target = filter.value as number;
    switch (filter.operator) {
      case "is_null": return value === null;
      case "is_not_null": return value !== null;
      case "=": return value !== null && value === target;
      case "!=": return value === null || value !== target;
      case ">": return value !== null && (value as number) > target;
      case ">=": return value !== null && (value as number) >= target;
      case "<": return value !== null && (value as number) < target;
      case "<=": return value !== null && (value as number) <= target;
      case "in": return value !== null && (filter.value as unknown[]).includes(value);
      case "between": return value !== null && (value as number) >= (filter.value as number[])[0] && (value as number) <= (filter.value as number[])[1];
      default: throw new Error(`oracle: having operator ${filter.operator}`);
    }
  }
}

/** Group keys that are lookups sort by the referenced name. */
function sortable(value: unknown): unknown {
  return value !== null && typeof value === "object" ? (value as { name: string }).name : value;
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === "boolean" || typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** NULLs last ascending, first descending. */
function compareNullable(a: unknown, b: unknown, direction: "asc" | "desc"): number {
  if (a === null && b === null) return 0;
  if (a === null) return direction === "asc" ? 1 : -1;
  if (b === null) return direction === "asc" ? -1 : 1;
  return direction === "asc" ? compare(a, b) : -compare(a, b);
}
