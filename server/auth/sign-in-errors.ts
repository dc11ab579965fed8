/**
 * The error next-auth hands back to the sign-in form when sign-in is refused for too many
 * failures: `SignInLocked:<ISO time it ends>`. Shared by the server (which throws it from
 * `authorize`) and the sign-in form (which shows when to retry), so it imports nothing.
 */
const LOCKED_PREFIX = "SignInLocked:";

export function lockedError(until: Date): string {
  return `${LOCKED_PREFIX}${until.toISOString()}`;
}

/** The time the lock ends, when `error` is a lock; null for any other error. */
export function lockedUntil(error: string | null | undefined): Date | null {
  if (!error?.startsWith(LOCKED_PREFIX)) return null;
  const until = new Date(error.slice(LOCKED_PREFIX.length));
  return Number.isNaN(until.getTime()) ? null : until;
}

/** "Too many failed sign-ins. Try again at 14:05 (in 15 minutes)." in the reader's time zone. */
export function lockedMessage(until: Date, now = new Date()): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  const time = until.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return `Too many failed sign-ins. Try again at ${time} (in ${minutes} minute${minutes === 1 ? "" : "s"}).`;
}
