import "server-only";
import { z } from "zod";
import { identifier } from "@/spec";
import { ServiceError } from "@/server/errors";
import { adminProcedure, createTRPCRouter, protectedProcedure, userContext } from "../trpc";

const runId = z.string().uuid();

/**
 * Flows at run time: any signed-in user may run a published autolaunched flow (as themselves:
 * its data elements see only what they may; system-context flows are for admins only); run
 * history and each run's step log are for admins (they hold the data the flow touched).
 */
export const flowsRouter = createTRPCRouter({
  run: protectedProcedure
    .input(z.object({ flow: identifier, inputs: z.record(z.string(), z.unknown()).optional() }))
    .mutation(({ ctx, input }) => ctx.services.flows.startForCaller(input.flow, input.inputs, { ctx: userContext(ctx.user), admin: ctx.user.role === "admin" })),

  runs: adminProcedure
    .input(z.object({ flow: identifier.optional(), status: z.enum(["queued", "running", "finished", "failed"]).optional(), limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => ctx.services.flows.store.list(input)),

  runDetail: adminProcedure.input(z.object({ id: runId })).query(async ({ ctx, input }) => {
    const found = await ctx.services.flows.store.get(input.id);
    if (!found) throw new ServiceError("NOT_FOUND", `No flow run '${input.id}'`);
    return { run: found.run, state: found.state, steps: await ctx.services.flows.store.steps(input.id) };
  }),
});
