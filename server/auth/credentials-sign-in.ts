import "server-only";
import { z } from "zod";
import type { PlatformDb } from "@/server/db/platform-db";
import { recordLogin, type LoginEventInput } from "@/server/audit/login-history";
import type { ClientInfo } from "@/server/security/client-info";
import type { SignInThrottle } from "@/server/security/sign-in-throttle";
import { hashPassword, verifyPassword } from "./password";
import { lockedError } from "./sign-in-errors";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  password: z.string().min(1).max(200),
});

let dummy: Promise<string> | undefined;
function dummyHash() {
  dummy ??= hashPassword("no such user: constant-time comparison");
  return dummy;
}

/** Thrown from `authorize`: next-auth passes the message to the sign-in form as the error. */
export class SignInLockedError extends Error {
  constructor(readonly until: Date) {
    super(lockedError(until));
    this.name = "SignInLockedError";
  }
}

/**
 * One credentials sign-in: refused while the email or client IP is locked, otherwise the
 * password is checked (against a dummy hash for unknown emails, so timing does not tell).
 * Every attempt goes to the login history; failures count toward a lock.
 * Returns the user, or null for wrong credentials; throws SignInLockedError when locked.
 */
export async function credentialsSignIn(
  deps: { platformDb: PlatformDb; throttle: SignInThrottle },
  credentials: unknown,
  client: ClientInfo,
): Promise<{ id: string; email: string; name: string | null } | null> {
  const { platformDb, throttle } = deps;
  const parsed = credentialsSchema.safeParse(credentials);
  const typed = typeof (credentials as { email?: unknown } | undefined)?.email === "string"
    ? String((credentials as { email: string }).email).trim().toLowerCase()
    : "";
  const log = (event: Omit<LoginEventInput, "ip" | "userAgent">) => recordLogin(platformDb, { ...event, ...client });
  if (!parsed.success) {
    await log({ email: typed, outcome: "failure", reason: "invalid_input" });
    return null;
  }
  const { email, password } = parsed.data;
  const user = await platformDb.user.findUnique({ where: { email } });

  const lock = await throttle.activeLock(email, client.ip);
  if (lock) {
    await log({ email, userId: user?.id, outcome: "locked", reason: lock.scope === "ip" ? "locked_ip" : "locked_email" });
    throw new SignInLockedError(lock.until);
  }

  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash()));
  if (user && user.active && ok) {
    await throttle.recordSuccess(email);
    await log({ email, userId: user.id, outcome: "success" });
    return { id: user.id, email: user.email, name: user.name };
  }
  const reason = !user ? "unknown_user" : !ok ? "wrong_password" : "inactive";
  await log({ email, userId: user?.id, outcome: "failure", reason });
  const started = await throttle.recordFailure(email, client.ip);
  if (started) throw new SignInLockedError(started.until);
  return null;
}
