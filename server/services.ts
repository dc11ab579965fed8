import "server-only";
import { env } from "@/server/env";
import { createDataDatabase, type DataDatabase } from "@/server/db/data-db";
import { applyPlatformMigrations } from "@/server/db/migrate";
import { createPlatformDb, type PlatformDb } from "@/server/db/platform-db";
import { ObjectRegistry, createObjectQL, slowQueryLog, type ObjectQL } from "@/server/objectql";
import { MetadataService } from "@/server/metadata/metadata-service";
import { DatasourceRegistry, DatasourceSync, ExternalObjects } from "@/server/datasources";
import { SecurityService } from "@/server/security/security-service";
import { recordHistoryHandler } from "@/server/audit/record-history";
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
  /** Picks up data sources and external objects that other processes published or deleted. */
  datasourceSync: DatasourceSync;
  /** The published security model, enforced by `objectql` and the data sources' engines. */
  security: SecurityService;
};

const holder = globalThis as unknown as { __objectstudioServices?: Promise<Services> };

export async function getServices(): Promise<Services> {
  holder.__objectstudioServices ??= createServices(env.DATABASE_URL).catch((error) => {
    holder.__objectstudioServices = undefined;
    throw error;
  });
  const services = await holder.__objectstudioServices;
  await services.datasourceSync.ensureFresh(); // a cheap check, at most every ~2 s
  return services;
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
  // Assigned below: the security service reads the model through the metadata service.
  let security: SecurityService | undefined;
  const accessFor = (ctx: Parameters<SecurityService["accessFor"]>[0]) => security!.accessFor(ctx);
  // The audit trail (field history of the model's tracked fields, record events), written in each write's transaction.
  const onChange = await recordHistoryHandler(dataDb, async (object) => (await security!.current())?.trackedFields[object] ?? []);
  const objectql = createObjectQL({ db: dataDb, registry, queryLog: slowQueryLog, accessFor, onChange });
  const datasources = new DatasourceRegistry({ accessFor });
  const externalObjects = new ExternalObjects(datasources);
  const metadata = new MetadataService({ platformDb, dataDb, registry, datasources, externalObjects });
  security = new SecurityService({ platformDb, metadata });
  const securityService = security;
  metadata.onSecurityPublished = () => securityService.ensureFresh(true);
  await security.ensureFresh(true);
  // Nothing connects here: a source's pool opens on first use.
  const datasourceSync = new DatasourceSync({ platformDb, metadata, datasources, externalObjects });
  await datasourceSync.load();
  return { dialect: dataDb.dialect, dataDb, platformDb, registry, objectql, metadata, datasources, externalObjects, datasourceSync, security };
}
