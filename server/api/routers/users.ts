import "server-only";
import { adminProcedure, createTRPCRouter } from "../trpc";

/** The platform's users, for admins (the security designer assigns them profiles, roles and groups). */
export const usersRouter = createTRPCRouter({
  /** Every user: id, name, email and platform role; never credentials. */
  list: adminProcedure.query(({ ctx }) =>
    ctx.services.platformDb.user.findMany({
      select: { id: true, name: true, email: true, role: true },
      orderBy: [{ email: "asc" }],
    }),
  ),
});
