import { expect, test } from "@playwright/test";
import { request as httpRequest } from "node:http";

/**
 * Malformed percent-encoding anywhere in a URL (path or query, any route, any method, signed out)
 * is a 400 with the security headers, JSON under /api and a plain page elsewhere, and never a
 * 500. Sent through node:http so the URL reaches the server exactly as written.
 */

const BAD_ENCODINGS = [
  "%C0", // a lead byte with nothing after it
  "%C0%AF", // overlong "/"
  "%E0%A4", // truncated three-byte sequence
  "%ED%A0%80", // a UTF-16 surrogate in UTF-8
  "%F8%88%80%80%80", // five-byte form
  "%FF",
  "%80", // a lone continuation byte
  "%", // a lone percent sign
  "%zz",
  "%4", // one hex digit
  "abc%E2%82", // cut short after text
];

const PATHS = (bad: string) => [
  `/api/v1/objects/${bad}/records`,
  `/api/v1/objects/account/records/${bad}`,
  `/api/trpc/${bad}`,
  `/api/trpc/data.find,${bad}`,
  `/api/health/${bad}`,
  `/api/auth/${bad}`,
  `/apps/${bad}`,
  `/apps/crm/${bad}`,
  `/studio/objects/${bad}`,
  `/signin/${bad}`,
  `/${bad}`,
];

const QUERIES = (bad: string) => [
  `/api/v1/objects/account/records?filter=${bad}`,
  `/api/v1/objects/account/records?sort=name&search=a${bad}`,
  `/api/trpc/data.find?input=${bad}`,
  `/api/health?x=${bad}`,
  `/apps?x=${bad}`,
  `/signin?callbackUrl=${bad}`,
  `/?${bad}=1`,
];

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

function send(baseURL: string, method: string, path: string): Promise<Answer> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method, path, headers: method === "POST" ? { "content-type": "application/json" } : {} }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(method === "POST" ? "{}" : undefined);
  });
}

function expectRefused(answer: Answer, method: string, path: string, part: "path" | "query") {
  const what = `${method} ${path}`;
  expect(answer.status, `${what}: ${answer.body.slice(0, 200)}`).toBe(400);
  expect(answer.headers["x-content-type-options"], what).toBe("nosniff");
  expect(answer.headers["x-frame-options"], what).toBe("SAMEORIGIN");
  expect(answer.headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(String(answer.headers["content-security-policy"]), what).toContain("default-src 'none'");
  expect(answer.body, what).not.toMatch(/ at |Error:|stack/);
  if (path.startsWith("/api/")) {
    expect(answer.headers["content-type"], what).toMatch(/^application\/json/);
    const body = JSON.parse(answer.body) as { error: { code: string; message: string; issues: { path: string[] }[] } };
    expect(body.error.code).toBe("BAD_REQUEST");
    expect(body.error.message).toContain(part === "path" ? "URL path" : "query string");
    expect(body.error.issues[0]!.path).toEqual(["url"]);
  } else {
    expect(answer.headers["content-type"], what).toMatch(/^text\/html/);
    expect(answer.body).toContain("Bad request");
  }
}

test("malformed percent-encoding in a path is a 400 with the security headers, on every route", async ({ baseURL }) => {
  for (const bad of BAD_ENCODINGS) {
    for (const path of PATHS(bad)) {
      for (const method of ["GET", "POST"]) expectRefused(await send(baseURL!, method, path), method, path, "path");
    }
  }
});

test("malformed percent-encoding in a query string is a 400 too, not silently U+FFFD", async ({ baseURL }) => {
  for (const bad of BAD_ENCODINGS) {
    for (const path of QUERIES(bad)) expectRefused(await send(baseURL!, "GET", path), "GET", path, "query");
  }
});

test("well-formed percent-encoding still reaches the routes", async ({ baseURL }) => {
  expect((await send(baseURL!, "GET", "/api/health?x=%C3%A9%25%2B+a")).status).toBe(200);
  const unknownObject = await send(baseURL!, "GET", "/api/v1/objects/%C3%A9/records");
  expect(unknownObject.status).toBe(401); // reached the REST route, which wants a key first
  expect((await send(baseURL!, "GET", "/apps/%E2%82%AC")).status).not.toBe(400);
  expect((await send(baseURL!, "GET", "/signin?callbackUrl=%2Fapps")).status).toBe(200);
});
