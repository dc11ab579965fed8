import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectInput } from "@/spec";
import { recordsApi } from "@/server/api/rest/records-api";
import { serveRest, type RestHandler } from "@/server/api/rest/rest-route";
import { exportAuditLog } from "@/server/audit/audit-export";
import { credentialsSignIn, SignInLockedError } from "@/server/auth/credentials-sign-in";
import { refused } from "@/test/trpc-assertions";
import { createHarness, type Harness, type TestDatabase } from "@/test/services-harness";
import { SignInThrottle } from "./sign-in-throttle";

const ticket: ObjectInput = {
  name: "ticket",
  label: "Ticket",
  pluralLabel: "Tickets",
  fields: [
    { id: "k1", name: "subject", label: "Subject", type: "text", required: true },
    { id: "k2", name: "points", label: "Points", type: "number" },
  ],
};

const LIMITS = { maxFailuresPerEmail: 3, maxFailuresPerIp: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
const client = (ip: string) => ({ ip, userAgent: "vitest" });

/**
 * Hardening and audit on a real platform database: sign-in rate limiting and login history,
 * API keys, the REST adapter over the data router, the API usage log, and who may read them.
 */
export function runHardeningSuite(label: string, makeDatabase: () => Promise<TestDatabase> | TestDatabase) {
  describe(`security (${label})`, () => {
    let h: Harness;
    let clock = new Date("2026-11-26T09:00:00Z");
    const throttle = () => new SignInThrottle(h.services.platformDb, LIMITS, () => clock);
    const signIn = (email: string, password: string, ip = "10.0.0.1") =>
      credentialsSignIn({ platformDb: h.services.platformDb, throttle: throttle() }, { email, password }, client(ip));

    beforeAll(async () => {
      h = await createHarness(await makeDatabase());
      await h.asAdmin.metadata.create({ kind: "object", body: ticket });
      await h.asAdmin.metadata.publish({ kind: "object", name: "ticket" });
    }, 60_000);
    afterAll(async () => {
      await h?.close();
    });

    describe("sign-in", () => {
      it("locks an email after repeated failures, even for the right password, until the lock ends", async () => {
        expect(await signIn("user@test.local", "wrong-1")).toBeNull();
        expect(await signIn("USER@test.local ", "wrong-2")).toBeNull();
        const third = await signIn("user@test.local", "wrong-3").catch((error: unknown) => error);
        expect(third).toBeInstanceOf(SignInLockedError);
        expect((third as SignInLockedError).until).toEqual(new Date(clock.getTime() + LIMITS.lockMs));
        clock = new Date(clock.getTime() + 60_000);
        await expect(signIn("user@test.local", "Password123!")).rejects.toBeInstanceOf(SignInLockedError);
        // A lock ends on time: attempts while locked do not extend it.
        clock = new Date(clock.getTime() + LIMITS.lockMs);
        expect(await signIn("user@test.local", "Password123!")).toMatchObject({ email: "user@test.local" });
      });

      it("records every attempt in the login history, with outcome, reason, IP and browser", async () => {
        const { rows } = await h.asAdmin.audit.logins({ email: "user@test.local", page: 1, pageSize: 50 });
        expect(rows.map((row) => [row.outcome, row.reason])).toEqual([
          ["success", null],
          ["locked", "locked_email"],
          ["failure", "wrong_password"],
          ["failure", "wrong_password"],
          ["failure", "wrong_password"],
        ]);
        expect(rows[0]).toMatchObject({ userId: h.user.id, ip: "10.0.0.1", userAgent: "vitest" });
        const failures = await h.asAdmin.audit.logins({ outcome: "failure", page: 1, pageSize: 2 });
        expect(failures.total).toBe(3);
        expect(failures.rows).toHaveLength(2);
      });

      it("counts failures per client IP across emails, and a success does not reset the IP", async () => {
        const ip = "10.9.9.9";
        for (const email of ["a@x.test", "b@x.test", "c@x.test", "d@x.test"]) expect(await signIn(email, "guess", ip)).toBeNull();
        await expect(signIn("e@x.test", "guess", ip)).rejects.toBeInstanceOf(SignInLockedError);
        await expect(signIn("admin@test.local", "Password123!", ip)).rejects.toBeInstanceOf(SignInLockedError);
        expect(await signIn("admin@test.local", "Password123!", "10.0.0.2")).toMatchObject({ id: h.admin.id });
        const unknown = await h.asAdmin.audit.logins({ email: "a@x.test", page: 1, pageSize: 10 });
        expect(unknown.rows[0]).toMatchObject({ outcome: "failure", reason: "unknown_user", userId: null, ip });
        const lockedAdmin = await h.asAdmin.audit.logins({ email: "admin@test.local", outcome: "locked", page: 1, pageSize: 10 });
        expect(lockedAdmin.rows[0]?.reason).toBe("locked_ip");
      });

      it("shares the counts between processes (two throttles on one database)", async () => {
        const other = new SignInThrottle(h.services.platformDb, LIMITS, () => clock);
        await throttle().recordFailure("shared@x.test", null);
        await other.recordFailure("shared@x.test", null);
        expect(await throttle().recordFailure("shared@x.test", null)).toMatchObject({ scope: "email" });
        expect(await other.activeLock("shared@x.test", null)).toMatchObject({ scope: "email" });
      });

      it("logs malformed credentials as invalid input, never throwing", async () => {
        expect(await signIn("not an email", "x")).toBeNull();
        const { rows } = await h.asAdmin.audit.logins({ email: "not an email", page: 1, pageSize: 1 });
        expect(rows[0]).toMatchObject({ outcome: "failure", reason: "invalid_input" });
      });

      it("filters by date range and refuses a range that ends before it starts, naming 'to'", async () => {
        const today = new Date().toISOString().slice(0, 10);
        expect((await h.asAdmin.audit.logins({ from: today, to: today, page: 1, pageSize: 1 })).total).toBeGreaterThan(5);
        expect((await h.asAdmin.audit.logins({ to: "2000-01-01", page: 1, pageSize: 1 })).total).toBe(0);
        const error = await refused(h.asAdmin.audit.logins({ from: "2026-02-01", to: "2026-01-01", page: 1, pageSize: 1 }), "BAD_REQUEST");
        expect((error.cause as unknown as { issues: { path: unknown[] }[] }).issues[0]?.path).toEqual(["to"]);
        await refused(h.asAdmin.audit.logins({ from: "yesterday", page: 1, pageSize: 1 }), "BAD_REQUEST");
      });

      it("lets only admins read the logs", async () => {
        await refused(h.asUser.audit.logins({ page: 1, pageSize: 1 }), "FORBIDDEN");
        await refused(h.asUser.audit.apiCalls({ page: 1, pageSize: 1 }), "FORBIDDEN");
        await refused(h.anonymous.audit.logins({ page: 1, pageSize: 1 }), "UNAUTHORIZED");
        await refused(h.asUser.apiKeys.owners(), "FORBIDDEN");
      });

      it("exports the filtered login history as CSV, and refuses a bad filter with the field named", async () => {
        const csv = await exportAuditLog(h.services.platformDb, "logins.csv", new URLSearchParams({ email: "user@test.local", outcome: "locked" }));
        expect(csv.headers.get("content-type")).toContain("text/csv");
        const lines = (await csv.text()).trim().split("\r\n");
        expect(lines[0]).toBe("time,email,user_id,outcome,reason,ip,user_agent");
        expect(lines.slice(1)).toHaveLength(1);
        expect(lines[1]).toContain("locked_email");
        const bad = await exportAuditLog(h.services.platformDb, "logins.csv", new URLSearchParams({ outcome: "maybe" }));
        expect(bad.status).toBe(400);
        expect((await bad.json()).error.issues[0].path).toEqual(["outcome"]);
        expect((await exportAuditLog(h.services.platformDb, "secrets.csv", new URLSearchParams())).status).toBe(404);
      });
    });

    describe("API keys and the REST API", () => {
      let userKey: string;
      let userKeyId: string;
      const call = <P>(handler: RestHandler<P>, params: P, path: string, init: RequestInit & { key?: string } = {}) => {
        const headers = new Headers(init.headers);
        if (init.key) headers.set("authorization", `Bearer ${init.key}`);
        return serveRest(h.services, handler, new Request(`http://localhost${path}`, { ...init, headers }), params);
      };

      it("lets a user create keys for themselves only, and shows the secret once", async () => {
        const { key, apiKey } = await h.asUser.apiKeys.create({ name: "Script" });
        expect(key).toMatch(/^osk_[A-Za-z0-9_-]{43}$/);
        expect(key.startsWith(apiKey.prefix)).toBe(true);
        expect(JSON.stringify(await h.asUser.apiKeys.list({}))).not.toContain(key);
        const stored = await h.services.platformDb.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
        expect(stored.hash).not.toContain(key.slice(4));
        userKey = key;
        userKeyId = apiKey.id;
        const error = await refused(h.asUser.apiKeys.create({ name: "Theirs", userId: h.admin.id }), "FORBIDDEN");
        expect(error.message).toContain("admins");
        await refused(h.asUser.apiKeys.create({ name: "  " }), "BAD_REQUEST");
      });

      it("lets an admin create a key for another user and see every key; a user sees only theirs", async () => {
        const { apiKey } = await h.asAdmin.apiKeys.create({ name: "For user", userId: h.user.id });
        expect(apiKey.user.email).toBe("user@test.local");
        await h.asAdmin.apiKeys.create({ name: "Admin's own" });
        expect((await h.asAdmin.apiKeys.list({})).map((key) => key.name).sort()).toEqual(["Admin's own", "For user", "Script"]);
        expect((await h.asUser.apiKeys.list({})).map((key) => key.name).sort()).toEqual(["For user", "Script"]);
        const adminKey = (await h.asAdmin.apiKeys.list({})).find((key) => key.name === "Admin's own")!;
        await refused(h.asUser.apiKeys.revoke({ id: adminKey.id }), "NOT_FOUND");
      });

      it("serves records as the key's user through the data router", async () => {
        const created = await call(recordsApi.create, { object: "ticket" }, "/api/v1/objects/ticket/records", {
          method: "POST", key: userKey, body: JSON.stringify({ subject: "Printer on fire", points: 3 }),
        });
        expect(created.status).toBe(201);
        const record = await created.json();
        expect(record).toMatchObject({ subject: "Printer on fire", points: 3, created_by: h.user.id });
        await h.asAdmin.data.create({ object: "ticket", values: { subject: "Coffee machine", points: 1 } });

        const list = await call(recordsApi.list, { object: "ticket" }, "/api/v1/objects/ticket/records?sort=-points&limit=1&select=subject,points&total=true", { key: userKey });
        expect(list.status).toBe(200);
        const page = await list.json();
        expect(page).toMatchObject({ total: 2, records: [{ subject: "Printer on fire", points: 3 }] });
        expect(page.nextCursor).toBeTruthy();
        const next = await call(recordsApi.list, { object: "ticket" }, `/api/v1/objects/ticket/records?sort=-points&limit=1&cursor=${encodeURIComponent(page.nextCursor)}`, { key: userKey });
        expect((await next.json()).records[0].subject).toBe("Coffee machine");
        const filtered = await call(recordsApi.list, { object: "ticket" }, `/api/v1/objects/ticket/records?filter=${encodeURIComponent(JSON.stringify({ field: "points", operator: ">", value: 2 }))}`, { key: userKey });
        expect((await filtered.json()).records).toHaveLength(1);

        const got = await call(recordsApi.get, { object: "ticket", id: record.id }, `/api/v1/objects/ticket/records/${record.id}`, { key: userKey });
        expect((await got.json()).subject).toBe("Printer on fire");
        const patched = await call(recordsApi.update, { object: "ticket", id: record.id }, `/api/v1/objects/ticket/records/${record.id}`, {
          method: "PATCH", key: userKey, body: JSON.stringify({ points: 5 }),
        });
        expect(patched.status).toBe(200);
        expect((await patched.json()).points).toBe(5);
        const stale = await call(recordsApi.update, { object: "ticket", id: record.id }, `/api/v1/objects/ticket/records/${record.id}`, {
          method: "PATCH", key: userKey, body: JSON.stringify({ points: 6 }), headers: { "if-unmodified-since": record.updated_at },
        });
        expect(stale.status).toBe(409);
        const query = await call(recordsApi.query, {}, "/api/v1/query", {
          method: "POST", key: userKey, body: JSON.stringify({ object: "ticket", aggregate: [{ function: "sum", field: "points", alias: "total" }] }),
        });
        expect((await query.json()).rows).toEqual([{ total: 6 }]);
        const removed = await call(recordsApi.remove, { object: "ticket", id: record.id }, `/api/v1/objects/ticket/records/${record.id}`, { method: "DELETE", key: userKey });
        expect(await removed.json()).toEqual({ id: record.id });
        const gone = await call(recordsApi.get, { object: "ticket", id: record.id }, `/api/v1/objects/ticket/records/${record.id}`, { key: userKey });
        expect(gone.status).toBe(404);
      });

      it("answers bad input with 400 and the field path, never a 500", async () => {
        const cases: [Promise<Response>, (string | number)[]][] = [
          [call(recordsApi.list, { object: "ticket" }, "/api/v1/objects/ticket/records?filter=%7Bnope", { key: userKey }), ["filter"]],
          [call(recordsApi.list, { object: "ticket" }, "/api/v1/objects/ticket/records?limit=lots", { key: userKey }), ["limit"]],
          [call(recordsApi.list, { object: "ticket" }, "/api/v1/objects/ticket/records?limit=5000", { key: userKey }), ["limit"]],
          [call(recordsApi.list, { object: "ticket" }, "/api/v1/objects/ticket/records?colour=red", { key: userKey }), ["colour"]],
          [call(recordsApi.list, { object: "ticket; drop table x" }, "/api/v1/objects/x/records", { key: userKey }), ["object"]],
          [call(recordsApi.create, { object: "ticket" }, "/api/v1/objects/ticket/records", { method: "POST", key: userKey, body: "{not json" }), ["body"]],
          [call(recordsApi.create, { object: "ticket" }, "/api/v1/objects/ticket/records", { method: "POST", key: userKey, body: "[1]" }), ["body"]],
          [call(recordsApi.create, { object: "ticket" }, "/api/v1/objects/ticket/records", { method: "POST", key: userKey, body: JSON.stringify({ points: "many" }) }), ["points"]],
          [call(recordsApi.query, {}, "/api/v1/query", { method: "POST", key: userKey, body: JSON.stringify({ object: "ticket", filter: { field: "nope", operator: "=", value: 1 } }) }), ["filter", "field"]],
        ];
        for (const [pending, path] of cases) {
          const response = await pending;
          const body = await response.json();
          expect(response.status, JSON.stringify(body)).toBe(400);
          expect(body.error.code).toBe("BAD_REQUEST");
          expect(body.error.issues.map((issue: { path: unknown }) => JSON.stringify(issue.path)), JSON.stringify(body)).toContainEqual(expect.stringContaining(JSON.stringify(path).slice(0, -1)));
        }
        const missing = await call(recordsApi.list, { object: "nothing_here" }, "/api/v1/objects/nothing_here/records", { key: userKey });
        expect(missing.status).toBe(404);
        const nowhere = await call(recordsApi.notFound, { path: ["records"] }, "/api/v1/records", { key: userKey });
        expect(nowhere.status).toBe(404);
        expect((await nowhere.json()).error.message).toContain("No API route GET /api/v1/records");
      });

      it("refuses missing, unknown and revoked keys with 401", async () => {
        const none = await call(recordsApi.list, { object: "ticket" }, "/api/v1/objects/ticket/records");
        expect(none.status).toBe(401);
        expect(none.headers.get("www-authenticate")).toContain("Bearer");
        expect((await none.json()).error.message).toContain("Authorization: Bearer");
        expect((await call(recordsApi.list, { object: "ticket" }, "/x", { key: "osk_guess" })).status).toBe(401);
        await h.asUser.apiKeys.revoke({ id: userKeyId });
        const revoked = await call(recordsApi.list, { object: "ticket" }, "/api/v1/objects/ticket/records", { key: userKey });
        expect(revoked.status).toBe(401);
        expect((await revoked.json()).error.message).toContain("revoked");
      });

      it("stops a deactivated user's keys at once", async () => {
        const { key } = await h.asAdmin.apiKeys.create({ name: "Temp", userId: h.user.id });
        await h.services.platformDb.user.update({ where: { id: h.user.id }, data: { active: false } });
        try {
          expect((await call(recordsApi.list, { object: "ticket" }, "/api/v1/objects/ticket/records", { key })).status).toBe(401);
        } finally {
          await h.services.platformDb.user.update({ where: { id: h.user.id }, data: { active: true } });
        }
      });

      it("logs every call for admins: key, user, method, path, status, duration", async () => {
        const all = await h.asAdmin.audit.apiCalls({ page: 1, pageSize: 200 });
        expect(all.total).toBeGreaterThan(15);
        const created = all.rows.find((row) => row.method === "POST" && row.status === 201)!;
        expect(created).toMatchObject({ path: "/api/v1/objects/ticket/records", userEmail: "user@test.local", keyName: "Script", userId: h.user.id });
        expect(created.keyPrefix).toBe(userKey.slice(0, created.keyPrefix!.length));
        expect(created.durationMs).toBeGreaterThanOrEqual(0);
        const refusedCalls = await h.asAdmin.audit.apiCalls({ status: "4xx", user: "user@test", page: 1, pageSize: 200 });
        expect(refusedCalls.rows.every((row) => row.status >= 400 && row.status < 500 && row.userEmail === "user@test.local")).toBe(true);
        expect(refusedCalls.rows.some((row) => row.status === 409)).toBe(true);
        const anonymous = await h.asAdmin.audit.apiCalls({ status: "4xx", page: 1, pageSize: 200 });
        expect(anonymous.rows.some((row) => row.status === 401 && row.userId === null)).toBe(true);
        // A refused key's call still names the key and its owner.
        expect(anonymous.rows.some((row) => row.status === 401 && row.keyName === "Script" && row.userEmail === "user@test.local")).toBe(true);
        const csv = await exportAuditLog(h.services.platformDb, "api-calls.csv", new URLSearchParams({ path: "/api/v1/query", status: "2xx" }));
        const [header, line] = (await csv.text()).split("\r\n");
        expect(header).toBe("time,user,key_name,key_prefix,method,path,status,duration_ms,ip");
        expect(line).toContain("user@test.local,Script,osk_");
        expect(line, line).toContain("POST,/api/v1/query,200,");
      });
    });
  });
}
