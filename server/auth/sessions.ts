import "server-only";
import { sql } from "kysely";
import { linkedDataDatabase, type PlatformDb } from "@/server/db/platform-db";
import { ServiceError } from "@/server/errors";
import type { ClientInfo } from "@/server/security/client-info";
import { hashPassword, passwordProblem, verifyPassword } from "./password";
import { isRole, type Role } from "./roles";

/**
 * Browser sessions that can be ended. The session cookie (a next-auth JWT) carries the user id
 * (`sub`) and the id of a `Session` row (`sid`); a request is signed in only while that row
 * exists and has not expired, which `userOfSession` checks in the same single query that reads
 * the user. Deleting rows therefore ends sessions at once: sign-out deletes its own row; a
 * password change, a deactivation and "sign out everywhere" delete all of a user's rows.
 */

/** How long a session lasts from sign-in, whatever the activity (the cookie's lifetime too). */
export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

export type SessionClaims = { userId: string; sessionId: string };
export type SessionUser = { id: string; email: string; name: string | null; role: Role; sessionId: string };

/** Records a sign-in and returns the new session's id (the cookie's `sid`); clears out expired rows. */
export async function startSession(db: PlatformDb, userId: string, client: ClientInfo, now = new Date()): Promise<string> {
  // Sign-ins are rare next to requests: purging here keeps the table to live sessions without a timer.
  await db.session.deleteMany({ where: { expires: { lte: now } } });
  const session = await db.session.create({
    data: {
      userId,
      createdAt: now,
      expires: new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
      ip: client.ip,
      userAgent: client.userAgent,
    },
    select: { id: true },
  });
  return session.id;
}

/**
 * The signed-in user of a session cookie's claims, or null when the session was ended, has
 * expired, or the user is inactive. One query: the user, filtered by its live session.
 */
export async function userOfSession(db: PlatformDb, claims: SessionClaims, now = new Date()): Promise<SessionUser | null> {
  const user = await liveSessionUser(db, claims, now);
  if (!user || !isRole(user.role)) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: claims.sessionId };
}

/**
 * The user of a live session. This runs for every signed-in request, so it goes through the
 * linked Kysely connection when there is one: a Prisma query costs about a millisecond of CPU
 * to compile, this statement microseconds (as the API key check: server/security/api-keys.ts).
 */
async function liveSessionUser(db: PlatformDb, claims: SessionClaims, now: Date): Promise<{ id: string; email: string; name: string | null; role: string } | null> {
  const dataDb = linkedDataDatabase(db);
  if (!dataDb) {
    return db.user.findUnique({
      where: { id: claims.userId, active: true, sessions: { some: { id: claims.sessionId, expires: { gt: now } } } },
      select: { id: true, email: true, name: true, role: true },
    });
  }
  const { rows } = await sql<{ id: string; email: string; name: string | null; role: string; active: unknown; expires: unknown }>`
    select u.id, u.email, u.name, u.role, u.active, s.expires
    from "User" u join "Session" s on s."userId" = u.id where u.id = ${claims.userId} and s.id = ${claims.sessionId}`.execute(dataDb.kysely);
  const row = rows[0];
  // Compared here, not in SQL: SQLite keeps Prisma's DateTime as text, PostgreSQL as timestamp.
  const expires = row ? (row.expires instanceof Date ? row.expires.getTime() : Date.parse(String(row.expires))) : NaN;
  // SQLite keeps booleans as 0/1.
  if (!row || !(row.active === true || row.active === 1) || !(expires > now.getTime())) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/** Ends one session (sign-out). Ending one that is already gone is not an error. */
export async function endSession(db: PlatformDb, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** Ends one of a user's own sessions; NOT_FOUND when it is not theirs (or already ended). */
export async function endOwnSession(db: PlatformDb, userId: string, sessionId: string): Promise<void> {
  const { count } = await db.session.deleteMany({ where: { id: sessionId, userId } });
  if (count === 0) throw new ServiceError("NOT_FOUND", "No such session", [{ path: ["id"], message: "is not one of your sessions" }]);
}

/** Ends every session of a user ("sign out everywhere"); returns how many were live. */
export async function endAllSessions(db: PlatformDb, userId: string, now = new Date()): Promise<number> {
  const [live] = await db.$transaction([
    db.session.count({ where: { userId, expires: { gt: now } } }),
    db.session.deleteMany({ where: { userId } }),
  ]);
  return live;
}

/** A user's live sessions, newest first; `current` marks the one making the request. */
export async function listSessions(db: PlatformDb, userId: string, currentSessionId: string | undefined, now = new Date()) {
  const rows = await db.session.findMany({
    where: { userId, expires: { gt: now } },
    select: { id: true, createdAt: true, expires: true, ip: true, userAgent: true },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return rows.map((row) => ({ ...row, current: row.id === currentSessionId }));
}

/** How many live sessions each user has (the users admin shows it). */
export async function liveSessionCounts(db: PlatformDb, now = new Date()): Promise<Map<string, number>> {
  const groups = await db.session.groupBy({ by: ["userId"], where: { expires: { gt: now } }, _count: { _all: true } });
  return new Map(groups.map((group) => [group.userId, group._count._all]));
}

/**
 * Changes a user's own password after checking the current one, and ends all their sessions
 * in the same transaction (a stolen session must not outlive the password it was opened with).
 */
export async function changePassword(db: PlatformDb, userId: string, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user) throw new ServiceError("NOT_FOUND", "No such user");
  if (!user.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ServiceError("BAD_REQUEST", "Current password is wrong", [{ path: ["currentPassword"], message: "is not your current password" }]);
  }
  const problem = passwordProblem(input.newPassword);
  if (problem) throw new ServiceError("BAD_REQUEST", `New password ${problem}`, [{ path: ["newPassword"], message: problem }]);
  if (input.newPassword === input.currentPassword) {
    throw new ServiceError("BAD_REQUEST", "New password is the current one", [{ path: ["newPassword"], message: "must differ from the current password" }]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { passwordHash } }),
    db.session.deleteMany({ where: { userId } }),
  ]);
}

/**
 * Activates or deactivates a user. Deactivating ends all their sessions in the same transaction
 * (API keys stop working too: they are checked against the active flag on every call).
 */
export async function setUserActive(db: PlatformDb, actorId: string, userId: string, active: boolean): Promise<void> {
  if (!active && userId === actorId) {
    throw new ServiceError("BAD_REQUEST", "You cannot deactivate your own account", [{ path: ["userId"], message: "is you: another admin must deactivate this account" }]);
  }
  const exists = await db.user.count({ where: { id: userId } });
  if (exists === 0) throw new ServiceError("NOT_FOUND", "No such user", [{ path: ["userId"], message: "no such user" }]);
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { active } }),
    ...(active ? [] : [db.session.deleteMany({ where: { userId } })]),
  ]);
}
