import "server-only";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { DataPgClient, cachePreparedStatements, pgTypeParsers, type DataDatabase } from "@/server/db/data-db";
import { createMysqlKysely } from "@/server/db/mysql-pool";
import { ObjectQLError } from "@/server/objectql/errors";
import { datasourceUrlMatches, type DatasourceDef } from "@/spec/datasource";

/**
 * A pooled connection to an external data source. Read-only sources are enforced by the
 * database too, not only by the engine: PostgreSQL sessions default to read-only transactions,
 * MySQL sessions are set read only, and SQLite files are opened read-only.
 */
export type DatasourceConnection = DataDatabase & { datasource: DatasourceDef };

/** The source's URL: as written, or from the environment variable an `env:NAME` URL names. */
export function resolveDatasourceUrl(datasource: DatasourceDef, env: Record<string, string | undefined> = process.env): string {
  if (!datasource.url.startsWith("env:")) return datasource.url;
  const variable = datasource.url.slice("env:".length);
  const url = env[variable];
  if (!url) throw new ObjectQLError("PRECONDITION_FAILED", `Data source '${datasource.name}': environment variable ${variable} is not set`, { path: ["url"] });
  if (!datasourceUrlMatches(datasource.driver, url)) {
    throw new ObjectQLError("PRECONDITION_FAILED", `Data source '${datasource.name}': ${variable} does not hold a ${datasource.driver} URL`, { path: ["url"] });
  }
  return url;
}

export function openDatasource(datasource: DatasourceDef): DatasourceConnection {
  const url = resolveDatasourceUrl(datasource);
  switch (datasource.driver) {
    case "postgres": {
      const pool = new pg.Pool({
        Client: DataPgClient,
        connectionString: url,
        types: pgTypeParsers,
        max: 5,
        ...(datasource.readOnly ? { options: "-c default_transaction_read_only=on" } : {}),
      });
      pool.on("error", (error) => console.error(`data source '${datasource.name}': idle PostgreSQL client error`, error.message));
      const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
      return { datasource, kysely, dialect: "postgres", destroy: () => kysely.destroy() };
    }
    case "mysql": {
      const kysely = createMysqlKysely({ url: url.replace(/^mariadb:/i, "mysql:"), connectionLimit: 5, readOnly: datasource.readOnly });
      return { datasource, kysely, dialect: "mysql", destroy: () => kysely.destroy() };
    }
    case "sqlite": {
      const path = url.slice("file:".length);
      const sqlite = new Database(path, { readonly: datasource.readOnly, fileMustExist: true });
      sqlite.pragma("busy_timeout = 5000");
      cachePreparedStatements(sqlite);
      const kysely = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
      return { datasource, kysely, dialect: "sqlite", destroy: () => kysely.destroy() };
    }
  }
}
