import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { env } from "@/server/env";
import { getServices } from "@/server/services";
import { hashPassword, verifyPassword } from "./password";
import type { Role } from "./roles";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(200),
});

let dummy: Promise<string> | undefined;
function dummyHash() {
  dummy ??= hashPassword("no such user: constant-time comparison");
  return dummy;
}

/**
 * next-auth (v4) with email + password. Credentials sign-in requires JWT sessions in v4; the
 * token carries only the user id, and every request re-reads the user (role, active) from the
 * database in `getCurrentUser`, so a role change or deactivation takes effect at once.
 */
export const authOptions: NextAuthOptions = {
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
  pages: { signIn: "/signin" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(credentials) {
        const parsed = credentialsSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const { platformDb } = await getServices();
        const user = await platformDb.user.findUnique({ where: { email: parsed.data.email } });
        // Compare against a dummy hash when the user is unknown, so timing does not reveal it.
        const hash = user?.passwordHash ?? (await dummyHash());
        const ok = await verifyPassword(parsed.data.password, hash);
        if (!user || !user.active || !ok) return null;
        return { id: user.id, email: user.email, name: user.name };
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
