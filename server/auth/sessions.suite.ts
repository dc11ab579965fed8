import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { CurrentUser } from "@/server/auth/options";
import { SignInThrottle } from "@/server/security/sign-in-throttle";
import { refused } from "@/test/trpc-assertions";
import { createHarness, type Harness, type TestDatabase } from "@/test/services-harness";
import { credentialsSignIn } from "./credentials-sign-in";
import { userOfSessionCookie } from "./session-token";
import { SESSION_MAX_AGE_SECONDS, startSession } from "./sessions";

const SECRET = "a-test-secret-of-at-least-32-characters!";
const LIMITS = { maxFailuresPerEmail: 100, maxFailuresPerIp: 100, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
const BROWSER = { ip: "10.0.0.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0 Safari/537.36" };

/**
 * Revocable sessions on a real platform database: what the sign-in form, sign-out, the users
 * admin and the account page do, checked the way every request checks its cookie
 * (userOfSessionCookie: decrypt, then one read of the user with its live session row).
 */
export function runSessionsSuite(label: string, makeDatabase: () => Promise<TestDatabase> | TestDatabase) {
  // bcrypt at cost 12 (~250 ms a hash, several per test) on a shared machine: more than 5 s.
  describe(`revocable sessions (${label})`, { timeout: 30_000 }, () => {
    let h: Harness;
    const log: string[] = [];
    const db = () => h.services.platformDb;

    /** Signs in as the form does (password checked, then a session row) and returns the cookie's value. */
    async function signIn(email: string, password = "Password123!", now = new Date()): Promise<string> {
      const user = await credentialsSignIn({ platformDb: db(), throttle: new SignInThrottle(db(), LIMITS) }, { email, password }, BROWSER);
      if (!user) throw new Error(`sign-in refused for ${email}`);
      const sid = await startSession(db(), user.id, BROWSER, now);
      return encode({ token: { sub: user.id, sid }, secret: SECRET, maxAge: SESSION_MAX_AGE_SECONDS });
    }
    const whoIs = (cookie: string) => userOfSessionCookie(db(), cookie, SECRET, (line) => log.push(line));
    /** The tRPC caller a request with this cookie gets (as the tRPC context builds it). */
    async function callerFor(cookie: string) {
      const user: CurrentUser | null = await whoIs(cookie);
      if (!user) throw new Error("signed out");
      return createCaller({ user, services: h.services });
    }

    beforeAll(async () => {
      h = await createHarness(await makeDatabase());
    }, 60_000);
    afterAll(async () => {
      await h?.close();
    });
    beforeEach(async () => {
      log.length = 0;
      await db().session.deleteMany({});
    });

    it("signs in to a session row that the cookie names, and reads the user with it", async () => {
      const cookie = await signIn("user@test.local");
      const user = await whoIs(cookie);
      expect(user).toMatchObject({ id: h.user.id, email: "user@test.local", role: "user" });
      expect(await db().session.findUnique({ where: { id: user!.sessionId } })).toMatchObject({ userId: h.user.id, ip: BROWSER.ip, userAgent: BROWSER.userAgent });
    });

    it("sign-out ends that session only: a copy of its cookie is refused, the user's other browser stays signed in", async () => {
      const laptop = await signIn("user@test.local");
      const phone = await signIn("user@test.local");
      const copied = laptop;
      const asLaptop = await callerFor(laptop);
      // What next-auth's sign-out event does with the cookie's session id.
      await asLaptop.account.endSession({ id: (await whoIs(laptop))!.sessionId! });
      expect(await whoIs(copied)).toBeNull();
      expect(await whoIs(phone)).toMatchObject({ id: h.user.id });
      expect(log).toEqual([]);
    });

    it("an admin's sign out everywhere ends every session of that user at once, and no one else's", async () => {
      const first = await signIn("user@test.local");
      const second = await signIn("user@test.local");
      const admins = await signIn("admin@test.local");
      const { ended } = await (await callerFor(admins)).users.signOutEverywhere({ userId: h.user.id });
      expect(ended).toBe(2);
      expect(await whoIs(first)).toBeNull();
      expect(await whoIs(second)).toBeNull();
      expect(await whoIs(admins)).toMatchObject({ id: h.admin.id });
      // They may sign in again.
      expect(await whoIs(await signIn("user@test.local"))).toMatchObject({ id: h.user.id });
    });

    it("a user signs out of all their devices, this one included", async () => {
      const here = await signIn("user@test.local");
      const there = await signIn("user@test.local");
      expect(await (await callerFor(here)).account.signOutEverywhere()).toEqual({ ended: 2 });
      expect(await whoIs(here)).toBeNull();
      expect(await whoIs(there)).toBeNull();
    });

    it("lists a user's live sessions with the current one marked, and ends only their own", async () => {
      const older = await signIn("user@test.local", undefined, new Date(Date.now() - 60_000));
      const current = await signIn("user@test.local");
      const admins = await signIn("admin@test.local");
      const me = await callerFor(current);
      const sessions = await me.account.sessions();
      expect(sessions.map((session) => session.current)).toEqual([true, false]);
      expect(sessions[0]).toMatchObject({ ip: BROWSER.ip, userAgent: BROWSER.userAgent });
      const adminSession = (await whoIs(admins))!.sessionId!;
      const error = await refused(me.account.endSession({ id: adminSession }), "NOT_FOUND");
      expect(error.message).toBe("No such session");
      expect(await whoIs(admins)).not.toBeNull();
      await me.account.endSession({ id: (await whoIs(older))!.sessionId! });
      expect(await whoIs(older)).toBeNull();
      expect(await whoIs(current)).not.toBeNull();
    });

    it("a password change ends all the user's sessions; the old password stops working, the new one works", async () => {
      const here = await signIn("user@test.local");
      const elsewhere = await signIn("user@test.local");
      const me = await callerFor(here);
      const wrong = await refused(me.account.changePassword({ currentPassword: "not-it", newPassword: "Another123!" }), "BAD_REQUEST");
      expect(wrong.cause).toMatchObject({ issues: [{ path: ["currentPassword"], message: "is not your current password" }] });
      const short = await refused(me.account.changePassword({ currentPassword: "Password123!", newPassword: "short" }), "BAD_REQUEST");
      expect(short.cause).toMatchObject({ issues: [{ path: ["newPassword"], message: "must be at least 8 characters" }] });
      await refused(me.account.changePassword({ currentPassword: "Password123!", newPassword: "Password123!" }), "BAD_REQUEST");
      // Refused changes ended nothing.
      expect(await whoIs(elsewhere)).not.toBeNull();

      await me.account.changePassword({ currentPassword: "Password123!", newPassword: "Another123!" });
      expect(await whoIs(here)).toBeNull();
      expect(await whoIs(elsewhere)).toBeNull();
      await expect(signIn("user@test.local")).rejects.toThrow(/sign-in refused/);
      const fresh = await signIn("user@test.local", "Another123!");
      await (await callerFor(fresh)).account.changePassword({ currentPassword: "Another123!", newPassword: "Password123!" });
      expect(await whoIs(fresh)).toBeNull();
    });

    it("deactivating a user ends their sessions; reactivating does not bring them back", async () => {
      const before = await signIn("user@test.local");
      const asAdmin = await callerFor(await signIn("admin@test.local"));
      await asAdmin.users.setActive({ userId: h.user.id, active: false });
      expect(await whoIs(before)).toBeNull();
      expect(await db().session.count({ where: { userId: h.user.id } })).toBe(0);
      await expect(signIn("user@test.local")).rejects.toThrow(/sign-in refused/);
      // A session row alone does not make an inactive user signed in.
      const sid = await startSession(db(), h.user.id, BROWSER);
      const forged = await encode({ token: { sub: h.user.id, sid }, secret: SECRET });
      expect(await whoIs(forged)).toBeNull();

      await asAdmin.users.setActive({ userId: h.user.id, active: true });
      expect(await whoIs(before)).toBeNull();
      expect(await whoIs(await signIn("user@test.local"))).toMatchObject({ id: h.user.id });
    });

    it("refuses an admin deactivating themself, and unknown users", async () => {
      const asAdmin = await callerFor(await signIn("admin@test.local"));
      const self = await refused(asAdmin.users.setActive({ userId: h.admin.id, active: false }), "BAD_REQUEST");
      expect(self.cause).toMatchObject({ issues: [{ path: ["userId"] }] });
      await refused(asAdmin.users.setActive({ userId: "no-such-user", active: false }), "NOT_FOUND");
    });

    it("the users admin shows each user's status and live sessions", async () => {
      await signIn("user@test.local");
      await signIn("user@test.local");
      const asAdmin = await callerFor(await signIn("admin@test.local"));
      const accounts = await asAdmin.users.accounts();
      expect(accounts.map(({ email, active, liveSessions, isYou }) => ({ email, active, liveSessions, isYou }))).toEqual([
        { email: "admin@test.local", active: true, liveSessions: 1, isYou: true },
        { email: "user@test.local", active: true, liveSessions: 2, isYou: false },
      ]);
      for (const account of accounts) expect(Object.keys(account)).not.toContain("passwordHash");
    });

    it("an expired session is signed out, and expired rows are purged at the next sign-in", async () => {
      const longAgo = new Date(Date.now() - (SESSION_MAX_AGE_SECONDS + 60) * 1000);
      const sid = await startSession(db(), h.user.id, BROWSER, longAgo);
      // A cookie that itself has not expired (say, a clock moved back) still ends with its row.
      const cookie = await encode({ token: { sub: h.user.id, sid }, secret: SECRET });
      expect(await whoIs(cookie)).toBeNull();
      expect(await db().session.count({ where: { id: sid } })).toBe(1);
      await signIn("admin@test.local");
      expect(await db().session.count({ where: { id: sid } })).toBe(0);
    });

    it("refuses cookies that name another user's session, or no session (issued before sessions were revocable)", async () => {
      const users = await signIn("user@test.local");
      const userSession = (await whoIs(users))!.sessionId!;
      expect(await whoIs(await encode({ token: { sub: h.admin.id, sid: userSession }, secret: SECRET }))).toBeNull();
      expect(await whoIs(await encode({ token: { sub: h.user.id }, secret: SECRET }))).toBeNull();
      expect(log).toEqual([]);
    });

    it("a tampered cookie is signed out with one log line", async () => {
      const cookie = await signIn("user@test.local");
      const tampered = cookie.slice(0, -6) + (cookie.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
      expect(await whoIs(tampered)).toBeNull();
      expect(await whoIs("not-a-jwt")).toBeNull();
      expect(await whoIs(await encode({ token: { sub: h.user.id, sid: "x" }, secret: "another-secret-entirely-0123456789" }))).toBeNull();
      expect(log).toHaveLength(3);
      for (const line of log) expect(line).toMatch(/^\[auth\] error SESSION_COOKIE_REFUSED: [^\n]+$/);
    });

    it("only admins manage users; only the signed-in manage their account", async () => {
      await refused(h.asUser.users.accounts(), "FORBIDDEN");
      await refused(h.asUser.users.setActive({ userId: h.admin.id, active: false }), "FORBIDDEN");
      await refused(h.asUser.users.signOutEverywhere({ userId: h.admin.id }), "FORBIDDEN");
      await refused(h.anonymous.account.sessions(), "UNAUTHORIZED");
      await refused(h.anonymous.account.signOutEverywhere(), "UNAUTHORIZED");
      await refused(h.anonymous.account.changePassword({ currentPassword: "x", newPassword: "Another123!" }), "UNAUTHORIZED");
    });
  });
}
