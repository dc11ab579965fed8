import "server-only";
import { datasourceSchema, type DatasourceDef, type DatasourceInput } from "@/spec/datasource";
import type { ObjectDef } from "@/spec/object";
import { ObjectQLError } from "@/server/objectql/errors";
import { createObjectQL, type ObjectQL, type SecurityContext } from "@/server/objectql/objectql";
import type { UserAccess } from "@/server/security/access";
import { externalAccess } from "@/server/security/external-access";
import { ObjectRegistry } from "@/server/objectql/registry";
import { openDatasource, type DatasourceConnection } from "./datasource-connection";
import { ExternalNamesPlugin } from "./external-names-plugin";
import { introspect, type IntrospectionResult } from "./introspect";

/**
 * The attached external data sources of this process. Connections are opened on first use,
 * pooled, and closed when a source is removed (or the registry is closed). Each source gets its
 * own ObjectQL engine over its own connection and its introspected objects, so external objects
 * are queried exactly like native ones (filter, sort, search, lookups, paging).
 */
type Entry = {
  datasource: DatasourceDef;
  connection?: DatasourceConnection;
  introspection?: IntrospectionResult;
  engine?: { objects: ObjectDef[]; ql: ObjectQL; close(): Promise<void> };
};

function forbidden(message: string): ObjectQLError {
  return new ObjectQLError("FORBIDDEN", message);
}

/** Engine methods that write. The database enforces read-only too (see datasource-connection.ts). */
const WRITE_METHODS = new Set(["insert", "update", "delete", "insertMany", "updateMany", "deleteMany", "upsert"]);

/** The engine with every write refused (also inside `transaction`). */
function readOnlyEngine(engine: ObjectQL, datasource: string): ObjectQL {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof property !== "string" || typeof value !== "function") return value;
      if (WRITE_METHODS.has(property)) {
        return async () => {
          throw forbidden(`Data source '${datasource}' is read-only: ${property} is not available for its objects`);
        };
      }
      if (property === "transaction") {
        // The transaction's own engine (passed to the callback) is read-only as well.
        return (...args: unknown[]) =>
          (value as (...args: unknown[]) => unknown).apply(
            target,
            args.map((arg) => (typeof arg === "function" ? (tx: ObjectQL) => (arg as (tx: ObjectQL) => unknown)(readOnlyEngine(tx, datasource)) : arg)),
          );
      }
      // A database that went away (or lost a table) after publishing is the data source's
      // failure, not the platform's: a clear answer naming the source, the details in the log.
      return async (...args: unknown[]) => {
        try {
          return await (value as (...args: unknown[]) => Promise<unknown>).apply(target, args);
        } catch (error) {
          if (error instanceof ObjectQLError) throw error;
          console.error(`data source '${datasource}': ${property} failed`, error);
          const message = `Data source '${datasource}' could not answer: its database is unreachable or no longer matches the imported objects (an admin can check it in the studio)`;
          throw new ObjectQLError("PRECONDITION_FAILED", message, { path: ["object"], issues: [{ path: ["object"], message }] });
        }
      };
    },
  });
}

export class DatasourceRegistry {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** A user's access (server/security): external objects obey object and field permissions and sharing rules. */
    private readonly options: { accessFor?: (ctx: SecurityContext & { kind: "user" }) => Promise<UserAccess | null> } = {},
  ) {}

  /** Adds (or replaces) a data source; nothing connects until it is used. */
  async register(input: DatasourceInput): Promise<DatasourceDef> {
    const parsed = datasourceSchema.safeParse(input);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => ({ path: issue.path.filter((part): part is string | number => typeof part !== "symbol"), message: issue.message }));
      throw new ObjectQLError("BAD_REQUEST", `Invalid data source: ${issues.map((issue) => `${issue.path.join(".") || "datasource"}: ${issue.message}`).join("; ")}`, { path: issues[0]?.path, issues });
    }
    await this.remove(parsed.data.name);
    this.entries.set(parsed.data.name, { datasource: parsed.data });
    return parsed.data;
  }

  list(): DatasourceDef[] {
    return [...this.entries.values()].map((entry) => entry.datasource);
  }

  /** The registered definition, or undefined when no source has that name. */
  get(name: string): DatasourceDef | undefined {
    return this.entries.get(name)?.datasource;
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (!entry) throw new ObjectQLError("NOT_FOUND", `Unknown data source '${name}'`, { path: ["datasource"] });
    return entry;
  }

  /** The source's pooled connection, opened on first use. */
  connection(name: string): DatasourceConnection {
    const entry = this.entry(name);
    entry.connection ??= openDatasource(entry.datasource);
    return entry.connection;
  }

  /**
   * Reads the source's tables into object drafts (cached until `refresh`). A database that
   * cannot be reached (or read) is reported as such, with the driver's reason, not as a crash.
   */
  async introspect(name: string): Promise<IntrospectionResult> {
    const entry = this.entry(name);
    try {
      entry.introspection ??= await introspect(this.connection(name));
    } catch (error) {
      if (error instanceof ObjectQLError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ObjectQLError("PRECONDITION_FAILED", `Data source '${name}': cannot read its tables (${reason})`, { path: ["datasource"] });
    }
    return entry.introspection;
  }

  /** Forgets the cached catalogue and engine (after the external schema changed). */
  async refresh(name: string): Promise<IntrospectionResult> {
    const entry = this.entry(name);
    entry.introspection = undefined;
    entry.engine = undefined;
    return this.introspect(name);
  }

  /**
   * An ObjectQL engine over the source's objects (by default all introspected ones, or the given
   * definitions, e.g. drafts an admin has renamed). Writes are refused: external objects are read-only.
   */
  async objectql(name: string, objects?: ObjectDef[]): Promise<ObjectQL> {
    const entry = this.entry(name);
    if (!objects && entry.engine) return entry.engine.ql;
    const definitions = objects ?? (await this.introspect(name)).objects;
    const connection = this.connection(name);
    const plugin = new ExternalNamesPlugin(definitions, connection.datasource.driver === "postgres" ? connection.datasource.schema : undefined);
    const db = { ...connection, kysely: connection.kysely.withPlugin(plugin) };
    const registry = new ObjectRegistry(db, async () => definitions);
    const accessFor = this.options.accessFor;
    const engine = createObjectQL({
      db,
      registry,
      accessFor: accessFor && (async (ctx) => {
        const access = await accessFor(ctx);
        return access && externalAccess(access);
      }),
    });
    const ql = readOnlyEngine(engine, name);
    if (!objects) entry.engine = { objects: definitions, ql, close: async () => undefined };
    return ql;
  }

  /** Removes a source and closes its connection pool. */
  async remove(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    this.entries.delete(name);
    await entry.connection?.destroy();
  }

  async close(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((name) => this.remove(name)));
  }
}
