import "server-only";
import { z } from "zod";
import { endAllSessions, liveSessionCounts, setUserActive } from "@/server/auth/sessions";
import { adminProcedure, createTRPCRouter } from "../trpc";

const userIdInput = z.object({ userId: z.string().min(1).max(100) });

/** The platform's users, for admins: the security designer's list, and the users admin (/studio/users). */
export const usersRouter = createTRPCRouter({
  /** Every user: id, name, email and platform role; never credentials. */
  list: adminProcedure.query(({ ctx }) =>
    ctx.services.platformDb.user.findMany({
      select: { id: true, name: true, email: true, role: true },
      orderBy: [{ email: "asc" }],
    }),
  ),

  /** Every user with what the users admin shows: active or not, since when, and how many live sessions. */
  accounts: adminProcedure.query(async ({ ctx }) => {
    const db = ctx.services.platformDb;
    const [users, sessions] = await Promise.all([
      db.user.findMany({
        select: { id: true, name: true, email: true, role: true, active: true, createdAt: true },
        orderBy: [{ email: "asc" }],
      }),
      liveSessionCounts(db),
    ]);
    return users.map((user) => ({ ...user, liveSessions: sessions.get(user.id) ?? 0, isYou: user.id === ctx.user.id }));
  }),

  /** Deactivating signs the user out everywhere at once; an admin cannot deactivate themself. */
  setActive: adminProcedure
    .input(userIdInput.extend({ active: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await setUserActive(ctx.services.platformDb, ctx.user.id, input.userId, input.active);
      return { ok: true as const };
    }),

  /** Ends every session of a user (their browsers must sign in again); API keys are not sessions and keep working. */
  signOutEverywhere: adminProcedure.input(userIdInput).mutation(async ({ ctx, input }) => {
    const ended = await endAllSessions(ctx.services.platformDb, input.userId);
    return { ended };
  }),
});
