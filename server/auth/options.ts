import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { env } from "@/server/env";
import { getServices } from "@/server/services";
import { clientInfo } from "@/server/security/client-info";
import { SignInThrottle } from "@/server/security/sign-in-throttle";
import { credentialsSignIn } from "./credentials-sign-in";
import type { Role } from "./roles";

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

/**
 * next-auth (v4) with email + password. Credentials sign-in requires JWT sessions in v4; the
 * token carries only the user id, and every request re-reads the user (role, active) from the
 * database in `getCurrentUser`, so a role change or deactivation takes effect at once.
 */
export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  // Explicit rather than next-auth's defaults (the same today): see docs/security.md.
  useSecureCookies: sessionCookie().options.secure,
  cookies: { sessionToken: sessionCookie() },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      // Rate limited and recorded in the login history (credentials-sign-in.ts).
      async authorize(credentials, req) {
        const { platformDb } = await getServices();
        return credentialsSignIn({ platformDb, throttle: throttle(platformDb) }, credentials, clientInfo(req.headers ?? {}, env.TRUSTED_PROXY_HOPS));
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) token.sub = user.id;
      return token;
    },
    async session({ session, token }) {
      if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
      return session;
    },
  },
};

export type CurrentUser = { id: string; email: string; name: string | null; role: Role };
