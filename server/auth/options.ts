import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/server/env";
import { getServices } from "@/server/services";
import { clientInfo } from "@/server/security/client-info";
import { SignInThrottle } from "@/server/security/sign-in-throttle";
import { createAuthLogger } from "./auth-log";
import { credentialsSignIn } from "./credentials-sign-in";
import { sameOriginUrl } from "./redirect-target";
import type { Role } from "./roles";
import { endSession, SESSION_MAX_AGE_SECONDS, startSession, userOfSession } from "./sessions";

/** The session cookie: never readable by scripts, not sent on cross-site subrequests, `Secure` over https. */
export function sessionCookie(publicUrl = env.NEXTAUTH_URL) {
  const secure = publicUrl?.startsWith("https://") ?? false;
  return {
    // next-auth's default names: the `__Secure-` prefix makes browsers refuse it over plain http.
    name: `${secure ? "__Secure-" : ""}next-auth.session-token`,
    options: { httpOnly: true, sameSite: "lax" as const, path: "/", secure },
  };
}

function throttle(platformDb: Parameters<typeof credentialsSignIn>[0]["platformDb"]) {
  return new SignInThrottle(platformDb, {
    maxFailuresPerEmail: env.SIGNIN_MAX_FAILURES,
    maxFailuresPerIp: env.SIGNIN_MAX_FAILURES_PER_IP,
    windowMs: env.SIGNIN_WINDOW_MINUTES * 60_000,
    lockMs: env.SIGNIN_LOCK_MINUTES * 60_000,
  });
}

/** Thrown in next-auth's jwt callback for a cookie whose session was ended: next-auth then answers signed out. */
class SessionEndedError extends Error {
  constructor() {
    super("the session was ended (signed out, password changed, user deactivated or signed out everywhere)");
    this.name = "SessionEndedError";
  }
}

type SignedInUser = { id: string; email: string; name: string | null; sessionId: string };

/**
 * next-auth (v4) with email + password. Credentials sign-in requires JWT sessions in v4; the
 * token carries only the user id (`sub`) and the id of its `Session` row (`sid`). Every request
 * re-reads the user together with that row (`getCurrentUser`, sessions.ts), so a role change,
 * a deactivation, a sign-out or a "sign out everywhere" takes effect at once.
 */
export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // Explicit rather than next-auth's defaults (the same today): see docs/security.md.
  useSecureCookies: sessionCookie().options.secure,
  cookies: { sessionToken: sessionCookie() },
  pages: { signIn: "/signin" },
  // One line per tampered cookie instead of next-auth's stack trace (auth-log.ts).
  logger: createAuthLogger(),
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      // Rate limited and recorded in the login history (credentials-sign-in.ts); a success opens a session row.
      async authorize(credentials, req): Promise<SignedInUser | null> {
        const { platformDb } = await getServices();
        const client = clientInfo(req.headers ?? {}, env.TRUSTED_PROXY_HOPS);
        const user = await credentialsSignIn({ platformDb, throttle: throttle(platformDb) }, credentials, client);
        if (!user) return null;
        return { ...user, sessionId: await startSession(platformDb, user.id, client) };
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      // At sign-in only the ids go into the cookie: no name or email to go stale or leak.
      if (user) return { sub: user.id, sid: (user as SignedInUser).sessionId };
      // next-auth's own /api/auth/session answers signed out for an ended session, as every page does.
      const { platformDb } = await getServices();
      const live = typeof token.sub === "string" && typeof token.sid === "string" &&
        (await userOfSession(platformDb, { userId: token.sub, sessionId: token.sid })) !== null;
      if (!live) throw new SessionEndedError();
      return token;
    },
    async session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
    // Every callbackUrl (sign-in, sign-out, the callback-url cookie) stays on our origin.
    redirect({ url, baseUrl }) {
      return sameOriginUrl(url, baseUrl, baseUrl);
    },
  },
  events: {
    // Sign-out ends this session's row, so a copy of the cookie stops working too.
    async signOut({ token }) {
      const sessionId = (token as { sid?: unknown } | null)?.sid;
      if (typeof sessionId !== "string") return;
      const { platformDb } = await getServices();
      await endSession(platformDb, sessionId);
    },
  },
};

/**
 * The user a request acts for. `sessionId` is the browser session it came with; requests
 * authenticated otherwise (an API key, a test's caller) have none.
 */
export type CurrentUser = { id: string; email: string; name: string | null; role: Role; sessionId?: string };
