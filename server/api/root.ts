import "server-only";
import { appsRouter } from "./routers/apps";
import { dataRouter } from "./routers/data";
import { datasourcesRouter } from "./routers/datasources";
import { metadataRouter } from "./routers/metadata";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  metadata: metadataRouter,
  data: dataRouter,
  apps: appsRouter,
  datasources: datasourcesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
