import type { PlatformDb } from "@/server/db/platform-db";

/** How many failed sign-ins are allowed, over what window, and how long a lock lasts. */
export type ThrottleLimits = {
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  windowMs: number;
  lockMs: number;
};

export type SignInLock = { scope: "email" | "ip"; until: Date };

/**
 * Sign-in rate limiting, kept in the platform database (`SignInThrottle`) so every web process
 * sees the same counts. Failures are counted per email and per client IP in a fixed window;
 * reaching the limit locks that key until `lockMs` later, and the count starts over. A success
 * clears the email's count (not the IP's: one valid account must not reset an address that is
 * guessing others). Attempts while locked are refused before the password is checked and do
 * not count, so a lock ends on time.
 */
export class SignInThrottle {
  constructor(
    private readonly db: PlatformDb,
    private readonly limits: ThrottleLimits,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The lock in force for this email or IP, if any (the one that ends last). */
  async activeLock(email: string, ip: string | null): Promise<SignInLock | null> {
    const rows = await this.db.signInThrottle.findMany({
      where: { key: { in: keys(email, ip).map((entry) => entry.key) }, lockedUntil: { gt: this.now() } },
    });
    const latest = rows.sort((a, b) => b.lockedUntil!.getTime() - a.lockedUntil!.getTime())[0];
    return latest ? { scope: latest.key.startsWith("ip:") ? "ip" : "email", until: latest.lockedUntil! } : null;
  }

  /** Counts a failure; returns the lock it started, if it reached a limit. */
  async recordFailure(email: string, ip: string | null): Promise<SignInLock | null> {
    let lock: SignInLock | null = null;
    for (const { key, scope } of keys(email, ip)) {
      const max = scope === "email" ? this.limits.maxFailuresPerEmail : this.limits.maxFailuresPerIp;
      const until = await this.fail(key, max);
      if (until && (!lock || until > lock.until)) lock = { scope, until };
    }
    return lock;
  }

  async recordSuccess(email: string): Promise<void> {
    await this.db.signInThrottle.deleteMany({ where: { key: emailKey(email) } });
  }

  /** Each step is one conditional statement, so concurrent processes cannot lose a failure. */
  private async fail(key: string, max: number): Promise<Date | null> {
    const now = this.now();
    const windowStart = new Date(now.getTime() - this.limits.windowMs);
    const counted = await this.db.signInThrottle.updateMany({
      where: { key, windowStart: { gte: windowStart } },
      data: { failures: { increment: 1 } },
    });
    if (counted.count === 0) {
      await this.db.signInThrottle.upsert({
        where: { key },
        create: { key, failures: 1, windowStart: now },
        update: { failures: 1, windowStart: now },
      });
    }
    const until = new Date(now.getTime() + this.limits.lockMs);
    const locked = await this.db.signInThrottle.updateMany({
      where: { key, failures: { gte: max } },
      data: { failures: 0, windowStart: now, lockedUntil: until },
    });
    return locked.count > 0 ? until : null;
  }
}

function emailKey(email: string) {
  return `email:${email}`;
}

function keys(email: string, ip: string | null): { key: string; scope: SignInLock["scope"] }[] {
  const result: { key: string; scope: SignInLock["scope"] }[] = [{ key: emailKey(email), scope: "email" }];
  if (ip) result.push({ key: `ip:${ip}`, scope: "ip" });
  return result;
}
