import { createHash, randomBytes } from "node:crypto";
import { sql } from "kysely";
import { linkedDataDatabase, type PlatformDb } from "@/server/db/platform-db";
import type { CurrentUser } from "@/server/auth/options";
import { isRole } from "@/server/auth/roles";
import { ServiceError } from "@/server/errors";

/** Every key starts with this, so leaked keys are easy to recognise (and to scan for). */
export const API_KEY_PREFIX = "osk_";
/** How many characters of a key lists show: the marker and 8 random characters. */
const SHOWN_CHARACTERS = API_KEY_PREFIX.length + 8;

/** 32 random bytes: guessing is hopeless, so a plain SHA-256 is a safe way to store them. */
export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, SHOWN_CHARACTERS), hash: hashApiKey(key) };
}

const listedFields = {
  id: true,
  name: true,
  prefix: true,
  userId: true,
  createdById: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  user: { select: { email: true, name: true } },
} as const;

/**
 * Creates a key acting as `userId`. Anyone may create keys for themselves; only an admin for
 * another user. The secret is returned here once and never stored.
 */
export async function createApiKey(db: PlatformDb, actor: CurrentUser, input: { name: string; userId?: string }) {
  const userId = input.userId ?? actor.id;
  if (userId !== actor.id && actor.role !== "admin") {
    throw new ServiceError("FORBIDDEN", "Only admins may create keys for another user", [{ path: ["userId"], message: "must be your own user" }]);
  }
  const owner = await db.user.findUnique({ where: { id: userId } });
  if (!owner || !owner.active) throw new ServiceError("BAD_REQUEST", "No active user with that id", [{ path: ["userId"], message: "no active user with this id" }]);
  const { key, prefix, hash } = generateApiKey();
  const apiKey = await db.apiKey.create({ data: { name: input.name, prefix, hash, userId, createdById: actor.id }, select: listedFields });
  return { key, apiKey };
}

/** An admin sees every key (or one user's); anyone else only their own. Newest first. */
export function listApiKeys(db: PlatformDb, actor: CurrentUser, filter: { userId?: string } = {}) {
  const userId = actor.role === "admin" ? filter.userId : actor.id;
  return db.apiKey.findMany({ where: userId ? { userId } : {}, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: listedFields });
}

/** Revokes a key at once (kept, marked revoked, for the usage log). Owners and admins may. */
export async function revokeApiKey(db: PlatformDb, actor: CurrentUser, id: string) {
  const key = await db.apiKey.findUnique({ where: { id } });
  // Someone else's key is "not found" to a non-admin: they need not learn it exists.
  if (!key || (key.userId !== actor.id && actor.role !== "admin")) throw new ServiceError("NOT_FOUND", `No API key with id '${id}'`);
  if (key.revokedAt) return db.apiKey.findUniqueOrThrow({ where: { id }, select: listedFields });
  return db.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: listedFields });
}

/** The key a call used (and its owner, for the usage log even when the call is refused). */
type UsedKey = { id: string; prefix: string; userId: string };
export type ApiKeyAuth = { ok: true; user: CurrentUser; key: UsedKey } | { ok: false; message: string; key?: UsedKey };

/** The key row and its user, as the check needs them. */
type KeyWithUser = {
  id: string;
  prefix: string;
  userId: string;
  revokedAt: unknown;
  user: { id: string; email: string; name: string | null; role: string; active: boolean };
};

/**
 * The key and its user, read afresh on every call (a revoked key or a deactivated user is
 * refused at once, in every process). Through the linked Kysely connection when there is one: a
 * Prisma query costs about a millisecond of CPU, this lookup microseconds (see linkDataDatabase).
 */
async function findKey(db: PlatformDb, hash: string): Promise<KeyWithUser | null> {
  const dataDb = linkedDataDatabase(db);
  if (!dataDb) return db.apiKey.findUnique({ where: { hash }, include: { user: true } });
  const { rows } = await sql<{ id: string; prefix: string; userId: string; revokedAt: unknown; email: string; name: string | null; role: string; active: unknown }>`
    select k.id, k.prefix, k."userId", k."revokedAt", u.email, u.name, u.role, u.active
    from "ApiKey" k join "User" u on u.id = k."userId" where k.hash = ${hash}`.execute(dataDb.kysely);
  const row = rows[0];
  if (!row) return null;
  // SQLite keeps booleans as 0/1.
  const active = row.active === true || row.active === 1;
  return { id: row.id, prefix: row.prefix, userId: row.userId, revokedAt: row.revokedAt, user: { id: row.userId, email: row.email, name: row.name, role: row.role, active } };
}

/** When this process last wrote each key's "last used" (at most once a minute per key and process). */
const lastUsedWrites = new Map<string, number>();

async function noteKeyUsed(db: PlatformDb, keyId: string, now: Date): Promise<void> {
  const written = lastUsedWrites.get(keyId);
  if (written !== undefined && now.getTime() - written < 60_000) return;
  lastUsedWrites.set(keyId, now.getTime());
  if (lastUsedWrites.size > 10_000) lastUsedWrites.delete(lastUsedWrites.keys().next().value!);
  await db.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: now } });
}

/**
 * Resolves `Authorization: Bearer <key>` to the key's user, re-read from the database like a
 * session (a deactivated user's keys stop working at once).
 */
export async function authenticateApiKey(db: PlatformDb, authorization: string | null, now = new Date()): Promise<ApiKeyAuth> {
  const match = authorization?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) return { ok: false, message: "Send an API key as 'Authorization: Bearer <key>'" };
  const row = await findKey(db, hashApiKey(match[1]!));
  if (!row) return { ok: false, message: "Unknown API key" };
  const key = { id: row.id, prefix: row.prefix, userId: row.userId };
  if (row.revokedAt) return { ok: false, message: "This API key was revoked", key };
  const { user } = row;
  if (!user.active || !isRole(user.role)) return { ok: false, message: "This API key's user is deactivated", key };
  await noteKeyUsed(db, row.id, now);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role }, key };
}
