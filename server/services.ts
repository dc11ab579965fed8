import "server-only";
import { env } from "@/server/env";
import { createDataDatabase, type DataDatabase } from "@/server/db/data-db";
import { applyPlatformMigrations } from "@/server/db/migrate";
import { createPlatformDb, type PlatformDb } from "@/server/db/platform-db";
import { ObjectRegistry, createObjectQL, slowQueryLog, type ObjectQL } from "@/server/objectql";
import { MetadataService } from "@/server/metadata/metadata-service";
import { DatasourceRegistry, ExternalObjects } from "@/server/datasources";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * The process-wide services, created once (kept on globalThis so Next's dev reloads reuse the
 * connections). Platform tables are reached through Prisma; user objects through Kysely
 * (server/objectql); both point at the same DATABASE_URL.
 */
export type Services = {
  dialect: "sqlite" | "postgres";
  dataDb: DataDatabase;
  platformDb: PlatformDb;
  registry: ObjectRegistry;
  objectql: ObjectQL;
  metadata: MetadataService;
  /** Attached external data sources (published `datasource` documents). */
  datasources: DatasourceRegistry;
  /** Published objects that read a data source's table (`source`), with their read-only engines. */
  externalObjects: ExternalObjects;
};

const holder = globalThis as unknown as { __objectstudioServices?: Promise<Services> };

export function getServices(): Promise<Services> {
  holder.__objectstudioServices ??= createServices(env.DATABASE_URL).catch((error) => {
    holder.__objectstudioServices = undefined;
    throw error;
  });
  return holder.__objectstudioServices;
}

export async function createServices(databaseUrl: string): Promise<Services> {
  if (databaseUrl.startsWith("file:")) {
    mkdirSync(dirname(resolve(databaseUrl.slice("file:".length))), { recursive: true });
  }
  const dataDb = createDataDatabase(databaseUrl);
  if (dataDb.dialect === "mysql") {
    // env.ts refuses such a DATABASE_URL; this guards direct callers (Prisma has no MySQL adapter here).
    await dataDb.destroy();
    throw new Error("MySQL/MariaDB cannot hold the platform database: use file: (SQLite) or postgres://");
  }
  await applyPlatformMigrations(dataDb);
  const platformDb = createPlatformDb(databaseUrl);
  const registry = new ObjectRegistry(dataDb);
  await registry.reload();
  slowQueryLog.thresholdMs = env.OBJECTQL_SLOW_QUERY_MS;
  const objectql = createObjectQL({ db: dataDb, registry, queryLog: slowQueryLog });
  const datasources = new DatasourceRegistry();
  const externalObjects = new ExternalObjects(datasources);
  const metadata = new MetadataService({ platformDb, dataDb, registry, datasources, externalObjects });
  // Nothing connects here: a source's pool opens on first use.
  for (const datasource of await metadata.listPublished("datasource")) {
    await datasources.register(datasource).catch((error: unknown) => console.error(`Data source '${datasource.name}' not attached:`, error));
  }
  for (const object of await metadata.listPublished("object")) if (object.source) externalObjects.put(object);
  return { dialect: dataDb.dialect, dataDb, platformDb, registry, objectql, metadata, datasources, externalObjects };
}
