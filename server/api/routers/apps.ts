import "server-only";
import { z } from "zod";
import { identifier, type ObjectDef } from "@/spec";
import { ServiceError } from "@/server/errors";
import { createTRPCRouter, protectedProcedure, userContext } from "../trpc";

/** Published apps, as the end users' app shell needs them. */
export const appsRouter = createTRPCRouter({
  list: protectedProcedure.query(async ({ ctx }) => {
    const apps = await ctx.services.metadata.listPublished("app");
    return apps.map(({ name, label, description, icon }) => ({ name, label, description, icon }));
  }),

  /** The app with the published definitions of the objects its navigation shows. */
  get: protectedProcedure.input(z.object({ name: identifier })).query(async ({ ctx, input }) => {
    const app = await ctx.services.metadata.getPublished("app", input.name);
    if (!app) throw new ServiceError("NOT_FOUND", `No published app named '${input.name}'`);
    const objects: ObjectDef[] = [];
    const caller = userContext(ctx.user);
    for (const item of app.navigation) {
      if (item.type !== "object") continue;
      const known = ctx.services.registry.get(item.object) ?? ctx.services.externalObjects.get(item.object);
      if (!known) continue;
      // As the user sees them: hidden fields left out, objects they may not read not sent at all.
      const ql = (await ctx.services.externalObjects.engineFor(item.object)) ?? ctx.services.objectql;
      const object = await ql.describe(caller, item.object).catch((error: unknown) => {
        if ((error as { code?: string }).code === "FORBIDDEN") return null;
        throw error;
      });
      if (object) objects.push(object);
    }
    return { app, objects };
  }),
});
