import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { flowSchema } from "@/spec/flow";
import { Harness, systemCtx } from "@/server/objectql/test-support/fixtures";
import { sqliteFactory, type TestDatabase } from "@/server/objectql/test-support/test-databases";
import { flowMetadataIssues } from "../flow-check";
import { startFlowRun } from "../runtime/flow-interpreter";
import { executeDurably } from "../runtime/flow-runner";
import { FlowRunStore } from "../runtime/flow-runs";
import { flowsOver } from "./test-support/flow-over";

/**
 * The http_callout element in a running flow against a local HTTP server: refused unless the
 * host is allow-listed, JSON answers mapped into typed variables, the fault path on refusals and
 * HTTP errors, retries, and a durable run that does not call again when it resumes.
 */

let server: http.Server;
let base = "";
const received: { method: string; url: string; body: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ method: request.method!, url: request.url!, body: Buffer.concat(chunks).toString(), headers: request.headers });
      if (request.url!.startsWith("/quote")) {
        return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: { items: [{ id: "A-1", price: "12.5", active: true, due: "2026-12-24" }] }, total: 3 }));
      }
      if (request.url === "/missing") return void response.writeHead(404).end("not here");
      if (request.url === "/text") return void response.writeHead(200, { "content-type": "text/plain" }).end("plain words");
      response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ echoed: JSON.parse(Buffer.concat(chunks).toString() || "null") }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const calloutFlow = (element: Record<string, unknown>, extraVariables: Record<string, unknown>[] = []) => ({
  name: "call",
  label: "Call",
  start: { type: "autolaunched" as const },
  variables: [
    { name: "code", type: "number" as const },
    { name: "item_id", type: "text" as const },
    { name: "price", type: "number" as const },
    { name: "active", type: "boolean" as const },
    { name: "due", type: "date" as const },
    { name: "raw", type: "text" as const },
    { name: "problem", type: "text" as const },
    { name: "who", type: "text" as const, default: "Ada" },
    ...extraVariables,
  ],
  elements: [
    { id: "call", label: "Call the service", type: "http_callout", ...element },
    { id: "caught", label: "Note the fault", type: "assignment", assignments: [{ target: "problem", value: "fault_message" }] },
  ],
  edges: [{ source: "start", target: "call" }, { source: "call", handle: "fault", target: "caught" }],
});

describe("http_callout element", () => {
  let test: TestDatabase;
  let harness: Harness;
  beforeEach(async () => {
    test = await sqliteFactory.create();
    harness = new Harness(test.db);
    received.length = 0;
  });
  afterEach(() => test.cleanup());

  it("maps a JSON answer into typed variables when the host is allow-listed", async () => {
    const flows = flowsOver(harness, { http: { allowHosts: ["127.0.0.1"] } });
    flows.publish(calloutFlow({
      url: `${base}/quote?for={!who}`, headers: [{ name: "X-Caller", value: "flow {!who}" }], statusInto: "code", bodyInto: "raw",
      mappings: [{ path: "data.items[0].id", into: "item_id" }, { path: "data.items[0].price", into: "price" }, { path: "data.items[0].active", into: "active" }, { path: "data.items[0].due", into: "due" }],
    }));
    const { state, steps, variables } = await flows.run("call");
    expect(state.status).toBe("finished");
    expect(variables).toMatchObject({ code: 200, item_id: "A-1", price: 12.5, active: true, due: "2026-12-24", problem: null });
    expect(JSON.parse(variables.raw as string).total).toBe(3);
    expect(received[0]).toMatchObject({ method: "GET", url: "/quote?for=Ada" });
    expect(received[0]!.headers["x-caller"]).toBe("flow Ada");
    expect(steps[0]).toMatchObject({ element: "call", handle: "next", inputs: { method: "GET", url: `${base}/quote?for=Ada` }, outputs: { status: 200, attempts: 1 } });
  });

  it("sends a JSON template with merge fields filled in as JSON values", async () => {
    const flows = flowsOver(harness, { http: { allowHosts: ["127.0.0.1"] } });
    flows.publish(calloutFlow({ method: "POST", url: `${base}/echo`, bodyType: "json", body: '{"name": {!who}, "n": {!1 + 2}, "quote": {!\'say "hi"\'}}', bodyInto: "raw", statusInto: "code" }));
    const { variables } = await flows.run("call");
    expect(variables.code).toBe(201);
    expect(JSON.parse(variables.raw as string)).toEqual({ echoed: { name: "Ada", n: 3, quote: 'say "hi"' } });
    expect(received[0]!.headers["content-type"]).toBe("application/json");
  });

  it("takes the fault path, with the reason, when the host is not allow-listed, on HTTP errors and on values that do not fit", async () => {
    const refused = flowsOver(harness);
    refused.publish(calloutFlow({ url: `${base}/quote` }));
    const first = await refused.run("call");
    expect(first.state.status).toBe("finished");
    expect(first.variables.problem).toMatch(/calls to address 127\.0\.0\.1 are refused: it is a loopback address/);
    expect(first.steps[0]).toMatchObject({ handle: "fault" });
    expect(received).toHaveLength(0);

    const flows = flowsOver(harness, { http: { allowHosts: ["127.0.0.1"] } });
    flows.publish(calloutFlow({ url: `${base}/missing` }));
    expect((await flows.run("call")).variables.problem).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/missing answered HTTP 404: not here/);

    flows.publish(calloutFlow({ url: `${base}/missing`, failOnHttpError: false, statusInto: "code" }));
    expect((await flows.run("call")).variables).toMatchObject({ code: 404, problem: null });

    flows.publish(calloutFlow({ url: `${base}/quote`, mappings: [{ path: "data.items[0].id", into: "price" }] }));
    expect((await flows.run("call")).variables.problem).toBe("mappings.0 (data.items[0].id): the value for 'price' must be a finite number (got \"A-1\")");

    flows.publish(calloutFlow({ url: `${base}/text`, mappings: [{ path: "total", into: "price" }] }));
    expect((await flows.run("call")).variables.problem).toMatch(/mappings: the response of .* is not JSON/);

    flows.publish(calloutFlow({ url: "{!who}" }));
    expect((await flows.run("call")).variables.problem).toBe("'Ada' is not a valid URL (it must start with http:// or https://)");
  });

  it("is refused at publish when its properties do not fit, each issue naming the element and property", () => {
    const def = flowSchema.parse(calloutFlow({ url: "ftp://example.com/", bodyType: "json", body: '{"a": "{!who}"}', statusInto: "due", bodyInto: "nope", mappings: [{ path: "a", into: "missing" }], headers: [{ name: "X", value: "{!nope}" }] }));
    const issues = flowMetadataIssues(def, () => undefined, () => undefined);
    expect(issues.map((issue) => issue.path.join("."))).toEqual(expect.arrayContaining(["elements.0.url", "elements.0.body", "elements.0.statusInto", "elements.0.bodyInto", "elements.0.mappings.0.into", "elements.0.headers.0.value"]));
    expect(issues.find((issue) => issue.path.join(".") === "elements.0.url")!.message).toBe("Element 'call' (Call the service): URL scheme 'ftp' is not allowed (only http and https)");
    expect(issues.find((issue) => issue.path.join(".") === "elements.0.body")!.message).toMatch(/a merge field is inside a JSON string/);
    expect(issues.find((issue) => issue.path.join(".") === "elements.0.statusInto")!.message).toBe("Element 'call' (Call the service): status code: 'due' is a date variable; it must be number or text");
    // A header the platform sets itself is refused by the schema.
    const reserved = flowSchema.safeParse(calloutFlow({ url: base, headers: [{ name: "Host", value: "x" }] }));
    expect(reserved.success).toBe(false);
    expect(reserved.error!.issues[0]).toMatchObject({ path: ["elements", 0, "headers", 0, "name"], message: "is set by the platform" });
  });

  it("property: hostile URL and header input is refused by the schema or the publish check or faults at run time, never crashes", async () => {
    const flows = flowsOver(harness, { http: { allowHosts: [], lookup: async () => { throw Object.assign(new Error("no dns"), { code: "ENOTFOUND" }); } } });
    const text = fc.oneof(fc.string(), fc.constantFrom("http://2130706433/", "http://0x7f.1/", "http://[::1]/", "http://a:b@c/", "javascript:x", "http://{!who}/", "{!", "http://x/\r\nHost: y"));
    await fc.assert(
      fc.asyncProperty(text, fc.string(), text, async (url, headerName, headerValue) => {
        const parsed = flowSchema.safeParse(calloutFlow({ url, headers: [{ name: headerName, value: headerValue }], timeoutMs: 500, retries: 0 }));
        if (!parsed.success) {
          for (const issue of parsed.error.issues) expect(issue.path.length).toBeGreaterThan(0);
          return;
        }
        const issues = flowMetadataIssues(parsed.data, () => undefined, () => undefined);
        if (issues.length > 0) return;
        flows.publish(parsed.data);
        // Whatever it was given, the run ends: through the element, or its fault path with a message.
        const { state, steps } = await flows.run("call");
        expect(state.status).toBe("finished");
        if (steps[0]!.handle === "fault") expect(steps[0]!.error!.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
  });

  it("a resumed durable run does not call again once the callout was saved", async () => {
    const flows = flowsOver(harness, { http: { allowHosts: ["127.0.0.1"] } });
    const def = flows.publish({
      ...calloutFlow({ method: "POST", url: `${base}/echo`, bodyType: "json", body: '{"n": 1}', statusInto: "code" }),
      elements: [
        { id: "call", label: "Call the service", type: "http_callout", method: "POST", url: `${base}/echo`, bodyType: "json", body: '{"n": 1}', statusInto: "code", idempotencyKey: true },
        { id: "after", label: "After", type: "assignment", assignments: [{ target: "who", value: "'done'" }] },
      ],
      edges: [{ source: "start", target: "call" }, { source: "call", target: "after" }],
    });
    const store = new FlowRunStore(test.db);
    await store.ready();
    const state = startFlowRun({ def, version: 1 }, systemCtx);
    const runId = await store.create({ flow: "call", version: 1, trigger: "autolaunched", startedBy: null, state });
    // The process "dies" right after the callout's step was saved.
    await expect(executeDurably(runId, state, flows.env, flows.versions, store, { onStep: (step) => { if (step.element === "call") throw new Error("killed"); } })).rejects.toThrow("killed");
    expect(received).toHaveLength(1);
    // The key a service can use to do the work once, were the call repeated.
    expect(received[0]!.headers["idempotency-key"]).toBe(`${runId}:0`);
    const saved = (await store.get(runId))!;
    expect(saved.run).toMatchObject({ status: "running", steps: 1 });
    const resumed = await executeDurably(runId, saved.state, flows.env, flows.versions, store);
    expect(resumed.status).toBe("finished");
    expect(resumed.frames[0]!.variables).toMatchObject({ code: 201, who: "done" });
    expect(received).toHaveLength(1);
    expect((await store.steps(runId)).map((step) => step.element)).toEqual(["call", "after"]);
  });
});
