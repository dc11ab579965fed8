import "server-only";
import { z } from "zod";
import { identifier } from "@/spec";
import { FLOW_RUN_STATUSES } from "@/spec/flow";
import { ServiceError } from "@/server/errors";
import { adminProcedure, createTRPCRouter, protectedProcedure, userContext } from "../trpc";

const runId = z.string().uuid();
/** `flow/element` -> a condition formula, or null (always stop there). */
const breakpoints = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}\/[a-z][a-z0-9_]{0,62}$/, "must be flow/element"), z.string().max(5000).nullable()).refine((value) => Object.keys(value).length <= 200, "at most 200 breakpoints");

/**
 * Flows at run time: any signed-in user may run a published autolaunched flow (as themselves:
 * its data elements see only what they may; system-context flows are for admins only); run
 * history and each run's step log are for admins (they hold the data the flow touched).
 */
export const flowsRouter = createTRPCRouter({
  run: protectedProcedure
    .input(z.object({ flow: identifier, inputs: z.record(z.string(), z.unknown()).optional() }))
    .mutation(({ ctx, input }) => ctx.services.flows.startForCaller(input.flow, input.inputs, { ctx: userContext(ctx.user), admin: ctx.user.role === "admin" })),

  /**
   * Screen flows in the apps: any signed-in user starts a published one (as themselves; system
   * context only for admins) and goes through its screens; a run is only its starter's.
   */
  screenFlows: protectedProcedure.query(({ ctx }) => ctx.services.flows.screenFlows(ctx.user.role === "admin")),

  screenStart: protectedProcedure
    .input(z.object({ flow: identifier, recordId: z.string().min(1).max(100).optional() }))
    .mutation(({ ctx, input }) => ctx.services.flows.startScreenFlow(input.flow, input.recordId, { ctx: userContext(ctx.user), admin: ctx.user.role === "admin" })),

  screenRun: protectedProcedure.input(z.object({ runId })).query(({ ctx, input }) => ctx.services.flows.screenRun(input.runId, { ctx: userContext(ctx.user) })),

  screenSubmit: protectedProcedure
    .input(
      z.object({
        runId,
        element: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "must be an element id"),
        action: z.enum(["next", "back"]),
        values: z.record(z.string().max(130), z.unknown()).refine((value) => Object.keys(value).length <= 100, "at most 100 values").optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.flows.submitScreen(input.runId, input, { ctx: userContext(ctx.user) })),

  /**
   * Publishes a platform event (admins; over REST, an admin's API key): wakes the runs waiting
   * for it (with this key, or any). Its payload reaches them as JSON text.
   */
  publishEvent: adminProcedure
    .input(z.object({ event: identifier, key: z.string().max(500).default(""), payload: z.unknown().optional() }))
    .mutation(({ ctx, input }) => ctx.services.flows.publishEvent(input.event, input.key.trim(), input.payload)),

  /** Published flows that today's metadata breaks (a field or subflow gone since they were published). */
  problems: adminProcedure.query(({ ctx }) => ctx.services.flows.problems()),

  runs: adminProcedure
    .input(z.object({ flow: identifier.optional(), status: z.enum(FLOW_RUN_STATUSES).optional(), limit: z.number().int().min(1).max(500).default(100) }))
    .query(({ ctx, input }) => ctx.services.flows.store.list(input)),

  /** Email flows filed in the outbox (no SMTP configured): admins only, as it holds what flows read. */
  outbox: adminProcedure
    .input(z.object({ flow: identifier.optional(), limit: z.number().int().min(1).max(500).default(100) }).default({ limit: 100 }))
    .query(({ ctx, input }) => ctx.services.outbox.list(input)),

  outboxMessage: adminProcedure
    .input(z.object({ id: z.string().min(1).max(120) }))
    .query(async ({ ctx, input }) => {
      const message = await ctx.services.outbox.get(input.id);
      if (!message) throw new ServiceError("NOT_FOUND", `No outbox message '${input.id}'`, [{ path: ["id"], message: "is not a message in the outbox" }]);
      return message;
    }),

  /** The debugger (admins): a debug run of a published flow or of a draft body, driven by commands. */
  debugStart: adminProcedure
    .input(
      z.object({
        flow: identifier,
        /** The designer's draft (spec/flow.ts); absent: the published flow. */
        draft: z.record(z.string(), z.unknown()).optional(),
        inputs: z.record(z.string(), z.unknown()).optional(),
        recordId: z.string().min(1).max(100).optional(),
        rollback: z.boolean().default(true),
        breakpoints: breakpoints.optional(),
      }),
    )
    .mutation(({ ctx, input }) => ctx.services.flows.debugger.start({ ...input, ctx: userContext(ctx.user) })),

  debugCommand: adminProcedure
    .input(z.object({ id: runId, command: z.enum(["continue", "stepOver", "stepInto", "stepOut", "stop"]) }))
    .mutation(({ ctx, input }) => ctx.services.flows.debugger.command(input.id, input.command, ctx.user.id)),

  debugSetVariable: adminProcedure
    .input(z.object({ id: runId, frame: z.number().int().min(0).max(100), name: identifier, value: z.unknown() }))
    .mutation(({ ctx, input }) => ctx.services.flows.debugger.setVariable(input.id, input.frame, input.name, input.value, userContext(ctx.user))),

  debugSetBreakpoints: adminProcedure
    .input(z.object({ id: runId, breakpoints }))
    .mutation(({ ctx, input }) => ctx.services.flows.debugger.setBreakpoints(input.id, input.breakpoints, ctx.user.id)),

  /** A new debug run from a step of a past run, with the variables as they were there (and edits). */
  debugRerunFrom: adminProcedure
    .input(z.object({ id: runId, seq: z.number().int().min(0), edits: z.record(z.string(), z.unknown()).optional(), rollback: z.boolean().default(true), breakpoints: breakpoints.optional() }))
    .mutation(({ ctx, input }) => ctx.services.flows.debugger.rerunFrom(input.id, input.seq, { ctx: userContext(ctx.user), edits: input.edits, rollback: input.rollback, breakpoints: input.breakpoints })),

  debugView: adminProcedure.input(z.object({ id: runId })).query(({ ctx, input }) => ctx.services.flows.debugger.view(input.id)),

  /** Queues a failed run again at its failed step (after the cause was fixed). */
  retryRun: adminProcedure.input(z.object({ id: runId })).mutation(({ ctx, input }) => ctx.services.flows.retryFailed(input.id, ctx.user.id)),

  runDetail: adminProcedure.input(z.object({ id: runId })).query(async ({ ctx, input }) => {
    const found = await ctx.services.flows.store.get(input.id);
    if (!found) throw new ServiceError("NOT_FOUND", `No flow run '${input.id}'`);
    return { run: found.run, state: found.state, steps: await ctx.services.flows.store.steps(input.id) };
  }),
});
