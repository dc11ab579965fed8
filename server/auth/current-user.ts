import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import { env } from "@/server/env";
import { getServices } from "@/server/services";
import { sessionCookie, type CurrentUser } from "./options";
import { userOfSessionCookie } from "./session-token";

/**
 * The signed-in user of this request: the session cookie decrypted, then the user read together
 * with the cookie's session row in one query (role and active flag are authoritative in the
 * database; an ended session is signed out). Every way a browser session is authenticated goes
 * through here: server components and layouts, the tRPC context, route handlers.
 * Once per server render (React's request-scoped cache): a page's layout, its tRPC callers and
 * its checks would otherwise each read it again. Elsewhere (route handlers) every call reads afresh.
 */
export const getCurrentUser = cache(readCurrentUser);

async function readCurrentUser(): Promise<CurrentUser | null> {
  const token = (await cookies()).get(sessionCookie().name)?.value;
  if (!token) return null;
  const { platformDb } = await getServices();
  return userOfSessionCookie(platformDb, token, env.NEXTAUTH_SECRET);
}
