import "server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { getServices } from "@/server/services";
import { authOptions, type CurrentUser } from "./options";
import { isRole } from "./roles";

/**
 * The signed-in user, re-read from the database (role and active flag are authoritative there).
 * Once per server render (React's request-scoped cache): a page's layout, its tRPC callers and
 * its checks would otherwise each decode the session and query the user again. Elsewhere
 * (route handlers) every call reads afresh.
 */
export const getCurrentUser = cache(readCurrentUser);

async function readCurrentUser(): Promise<CurrentUser | null> {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  const { platformDb } = await getServices();
  const user = await platformDb.user.findUnique({ where: { id } });
  if (!user || !user.active || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}
