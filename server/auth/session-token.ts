import "server-only";
import { decode } from "next-auth/jwt";
import type { PlatformDb } from "@/server/db/platform-db";
import { authLogLine, type AuthLogWrite } from "./auth-log";
import { userOfSession, type SessionClaims, type SessionUser } from "./sessions";

/**
 * The claims of a session cookie: its user and session row, or null when the cookie is not a
 * session of ours (tampered, made with another secret, expired: one log line, never a stack) or
 * predates revocable sessions (no `sid`: signed out, so everyone signs in once after the upgrade).
 * Decrypting directly is what getServerSession did inside, minus re-encrypting a fresh cookie
 * that a server render cannot set anyway.
 */
export async function sessionClaims(token: string, secret: string, write: AuthLogWrite = (line) => console.error(line)): Promise<SessionClaims | null> {
  let payload: Record<string, unknown> | null;
  try {
    payload = await decode({ token, secret });
  } catch (error) {
    write(authLogLine("error", "SESSION_COOKIE_REFUSED", error));
    return null;
  }
  const userId = payload?.sub;
  const sessionId = payload?.sid;
  if (typeof userId !== "string" || typeof sessionId !== "string") return null;
  return { userId, sessionId };
}

/** The signed-in user of a session cookie's value: decrypted, then read with its live session row (one query). */
export async function userOfSessionCookie(db: PlatformDb, token: string, secret: string, write?: AuthLogWrite): Promise<SessionUser | null> {
  const claims = await sessionClaims(token, secret, write);
  return claims ? userOfSession(db, claims) : null;
}
