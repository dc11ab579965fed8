import "server-only";
import { accessRouter } from "./routers/access";
import { accountRouter } from "./routers/account";
import { apiKeysRouter } from "./routers/api-keys";
import { appsRouter } from "./routers/apps";
import { auditRouter } from "./routers/audit";
import { dataRouter } from "./routers/data";
import { datasourcesRouter } from "./routers/datasources";
import { flowsRouter } from "./routers/flows";
import { metadataRouter } from "./routers/metadata";
import { sharingRouter } from "./routers/sharing";
import { recordAuditRouter } from "./routers/record-audit";
import { usersRouter } from "./routers/users";
import { viewsRouter } from "./routers/views";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  metadata: metadataRouter,
  data: createTRPCRouter({ ...dataRouter._def.record, ...sharingRouter._def.record }),
  apps: appsRouter,
  datasources: datasourcesRouter,
  audit: auditRouter,
  apiKeys: apiKeysRouter,
  users: usersRouter,
  account: accountRouter,
  access: accessRouter,
  recordAudit: recordAuditRouter,
  views: viewsRouter,
  flows: flowsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
