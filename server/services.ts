import "server-only";
import { env } from "@/server/env";
import { createDataDatabase, type DataDatabase } from "@/server/db/data-db";
import { applyPlatformMigrations, withStartupLock } from "@/server/db/migrate";
import { preparePostgresDatabase } from "@/server/db/postgres-startup";
import {
  PublishedMetadataSync,
  installPublishedChangeCounter,
  openPublishedChangeCounter,
} from "@/server/metadata/published-changes";
import { createPlatformDb, linkDataDatabase, type PlatformDb } from "@/server/db/platform-db";
import { ObjectRegistry, createObjectQL, refreshStatisticsLater, slowQueryLog, type BeforeSaveHook, type ObjectQL } from "@/server/objectql";
import { MetadataService } from "@/server/metadata/metadata-service";
import { DatasourceRegistry, DatasourceSync, ExternalObjects } from "@/server/datasources";
import { SecurityService } from "@/server/security/security-service";
import { recordHistoryHandler } from "@/server/audit/record-history";
import { flushApiCalls } from "@/server/audit/api-usage-log";
import { FlowService } from "@/server/automation/flow-service";
import { FlowRunStore } from "@/server/automation/runtime/flow-runs";
import { FlowScheduleStore } from "@/server/automation/triggers/flow-schedules";
import { PgBossRunQueue } from "@/server/automation/queue/pg-boss-queue";
import type { FlowDef } from "@/spec/flow";
import { parseAllowHosts } from "@/server/http/outbound";
import { outboxDelivery } from "@/server/mail/mail-delivery";
import { MailOutbox } from "@/server/mail/outbox";
import { smtpDelivery } from "@/server/mail/smtp";
import type { Kysely } from "kysely";
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
  /** Reloads the data sources and external objects (at start, and when another process published). */
  datasourceSync: DatasourceSync;
  /** The published security model, enforced by `objectql` and the data sources' engines. */
  security: SecurityService;
  /** Reloads this process's caches of published metadata when any process published (checked per request). */
  publishedChanges: PublishedMetadataSync;
  /** Published flows, their runs, record triggers and the run queue's worker loop. */
  flows: FlowService;
  /** Email flows sent while no SMTP server is configured (admins read it in the studio). */
  outbox: MailOutbox;
  /** Closes the database connections. */
  close(): Promise<void>;
};

const holder = globalThis as unknown as { __objectstudioServices?: Promise<Services> };

export async function getServices(): Promise<Services> {
  holder.__objectstudioServices ??= createServices(env.DATABASE_URL).catch((error) => {
    holder.__objectstudioServices = undefined;
    throw error;
  });
  const services = await holder.__objectstudioServices;
  // One row read per call (a few microseconds on SQLite): a publish made through any process is
  // in force for the very next request here.
  await services.publishedChanges.ensureCurrent();
  return services;
}

/** `worker`: a worker process (`npm run worker`), which takes flow runs whatever FLOW_WORKER says. */
export async function createServices(databaseUrl: string, options: { worker?: boolean } = {}): Promise<Services> {
  if (databaseUrl.startsWith("file:")) {
    mkdirSync(dirname(resolve(databaseUrl.slice("file:".length))), { recursive: true });
  } else if (/^postgres(ql)?:\/\//i.test(databaseUrl)) {
    // A clear one-line error for a missing database or a refused login; the schema is created.
    await preparePostgresDatabase(databaseUrl);
  }
  const dataDb = createDataDatabase(databaseUrl);
  if (dataDb.dialect === "mysql") {
    // env.ts refuses such a DATABASE_URL; this guards direct callers (Prisma has no MySQL adapter here).
    await dataDb.destroy();
    throw new Error("MySQL/MariaDB cannot hold the platform database: use file: (SQLite) or postgres://");
  }
  const registry = new ObjectRegistry(dataDb);
  await withStartupLock(dataDb, async () => {
    await applyPlatformMigrations(dataDb);
    await registry.reload(); // creates the applied-schema tables the counter's triggers watch
    await installPublishedChangeCounter(dataDb);
    // The planner's statistics as the data is now (SQLite: only tables whose size changed much).
    await refreshStatisticsLater(dataDb);
  });
  const counter = openPublishedChangeCounter(dataDb, sqliteFile(databaseUrl));
  // Read before the caches load: a publish made while they load is picked up by the first request.
  const loadedAt = await counter.read();
  await registry.reload();
  const platformDb = createPlatformDb(databaseUrl);
  linkDataDatabase(platformDb, dataDb);
  slowQueryLog.thresholdMs = env.OBJECTQL_SLOW_QUERY_MS;
  // Assigned below: the security service reads the model through the metadata service.
  let security: SecurityService | undefined;
  const accessFor = (ctx: Parameters<SecurityService["accessFor"]>[0]) => security!.accessFor(ctx);
  // The audit trail (field history of the model's tracked fields, record events), written in each write's transaction.
  const audit = await recordHistoryHandler(dataDb, async (object) => (await security!.current())?.trackedFields[object] ?? []);
  const outbox = new MailOutbox(dataDb);
  // Record-triggered flows: before-save runs inside the write, after-save runs are queued with it.
  const flowService: FlowService = new FlowService({
    store: new FlowRunStore(dataDb),
    catalog: {
      published: async () => (await metadata.listPublishedVersions("flow")).map(({ version, body }) => ({ def: body, version })),
      version: async (name, version) => (await metadata.getVersion("flow", name, version).catch(() => null)) as FlowDef | null,
    },
    objectql: () => objectql,
    engineFor: (executor) => engineFor(executor),
    objects: (name) => registry.get(name),
    // Debug runs that roll back: their changes are audited like any, captured to undo, and trigger no after-save runs.
    capturingEngine: (capture) =>
      createObjectQL({ db: dataDb, registry, queryLog: slowQueryLog, accessFor, beforeSave, onChange: async (change, executor) => {
        await audit(change, executor);
        capture(change);
      } }),
    transaction: (work) => dataDb.kysely.transaction().execute(work),
    dialect: dataDb.dialect,
    schedules: new FlowScheduleStore(dataDb),
    http: { allowHosts: parseAllowHosts(env.FLOW_HTTP_ALLOW_HOSTS) },
    // Email: SMTP when configured, else the outbox admins read in the studio.
    mail: env.SMTP_URL ? smtpDelivery(env.SMTP_URL, env.MAIL_FROM) : outboxDelivery(outbox, env.MAIL_FROM),
    retention: { runDays: env.FLOW_RUN_RETENTION_DAYS, outbox: { days: env.MAIL_OUTBOX_RETENTION_DAYS, prune: (before) => outbox.prune(before) } },
    screenRunHours: env.FLOW_SCREEN_RUN_HOURS,
  });
  const onChange: typeof audit = async (change, executor) => {
    await audit(change, executor);
    await flowService.afterChange(change, executor);
  };
  const beforeSave: BeforeSaveHook = flowService.beforeSave();
  const objectql = createObjectQL({ db: dataDb, registry, queryLog: slowQueryLog, accessFor, onChange, beforeSave });
  const engineFor = (executor: Kysely<any>): ObjectQL => createObjectQL({ db: { ...dataDb, kysely: executor }, registry, boundTransaction: executor, queryLog: slowQueryLog, accessFor, onChange, beforeSave });
  const datasources = new DatasourceRegistry({ accessFor });
  const externalObjects = new ExternalObjects(datasources);
  const metadata = new MetadataService({ platformDb, dataDb, registry, datasources, externalObjects });
  metadata.onFlowPublished = () => flowService.reload();
  await flowService.store.ready();
  await flowService.reload();
  security = new SecurityService({ platformDb, metadata });
  const securityService = security;
  metadata.onSecurityPublished = () => securityService.ensureFresh(true);
  await security.ensureFresh(true);
  // Nothing connects here: a source's pool opens on first use.
  const datasourceSync = new DatasourceSync({ metadata, datasources, externalObjects });
  await datasourceSync.reload();
  const publishedChanges = new PublishedMetadataSync({
    counter,
    loadedAt,
    // Every cache of published metadata in this process (forms, views and apps are read per request).
    reload: async () => {
      await registry.reload();
      await securityService.ensureFresh(true);
      await datasourceSync.reload();
      await flowService.reload();
    },
  });
  // After-save runs and runs a stopped process left behind: on PostgreSQL through pg-boss (worker
  // processes, and this one unless FLOW_WORKER=off), on SQLite in this process.
  if (dataDb.dialect === "postgres") {
    const queue = new PgBossRunQueue({ connectionString: databaseUrl, run: (runId) => flowService.runQueued(runId), log: (message) => console.warn(message) });
    await flowService.useJobQueue(queue, env.FLOW_WORKER === "on" || options.worker === true);
  }
  flowService.startWorker();
  const close = async () => {
    await flowService.stopWorker();
    await flushApiCalls(platformDb);
    await datasources.close();
    counter.close();
    await platformDb.$disconnect();
    await dataDb.destroy();
  };
  return { dialect: dataDb.dialect, dataDb, platformDb, registry, objectql, metadata, datasources, externalObjects, datasourceSync, security, publishedChanges, flows: flowService, outbox, close };
}

/** The SQLite file of a `file:` URL (null for in-memory databases, which no other connection can open). */
function sqliteFile(databaseUrl: string): string | null {
  if (!databaseUrl.startsWith("file:")) return null;
  const path = databaseUrl.slice("file:".length);
  return path === "" || path === ":memory:" ? null : resolve(path);
}
