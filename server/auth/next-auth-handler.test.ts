import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { NextAuthOptions } from "next-auth";
import type { Services } from "@/server/services";

/**
 * next-auth's own routes, driven through its request handler with our options, on a real
 * SQLite database, in a server started on port 4317 without NEXTAUTH_URL: the URLs it answers
 * with, sign-in and sign-out (session rows, callbackUrl kept on our origin), and its log lines.
 */
const PORT = "4317";
const ORIGIN = `http://localhost:${PORT}`;
const dir = mkdtempSync(join(tmpdir(), "objectstudio-nextauth-"));
const saved = { ...process.env };

let authOptions: NextAuthOptions;
let NextAuth: (req: unknown, res: unknown, options: NextAuthOptions) => Promise<unknown>;
let services: Services;
let encodeToken: (token: Record<string, unknown>) => Promise<string>;
let userId: string;
const errorLines: string[] = [];

type Answer = { status: number; headers: Record<string, string | string[]>; body: unknown; cookies: Record<string, string> };

/** One request to /api/auth/<action> as next-auth's API handler sees it; Set-Cookie parsed into `cookies`. */
async function request(action: string[], init: { method?: string; cookies?: Record<string, string>; body?: Record<string, string>; query?: Record<string, string> } = {}): Promise<Answer> {
  const answer: Answer = { status: 200, headers: {}, body: undefined, cookies: {} };
  const res = {
    status(code: number) { answer.status = code; return res; },
    getHeader: (name: string) => answer.headers[name.toLowerCase()],
    setHeader(name: string, value: string | string[]) { answer.headers[name.toLowerCase()] = value; },
    json(body: unknown) { answer.body = body; },
    send(body: unknown) { answer.body = body; },
    end() {},
  };
  await NextAuth({
    method: init.method ?? "GET",
    query: { nextauth: action, ...init.query },
    body: init.body ?? {},
    cookies: init.cookies ?? {},
    headers: { host: `127.0.0.1:${PORT}`, "user-agent": "vitest" },
  }, res, authOptions);
  for (const header of [answer.headers["set-cookie"] ?? []].flat()) {
    const [pair] = header.split(";");
    const at = pair!.indexOf("=");
    answer.cookies[pair!.slice(0, at)] = decodeURIComponent(pair!.slice(at + 1));
  }
  return answer;
}

/** A CSRF token and its cookie, as the browser gets them before any POST. */
async function csrf() {
  const answer = await request(["csrf"]);
  return { token: (answer.body as { csrfToken: string }).csrfToken, cookies: answer.cookies };
}

beforeAll(async () => {
  process.env.DATABASE_URL = `file:${join(dir, "auth.db")}`;
  process.env.NEXTAUTH_SECRET = "next-auth-handler-test-secret-0123456789";
  process.env.PORT = PORT;
  delete process.env.NEXTAUTH_URL;
  vi.resetModules();
  ({ authOptions } = await import("./options"));
  NextAuth = (await import("next-auth")).default as never;
  const { getServices } = await import("@/server/services");
  const { hashPassword } = await import("./password");
  const { encode } = await import("next-auth/jwt");
  encodeToken = (token) => encode({ token, secret: process.env.NEXTAUTH_SECRET! });
  services = await getServices();
  userId = (await services.platformDb.user.create({ data: { email: "user@test.local", passwordHash: await hashPassword("Password123!") } })).id;
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void errorLines.push(args.map(String).join(" ")));
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  await services?.close();
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  errorLines.length = 0;
});

describe("next-auth with our options", () => {
  it("answers with URLs on the server's own port when NEXTAUTH_URL is unset (not localhost:3000)", async () => {
    expect(process.env.NEXTAUTH_URL).toBe(ORIGIN);
    const providers = await request(["providers"]);
    expect(providers.body).toMatchObject({ credentials: { signinUrl: `${ORIGIN}/api/auth/signin/credentials`, callbackUrl: `${ORIGIN}/api/auth/callback/credentials` } });
    expect(JSON.stringify(providers.body)).not.toContain(":3000");
  });

  it("signs in to a new session row, and sends a hostile callbackUrl home", async () => {
    const { token, cookies } = await csrf();
    const before = await services.platformDb.session.count();
    const answer = await request(["callback", "credentials"], {
      method: "POST",
      cookies,
      body: { csrfToken: token, email: "user@test.local", password: "Password123!", callbackUrl: "/\\evil.example", json: "true" },
    });
    expect(answer.body).toEqual({ url: `${ORIGIN}/` });
    expect(answer.cookies["next-auth.callback-url"]).toBe(`${ORIGIN}/`);
    const sessionCookie = answer.cookies["next-auth.session-token"];
    expect(sessionCookie).toBeTruthy();
    expect(await services.platformDb.session.count()).toBe(before + 1);
    const { decode } = await import("next-auth/jwt");
    const claims = await decode({ token: sessionCookie, secret: process.env.NEXTAUTH_SECRET! });
    // Only the ids: nothing else about the user rides in the cookie.
    expect(Object.keys(claims!).sort()).toEqual(["exp", "iat", "jti", "sid", "sub"]);
    expect(await services.platformDb.session.findUnique({ where: { id: claims!.sid as string } })).toMatchObject({ userId });
  });

  it("signs out: the session row is deleted, so a copy of the cookie is dead; callbackUrl stays on our origin", async () => {
    for (const [callbackUrl, expected] of [["/signin", `${ORIGIN}/signin`], ["/\\evil.example", `${ORIGIN}/`], ["https://evil.example/x", `${ORIGIN}/`], ["java\nscript:alert(1)", `${ORIGIN}/`]] as const) {
      const session = await services.platformDb.session.create({ data: { userId, expires: new Date(Date.now() + 3_600_000) } });
      const cookie = await encodeToken({ sub: userId, sid: session.id });
      const { token, cookies } = await csrf();
      const answer = await request(["signout"], {
        method: "POST",
        cookies: { ...cookies, "next-auth.session-token": cookie },
        body: { csrfToken: token, callbackUrl },
      });
      expect(answer.status).toBe(302);
      expect(answer.headers.location).toBe(expected);
      expect(await services.platformDb.session.count({ where: { id: session.id } })).toBe(0);
      const after = await request(["session"], { cookies: { "next-auth.session-token": cookie } });
      expect(after.body).toEqual({});
    }
  });

  it("answers a tampered session cookie signed out, with one log line and no stack", async () => {
    const session = await services.platformDb.session.create({ data: { userId, expires: new Date(Date.now() + 3_600_000) } });
    const cookie = await encodeToken({ sub: userId, sid: session.id });
    const alive = await request(["session"], { cookies: { "next-auth.session-token": cookie } });
    expect(alive.body).toMatchObject({ user: { id: userId } });
    expect(errorLines).toEqual([]);

    const tampered = cookie.slice(0, 40) + (cookie[40] === "A" ? "B" : "A") + cookie.slice(41);
    const answer = await request(["session"], { cookies: { "next-auth.session-token": tampered } });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({});
    // The cookie is cleared.
    expect(answer.cookies["next-auth.session-token"]).toBe("");
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/^\[auth\] error JWT_SESSION_ERROR: [^\n]+$/);
  });

  it("answers an ended session signed out on next-auth's own session route too", async () => {
    const session = await services.platformDb.session.create({ data: { userId, expires: new Date(Date.now() + 3_600_000) } });
    const cookie = await encodeToken({ sub: userId, sid: session.id });
    await services.platformDb.session.delete({ where: { id: session.id } });
    const answer = await request(["session"], { cookies: { "next-auth.session-token": cookie } });
    expect(answer.body).toEqual({});
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/^\[auth\] error JWT_SESSION_ERROR: the session was ended/);
  });
});
