import type { Kysely } from "kysely";
import type { DataDatabase } from "@/server/db/data-db";
import { createObjectQL, type ObjectQL, type ObjectRegistry } from "@/server/objectql";
import { FlowService } from "../flow-service";

type FlowServiceDeps = ConstructorParameters<typeof FlowService>[0];
import { FlowRunStore } from "../runtime/flow-runs";
import { FlowScheduleStore } from "../triggers/flow-schedules";
import type { PublishedFlow } from "../runtime/flow-interpreter";
import type { HttpCalloutSettings } from "../elements/http-callout";
import { outboxDelivery } from "@/server/mail/mail-delivery";
import { MailOutbox } from "@/server/mail/outbox";

/**
 * A FlowService over one database and registry, its flows "published" from a list the caller
 * keeps, with an engine whose writes run the record triggers (as services.ts wires them): what
 * the suites and the bench need instead of the whole services.
 */
export async function flowServiceOver(
  db: DataDatabase,
  registry: ObjectRegistry,
  options: { published: () => PublishedFlow[]; clock?: () => Date; log?: (message: string) => void; http?: HttpCalloutSettings; retention?: FlowServiceDeps["retention"] },
): Promise<{ flows: FlowService; ql: ObjectQL }> {
  const store = new FlowRunStore(db, options.clock);
  await store.ready();
  const onChange = (change: Parameters<FlowService["afterChange"]>[0], executor: Kysely<any>) => flows.afterChange(change, executor);
  const flows: FlowService = new FlowService({
    store,
    catalog: {
      published: async () => options.published(),
      version: async (name, version) => options.published().find((entry) => entry.def.name === name && entry.version === version)?.def ?? null,
    },
    objectql: () => ql,
    engineFor: (executor) => createObjectQL({ db: { ...db, kysely: executor }, registry, boundTransaction: executor, onChange, beforeSave: flows.beforeSave() }),
    objects: (name) => registry.get(name),
    capturingEngine: (capture) => createObjectQL({ db, registry, onChange: async (change) => capture(change) }),
    transaction: (work) => db.kysely.transaction().execute(work),
    dialect: db.dialect,
    clock: options.clock,
    log: options.log,
    schedules: new FlowScheduleStore(db, options.clock),
    http: options.http,
    retention: options.retention,
    mail: outboxDelivery(new MailOutbox(db, options.clock)),
  });
  const ql = createObjectQL({ db, registry, onChange, beforeSave: flows.beforeSave() });
  await flows.reload();
  return { flows, ql };
}
