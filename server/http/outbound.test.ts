import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addressRefusal, checkedAddress, hostAllowed, OutboundError, outboundRequest, outboundRequestWithRetry, parseAllowHosts, parseOutboundUrl, type OutboundLookup } from "./outbound";

/**
 * The outbound guard against a real HTTP server on 127.0.0.1: refused by default (loopback),
 * allowed when allow-listed; names that resolve to private addresses refused; the connection goes
 * to the checked address; redirects re-checked; size and time capped; retries bounded.
 */

let server: http.Server;
let port = 0;
let hits: Record<string, number> = {};

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const path = request.url ?? "/";
    hits[path] = (hits[path] ?? 0) + 1;
    if (path === "/json") return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true, host: request.headers.host }));
    if (path === "/big") return void response.writeHead(200).end(Buffer.alloc(2 * 1024 * 1024, 97));
    if (path === "/big-chunked") {
      response.writeHead(200);
      for (let i = 0; i < 40; i++) response.write(Buffer.alloc(64 * 1024, 98));
      return void response.end();
    }
    if (path === "/slow") return void setTimeout(() => response.writeHead(200).end("late"), 2000).unref();
    if (path === "/to-localhost") return void response.writeHead(302, { location: `http://localhost:${port}/json` }).end();
    if (path === "/to-private") return void response.writeHead(307, { location: "http://10.1.2.3/secret" }).end();
    if (path === "/to-file") return void response.writeHead(302, { location: "file:///etc/passwd" }).end();
    if (path === "/to-json") return void response.writeHead(303, { location: "/json" }).end();
    if (path === "/loop") return void response.writeHead(302, { location: "/loop" }).end();
    if (path.startsWith("/flaky")) return void (hits[path]! < 3 ? response.writeHead(503).end("busy") : response.writeHead(200).end("ok"));
    if (path === "/echo") {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      return void request.on("end", () => response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ method: request.method, body: Buffer.concat(chunks).toString(), auth: request.headers.authorization ?? null })));
    }
    response.writeHead(404).end("no");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const allowLocal = { allowHosts: ["127.0.0.1"] };
const get = (path: string, timeoutMs = 3000) => ({ method: "GET", url: `http://127.0.0.1:${port}${path}`, timeoutMs });

describe("outbound requests", () => {
  it("refuses the local server by default and reaches it when the host is allow-listed", async () => {
    await expect(outboundRequest(get("/json"), { allowHosts: [] })).rejects.toThrow(/127\.0\.0\.1 are refused: it is a loopback address.*FLOW_HTTP_ALLOW_HOSTS/);
    expect(hits["/json"] ?? 0).toBe(0);
    const response = await outboundRequest(get("/json"), allowLocal);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body.toString())).toEqual({ ok: true, host: `127.0.0.1:${port}` });
  });

  it("refuses names that resolve to private addresses, checking every address", async () => {
    await expect(outboundRequest({ method: "GET", url: `http://localhost:${port}/json`, timeoutMs: 2000 }, { allowHosts: [] })).rejects.toThrow(/'localhost' \((127\.0\.0\.1|::1)\) are refused: it is a loopback address/);
    const lookup: OutboundLookup = async (host) => (host === "mixed.test" ? [{ address: "93.184.216.34", family: 4 }, { address: "192.168.1.10", family: 4 }] : [{ address: "fd00::5", family: 6 }]);
    await expect(checkedAddress(new URL("http://mixed.test/"), { allowHosts: [], lookup })).rejects.toThrow("'mixed.test' (192.168.1.10) are refused: it is a private address");
    await expect(checkedAddress(new URL("http://ula.test/"), { allowHosts: [], lookup })).rejects.toThrow("private (unique local)");
  });

  it("connects to the address it checked, not to a second DNS answer (rebinding)", async () => {
    let calls = 0;
    // The first answer is checked and used; a later one (a private address) is never asked for.
    const lookup: OutboundLookup = async () => (calls++ === 0 ? [{ address: "127.0.0.1", family: 4 }] : [{ address: "10.9.9.9", family: 4 }]);
    const response = await outboundRequest({ method: "GET", url: `http://svc.test:${port}/json`, timeoutMs: 2000 }, { allowHosts: ["svc.test"], lookup });
    expect(JSON.parse(response.body.toString()).host).toBe(`svc.test:${port}`);
    expect(calls).toBe(1);
  });

  it("re-checks every redirect: to loopback by another name, a private address or another scheme are refused", async () => {
    await expect(outboundRequest(get("/to-localhost"), allowLocal)).rejects.toThrow(/redirect to localhost:\d+ refused: calls to 'localhost'/);
    await expect(outboundRequest(get("/to-private"), allowLocal)).rejects.toThrow("redirect to 10.1.2.3 refused: calls to address 10.1.2.3 are refused: it is a private address");
    await expect(outboundRequest(get("/to-file"), allowLocal)).rejects.toThrow("redirect refused: URL scheme 'file' is not allowed");
    await expect(outboundRequest(get("/loop"), { ...allowLocal, maxRedirects: 3 })).rejects.toThrow("more than 3 redirects");
    const followed = await outboundRequest({ ...get("/to-json"), method: "POST", body: "x" }, allowLocal);
    expect(followed).toMatchObject({ status: 200, redirects: 1, url: `http://127.0.0.1:${port}/json` });
  });

  it("caps the response size (declared or streamed) and the time", async () => {
    await expect(outboundRequest(get("/big"), allowLocal)).rejects.toThrow("the response is larger than 1,048,576 bytes");
    await expect(outboundRequest(get("/big-chunked"), { ...allowLocal, maxResponseBytes: 100_000 })).rejects.toThrow("larger than 100,000 bytes");
    const started = Date.now();
    await expect(outboundRequest(get("/slow", 300), allowLocal)).rejects.toThrow("no complete answer within 300 ms");
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("retries 5xx answers with backoff for idempotent methods, and POST only when told", async () => {
    const sleeps: number[] = [];
    const sleep = async (ms: number) => void sleeps.push(ms);
    const response = await outboundRequestWithRetry(get("/flaky-get"), allowLocal, { retries: 3, baseDelayMs: 100, sleep });
    expect(response).toMatchObject({ status: 200, attempts: 3 });
    expect(sleeps).toHaveLength(2);
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeGreaterThanOrEqual(200);
    const post = await outboundRequestWithRetry({ ...get("/flaky-post"), method: "POST", body: "{}" }, allowLocal, { retries: 3, sleep });
    expect(post).toMatchObject({ status: 503, attempts: 1 });
    const allowed = await outboundRequestWithRetry({ ...get("/flaky-post2"), method: "POST", body: "{}" }, allowLocal, { retries: 3, retryNonIdempotent: true, sleep });
    expect(allowed).toMatchObject({ status: 200, attempts: 3 });
    // A refusal is never retried.
    await expect(outboundRequestWithRetry(get("/json"), { allowHosts: [] }, { retries: 3, sleep })).rejects.toThrow("refused");
  });

  it("classifies addresses", () => {
    for (const [address, why] of [
      ["127.0.0.1", "loopback"], ["10.0.0.1", "private"], ["172.31.255.255", "private"], ["192.168.0.1", "private"], ["169.254.169.254", "link-local"],
      ["0.0.0.0", "unspecified"], ["224.0.0.1", "multicast"], ["100.64.0.1", "carrier-grade NAT"], ["255.255.255.255", "reserved"],
      ["::1", "loopback"], ["::", "unspecified"], ["fe80::1", "link-local"], ["fc00::1", "private (unique local)"], ["ff02::1", "multicast"],
      ["::ffff:127.0.0.1", "loopback"], ["::ffff:7f00:1", "loopback"], ["::ffff:10.0.0.1", "private"], ["64:ff9b::a9fe:a9fe", "link-local"],
    ] as const) expect(addressRefusal(address), address).toBe(why);
    for (const address of ["93.184.216.34", "172.32.0.1", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]) expect(addressRefusal(address), address).toBeNull();
    expect(hostAllowed("API.Corp.example", parseAllowHosts("*.corp.example, 127.0.0.1"))).toBe(true);
    expect(hostAllowed("corp.example.evil", parseAllowHosts("*.corp.example"))).toBe(false);
    expect(hostAllowed("[::1]", ["::1"])).toBe(true);
  });

  it("refuses hostile spellings of loopback and other schemes with a clear error", async () => {
    const noDns: OutboundLookup = async () => {
      throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    };
    for (const url of ["http://2130706433/", "http://0x7f.1/", "http://017700000001/", "http://127.1/", "http://[::1]:80/", "http://[::ffff:127.0.0.1]/", "http://0/", "http://[fe80::1]/", "http://169.254.169.254/latest/meta-data/", "https://0177.0.0.1/"]) {
      await expect(checkedAddress(parseOutboundUrl(url), { allowHosts: [], lookup: noDns }), url).rejects.toThrow(/are refused: it is a/);
    }
    expect(() => parseOutboundUrl("http://user:pw@example.com/")).toThrow("user name or password");
    expect(() => parseOutboundUrl("ftp://example.com/")).toThrow("URL scheme 'ftp' is not allowed");
    expect(() => parseOutboundUrl("file:///etc/passwd")).toThrow("URL scheme 'file' is not allowed");
    expect(() => parseOutboundUrl("javascript:alert(1)")).toThrow("URL scheme 'javascript' is not allowed");
    expect(() => parseOutboundUrl("not a url")).toThrow("is not a valid URL");
  });

  it("property: any URL text gives an address that is public, or an OutboundError, never anything else", async () => {
    const noDns: OutboundLookup = async () => {
      throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
    };
    const hostile = fc.oneof(
      fc.string(),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.ipV4().map((ip) => `http://${ip}/`),
      fc.ipV6().map((ip) => `http://[${ip}]/`),
      fc.nat().map((n) => `http://${n}/`),
      fc.tuple(fc.constantFrom("http", "https", "ftp", "file", "gopher", "data", "javascript"), fc.string()).map(([scheme, rest]) => `${scheme}://${rest}`),
      fc.tuple(fc.string(), fc.string(), fc.domain()).map(([user, pass, host]) => `http://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${host}/`),
      fc.array(fc.oneof(fc.nat({ max: 0xffff }).map((n) => `0x${n.toString(16)}`), fc.nat({ max: 0o777 }).map((n) => `0${n.toString(8)}`), fc.nat({ max: 300 }).map(String)), { minLength: 1, maxLength: 4 }).map((parts) => `http://${parts.join(".")}/`),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (raw) => {
        try {
          const { address } = await checkedAddress(parseOutboundUrl(raw), { allowHosts: [], lookup: noDns });
          expect(addressRefusal(address)).toBeNull();
        } catch (error) {
          expect(error).toBeInstanceOf(OutboundError);
          expect((error as Error).message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 500 },
    );
  });
});
