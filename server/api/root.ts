import "server-only";
import { appsRouter } from "./routers/apps";
import { dataRouter } from "./routers/data";
import { metadataRouter } from "./routers/metadata";
import { createCallerFactory, createTRPCRouter } from "./trpc";

export const appRouter = createTRPCRouter({
  metadata: metadataRouter,
  data: dataRouter,
  apps: appsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
