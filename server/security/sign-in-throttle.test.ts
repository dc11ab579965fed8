import { describe, expect, it } from "vitest";
import { createHarness, sqliteTestDatabase } from "@/test/services-harness";
import { SignInThrottle } from "./sign-in-throttle";

const MINUTE = 60_000;
const LIMITS = { maxFailuresPerEmail: 3, maxFailuresPerIp: 3, windowMs: 15 * MINUTE, lockMs: 10 * MINUTE };

/**
 * The throttle on its own, with a clock the test moves: the counting window, what a success
 * resets, failures without an IP, and which lock is reported. (Sign-in through it is in
 * hardening.suite.ts.) One test, so the harness (two bcrypt hashes) is made once, inside it.
 */
describe("SignInThrottle", () => {
  it("counts failures within the window, per email and per IP, and reports the lock that ends last", async () => {
    const h = await createHarness(sqliteTestDatabase());
    try {
      let clock = new Date("2026-12-01T09:00:00Z");
      const throttle = new SignInThrottle(h.services.platformDb, LIMITS, () => clock);
      const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

      // Two failures, then the window passes: the count starts again, and three within it lock.
      expect(await throttle.recordFailure("a@x", "10.0.0.1")).toBeNull();
      expect(await throttle.recordFailure("a@x", "10.0.0.2")).toBeNull();
      later(16 * MINUTE);
      expect(await throttle.recordFailure("a@x", "10.0.0.3")).toBeNull();
      expect(await throttle.recordFailure("a@x", "10.0.0.4")).toBeNull();
      expect(await throttle.recordFailure("a@x", "10.0.0.5")).toEqual({ scope: "email", until: new Date(clock.getTime() + LIMITS.lockMs) });

      // A success resets its own email only: the IP's count goes on.
      expect(await throttle.recordFailure("b@x", "10.0.0.9")).toBeNull();
      expect(await throttle.recordFailure("c@x", "10.0.0.9")).toBeNull();
      await throttle.recordSuccess("b@x");
      expect(await throttle.recordFailure("b@x", "10.0.0.9")).toEqual({ scope: "ip", until: new Date(clock.getTime() + LIMITS.lockMs) });
      // b@x has one failure since its success.
      expect(await throttle.recordFailure("b@x", null)).toBeNull();

      // Failures without a known IP share no IP count.
      for (const email of ["d@x", "e@x", "f@x", "g@x"]) expect(await throttle.recordFailure(email, null)).toBeNull();

      // Email and IP reaching their limit together: both locks end at once, the email's is reported.
      for (let attempt = 0; attempt < 2; attempt++) expect(await throttle.recordFailure("h@x", "10.0.0.7")).toBeNull();
      expect(await throttle.recordFailure("h@x", "10.0.0.7")).toMatchObject({ scope: "email" });

      // Of two locks in force, the one that ends last.
      const emailLock = await throttle.activeLock("a@x", "10.0.0.9");
      expect(emailLock).toEqual({ scope: "email", until: new Date("2026-12-01T09:26:00Z") });
      later(MINUTE);
      for (let attempt = 0; attempt < 3; attempt++) await throttle.recordFailure("i@x", "10.0.0.8");
      await throttle.recordFailure("a@x", "10.0.0.8");
      expect(await throttle.activeLock("a@x", "10.0.0.8")).toEqual({ scope: "ip", until: new Date(clock.getTime() + LIMITS.lockMs) });
      later(LIMITS.lockMs + 1);
      expect(await throttle.activeLock("a@x", "10.0.0.8")).toBeNull();
    } finally {
      await h.close();
    }
  }, 60_000);
});
