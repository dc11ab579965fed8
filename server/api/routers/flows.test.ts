import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FlowInput, ObjectInput } from "@/spec";
import { refused } from "@/test/trpc-assertions";
import { createHarness, sqliteTestDatabase, type Harness } from "@/test/services-harness";
import { flowsApi } from "@/server/api/rest/flows-api";
import { serveRest } from "@/server/api/rest/rest-route";

/**
 * Flows through the API, on the real services: publishing checks (each refusal names the
 * element and property), draft flows never fire, a flow started by a user reads and writes only
 * what that user may, system-context flows and run history are for admins, and hostile inputs
 * are refused with the input's name.
 */

const deal: ObjectInput = {
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "name", label: "Name", type: "text", required: true },
    { id: "d2", name: "amount", label: "Amount", type: "number" },
    { id: "d3", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }] },
  ],
};
const note: ObjectInput = {
  name: "note",
  label: "Note",
  pluralLabel: "Notes",
  fields: [
    { id: "n1", name: "body", label: "Body", type: "text", required: true },
    { id: "n2", name: "deal", label: "Deal", type: "lookup", reference: "deal" },
  ],
};

/** Totals the deals its caller can see above a minimum. */
const totalDeals: FlowInput = {
  name: "total_deals",
  label: "Total deals",
  start: { type: "autolaunched" },
  variables: [
    { name: "minimum", type: "number", input: true, default: 0 },
    { name: "deals", type: "records", object: "deal" },
    { name: "one", type: "record", object: "deal" },
    { name: "total", type: "number", output: true, default: 0 },
    { name: "seen", type: "number", output: true, default: 0 },
  ],
  elements: [
    { id: "get", label: "Get deals", type: "get_records", object: "deal", filter: { field: "amount", operator: ">=", value: "{!minimum}" }, into: "deals" },
    { id: "each", label: "Each deal", type: "loop", collection: "deals", item: "one" },
    { id: "add", label: "Add", type: "assignment", assignments: [{ target: "total", operator: "add", value: "one.amount" }, { target: "seen", operator: "add", value: "1" }] },
  ],
  edges: [
    { source: "start", target: "get" },
    { source: "get", target: "each" },
    { source: "each", handle: "each", target: "add" },
    { source: "add", target: "each" },
  ],
};

/** After save: a won deal gets a note. */
const noteWon: FlowInput = {
  name: "note_won",
  label: "Note won deals",
  start: { type: "record", object: "deal", when: "after_save", on: "create_or_update", condition: "record.stage = 'won'" },
  elements: [{ id: "note", label: "Write a note", type: "create_record", object: "note", values: [{ field: "body", value: "'Won: ' & record.name" }, { field: "deal", value: "record" }] }],
  edges: [{ source: "start", target: "note" }],
};

describe("flows through the API", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness(sqliteTestDatabase());
    for (const body of [deal, note]) {
      await h.asAdmin.metadata.create({ kind: "object", body });
      await h.asAdmin.metadata.publish({ kind: "object", name: body.name });
    }
    await h.asAdmin.metadata.create({
      kind: "security",
      body: {
        profiles: [{ name: "standard", label: "Standard", objects: { deal: { read: true, edit: true, create: true }, note: { read: true, create: true, edit: true } } }],
        defaultProfile: "standard",
        orgWideDefaults: { deal: "private", note: "private" },
      },
    });
    await h.asAdmin.metadata.publish({ kind: "security", name: "org" });
    await h.services.security.ensureFresh(true);
    await h.asAdmin.data.create({ object: "deal", values: { name: "Admin big", amount: 1000 } });
    await h.asUser.data.create({ object: "deal", values: { name: "User small", amount: 10 } });
    await h.asUser.data.create({ object: "deal", values: { name: "User mid", amount: 100 } });
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });

  it("refuses to publish a broken flow, naming the element and the property", async () => {
    await h.asAdmin.metadata.create({
      kind: "flow",
      body: {
        ...totalDeals,
        name: "broken",
        elements: [
          { id: "get", label: "Get deals", type: "get_records", object: "deal", filter: { field: "amont", operator: "=", value: 1 }, into: "deals" },
          { id: "add", label: "Add", type: "assignment", assignments: [{ target: "total", operator: "add", value: "one.amount & 'x'" }] },
          { id: "lost", label: "Lost", type: "assignment", assignments: [{ target: "nothing", value: "1" }] },
        ],
        edges: [{ source: "start", target: "get" }, { source: "get", target: "add" }, { source: "add", target: "gone" }],
      },
    });
    const error = await refused(h.asAdmin.metadata.publish({ kind: "flow", name: "broken" }), "BAD_REQUEST");
    const issues = (error.cause as unknown as { issues: { path: string[]; message: string }[] }).issues;
    const byPath = Object.fromEntries(issues.map((issue) => [issue.path.join("."), issue.message]));
    expect(byPath["elements.0.filter.field"]).toMatch(/^Element 'get' \(Get deals\): 'deal' has no field 'amont'/);
    expect(byPath["elements.1.assignments.0.value"]).toMatch(/^Element 'add' \(Add\): value for 'total': .*needs text/);
    expect(byPath["elements.2.assignments.0.target"]).toMatch(/there is no variable 'nothing'/);
    expect(byPath["elements.2"]).toMatch(/cannot be reached from the start/);
    expect(byPath["edges.2.target"]).toMatch(/leads to 'gone', which does not exist/);
  });

  it("a user's run sees only the records that user may read; an admin's sees all", async () => {
    await h.asAdmin.metadata.create({ kind: "flow", body: totalDeals });
    await h.asAdmin.metadata.publish({ kind: "flow", name: "total_deals" });
    const mine = await h.asUser.flows.run({ flow: "total_deals", inputs: { minimum: 0 } });
    expect(mine).toMatchObject({ status: "finished", outputs: { total: 110, seen: 2 }, error: null });
    const all = await h.asAdmin.flows.run({ flow: "total_deals", inputs: { minimum: 50 } });
    expect(all.outputs).toEqual({ total: 1100, seen: 2 });
    // The run and its step log are kept, for admins.
    const detail = await h.asAdmin.flows.runDetail({ id: mine.runId });
    expect(detail.run).toMatchObject({ flow: "total_deals", trigger: "autolaunched", startedBy: h.user.id, status: "finished" });
    expect(detail.steps.map((step) => step.element)).toEqual(["get", "each", "add", "each", "add", "each"]);
    await refused(h.asUser.flows.runDetail({ id: mine.runId }), "FORBIDDEN");
    await refused(h.asUser.flows.runs({}), "FORBIDDEN");
  });

  it("only admins start a system-context flow, or read and change flows", async () => {
    await h.asAdmin.metadata.create({ kind: "flow", body: { ...totalDeals, name: "total_all", runAs: "system" } });
    await h.asAdmin.metadata.publish({ kind: "flow", name: "total_all" });
    await refused(h.asUser.flows.run({ flow: "total_all" }), "FORBIDDEN");
    expect((await h.asAdmin.flows.run({ flow: "total_all" })).outputs).toEqual({ total: 1110, seen: 3 });
    await refused(h.asUser.metadata.list({ kind: "flow" }), "FORBIDDEN");
    await refused(h.asUser.metadata.create({ kind: "flow", body: { ...totalDeals, name: "mine" } }), "FORBIDDEN");
    await refused(h.asUser.flows.run({ flow: "nope" }), "NOT_FOUND");
  });

  it("refuses bad inputs naming the input: unknown names, wrong types, records the caller may not read", async () => {
    const unknown = await refused(h.asUser.flows.run({ flow: "total_deals", inputs: { minimun: 1 } }), "BAD_REQUEST");
    expect(unknown.message).toMatch(/inputs\.minimun is not an input of flow 'total_deals' \(its inputs: minimum\)/);
    const wrong = await refused(h.asUser.flows.run({ flow: "total_deals", inputs: { minimum: "lots" } }), "BAD_REQUEST");
    expect(wrong.message).toMatch(/inputs\.minimum must be a finite number/);

    await h.asAdmin.metadata.create({
      kind: "flow",
      body: {
        name: "rename_deal", label: "Rename a deal", start: { type: "autolaunched" },
        variables: [{ name: "target", type: "record", object: "deal", input: true }],
        elements: [{ id: "rename", label: "Rename", type: "update_records", record: "target", values: [{ field: "name", value: "target.name & '!'" }] }],
        edges: [{ source: "start", target: "rename" }],
      },
    });
    await h.asAdmin.metadata.publish({ kind: "flow", name: "rename_deal" });
    const adminsDeal = (await h.asAdmin.data.find({ object: "deal", filter: { field: "name", operator: "=", value: "Admin big" } })).records[0]!;
    const hidden = await refused(h.asUser.flows.run({ flow: "rename_deal", inputs: { target: String(adminsDeal.id) } }), "BAD_REQUEST");
    expect(hidden.message).toMatch(/inputs\.target no deal record '.*' that you may read/);
    expect((await h.asAdmin.data.get({ object: "deal", id: String(adminsDeal.id) }))!.name).toBe("Admin big");
  });

  it("runs over REST with the user's API key, with the same checks", async () => {
    const { key } = await h.asUser.apiKeys.create({ name: "Flows" });
    const post = (flow: string, body: string) =>
      serveRest(h.services, flowsApi.run, new Request(`http://localhost/api/v1/flows/${flow}/run`, { method: "POST", body, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } }), { flow });
    const ok = await post("total_deals", JSON.stringify({ inputs: { minimum: 50 } }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: "finished", outputs: { total: 100, seen: 1 } });
    const forbidden = await post("total_all", "{}");
    expect(forbidden.status).toBe(403);
    const bad = await post("total_deals", JSON.stringify({ inputs: { minimum: [1] } }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.issues).toEqual([{ path: ["inputs", "minimum"], message: "must be a finite number" }]);
    expect((await post("total_deals", "{not json")).status).toBe(400);
  });

  it("any inputs object is either run or refused with a 4xx, never a crash", async () => {
    const value = fc.oneof(fc.string({ maxLength: 50 }), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
    const name = fc.oneof(fc.constantFrom("minimum", "__proto__", "constructor", "toString", "deals", "total"), fc.string({ maxLength: 12 }));
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, value, { maxKeys: 3 }), async (inputs) => {
        const outcome = await h.asUser.flows.run({ flow: "total_deals", inputs }).then(
          (result) => ({ ok: true as const, result }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (outcome.ok) expect(outcome.result.status, JSON.stringify(outcome.result.error)).toBe("finished");
        else await refused(Promise.reject(outcome.error), "BAD_REQUEST");
      }),
      { numRuns: 60 },
    );
  });

  it("runs a screen flow for its user: records they may read only, the run theirs alone, any values refused with a 4xx naming the field", async () => {
    await h.asAdmin.metadata.create({
      kind: "flow",
      body: {
        name: "note_deal", label: "Note on a deal", start: { type: "screen" },
        variables: [{ name: "pick", type: "record", object: "deal" }, { name: "made", type: "record", object: "note" }, { name: "body", type: "text" }],
        elements: [
          { id: "ask", label: "Which deal?", type: "screen", fields: [{ target: "pick", label: "Deal", required: true }, { target: "made.deal", label: "Also on" }, { target: "body", required: true }] },
          { id: "write", label: "Write", type: "create_record", object: "note", values: [{ field: "body", value: "body & ' on ' & pick.name" }, { field: "deal", value: "pick.id" }], into: "made" },
          { id: "done", label: "Done", type: "screen", text: "Noted: {!made.body}" },
        ],
        edges: [{ source: "start", target: "ask" }, { source: "ask", target: "write" }, { source: "write", target: "done" }],
      },
    });
    await h.asAdmin.metadata.publish({ kind: "flow", name: "note_deal" });
    expect((await h.asUser.flows.screenFlows()).map((entry) => entry.name)).toContain("note_deal");
    const adminsDeal = String((await h.asAdmin.data.find({ object: "deal", filter: { field: "name", operator: "=", value: "Admin big" } })).records[0]!.id);
    const usersDeal = String((await h.asUser.data.find({ object: "deal", filter: { field: "name", operator: "=", value: "User mid" } })).records[0]!.id);

    const run = await h.asUser.flows.screenStart({ flow: "note_deal" });
    expect(run.screen!.fields.map((field) => [field.field.name, field.field.type])).toEqual([["pick", "lookup"], ["made.deal", "lookup"], ["body", "text"]]);
    // A deal the user may not read, through a record variable and through a lookup field: refused, named.
    const hidden = await refused(h.asUser.flows.screenSubmit({ runId: run.runId, element: "ask", action: "next", values: { pick: adminsDeal, "made.deal": adminsDeal, body: "x" } }), "BAD_REQUEST");
    expect((hidden.cause as unknown as { issues: unknown[] }).issues).toEqual([
      { path: ["values", "pick"], message: `Deal: no deal record '${adminsDeal}' that you may read` },
      { path: ["values", "made.deal"], message: `Also on: no deal record '${adminsDeal}' that you may read` },
    ]);
    // Someone else's run: not found, whoever asks (admins included: it holds what the user typed).
    await refused(h.asAdmin.flows.screenRun({ runId: run.runId }), "NOT_FOUND");
    await refused(h.asAdmin.flows.screenSubmit({ runId: run.runId, element: "ask", action: "next", values: {} }), "NOT_FOUND");

    // Whatever the values, a 4xx naming them or the run going on: never a crash.
    const value = fc.oneof(fc.string({ maxLength: 40 }), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }), fc.constant(usersDeal));
    const name = fc.oneof(fc.constantFrom("pick", "made.deal", "body", "__proto__", "constructor", "made.__proto__", "toString"), fc.string({ maxLength: 12 }));
    const probe = await h.asUser.flows.screenStart({ flow: "note_deal" });
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, value, { maxKeys: 4 }), async (values) => {
        const outcome = await h.asUser.flows.screenSubmit({ runId: probe.runId, element: "ask", action: "next", values }).then(
          (result) => ({ ok: true as const, result }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (!outcome.ok) {
          const error = await refused(Promise.reject(outcome.error), "BAD_REQUEST");
          const issues = (error.cause as unknown as { issues?: { path: string[] }[] }).issues ?? [];
          expect(issues.length).toBeGreaterThan(0);
          return;
        }
        // It went on: a note was written and the run is at the last screen; start another probe for the next case.
        expect(outcome.result.screen?.element).toBe("done");
        Object.assign(probe, await h.asUser.flows.screenStart({ flow: "note_deal" }));
      }),
      { numRuns: 60 },
    );

    const done = await h.asUser.flows.screenSubmit({ runId: run.runId, element: "ask", action: "next", values: { pick: usersDeal, body: "Call back" } });
    expect(done.screen).toMatchObject({ element: "done", text: "Noted: Call back on User mid", nextLabel: "Finish" });
    expect(await h.asUser.flows.screenSubmit({ runId: run.runId, element: "done", action: "next" })).toMatchObject({ status: "finished" });
    const detail = await h.asAdmin.flows.runDetail({ id: run.runId });
    expect(detail.run).toMatchObject({ trigger: "screen", startedBy: h.user.id, status: "finished" });
    const notes = (await h.asAdmin.data.find({ object: "note", limit: 500 })).records;
    expect(notes.filter((record) => record.body === "Call back on User mid")).toHaveLength(1);
    // The other cases of this suite count notes: these go.
    for (const record of notes) await h.asAdmin.data.delete({ object: "note", id: String(record.id) });
  });

  it("publishes platform events for admins only (tRPC and REST), waking the runs that wait for them; any input is run or refused with a 4xx", async () => {
    await h.asAdmin.metadata.create({
      kind: "flow",
      body: {
        name: "await_signal", label: "Await a signal", start: { type: "autolaunched" },
        variables: [{ name: "topic", type: "text", input: true }, { name: "payload", type: "text" }],
        elements: [
          { id: "hold", label: "Hold", type: "wait", mode: "event", event: "signal", key: "{!topic}", payloadInto: "payload" },
          { id: "write", label: "Write", type: "create_record", object: "note", values: [{ field: "body", value: "'signal ' & payload" }] },
        ],
        edges: [{ source: "start", target: "hold" }, { source: "hold", target: "write" }],
      },
    });
    await h.asAdmin.metadata.publish({ kind: "flow", name: "await_signal" });
    const run = await h.asUser.flows.run({ flow: "await_signal", inputs: { topic: "t1" } });
    expect(run.status).toBe("waiting");
    await refused(h.asUser.flows.publishEvent({ event: "signal", key: "t1" }), "FORBIDDEN");
    await refused(h.asAdmin.flows.publishEvent({ event: "Not An Identifier" }), "BAD_REQUEST");
    expect(await h.asAdmin.flows.publishEvent({ event: "signal", key: "other" })).toEqual({ woken: 0 });

    const { key: userKey } = await h.asUser.apiKeys.create({ name: "Events (user)" });
    const { key: adminKey } = await h.asAdmin.apiKeys.create({ name: "Events (admin)" });
    const post = (key: string, event: string, body: string) =>
      serveRest(h.services, flowsApi.publishEvent, new Request(`http://localhost/api/v1/events/${event}`, { method: "POST", body, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } }), { event });
    expect((await post(userKey, "signal", JSON.stringify({ key: "t1" }))).status).toBe(403);
    const badKey = await post(adminKey, "signal", JSON.stringify({ key: 12 }));
    expect(badKey.status).toBe(400);
    expect((await badKey.json()).error.issues[0].path).toEqual(["key"]);
    const ok = await post(adminKey, "signal", JSON.stringify({ key: "t1", payload: { level: 3 } }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ woken: 1 });
    await h.services.flows.drain();
    expect((await h.asAdmin.flows.runDetail({ id: run.runId })).run.status).toBe("finished");
    const written = (await h.asAdmin.data.find({ object: "note", filter: { field: "body", operator: "=", value: 'signal {"level":3}' } })).records;
    expect(written).toHaveLength(1);
    await h.asAdmin.data.delete({ object: "note", id: String(written[0]!.id) });

    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.constantFrom("signal", "__proto__", "constructor", "toString"), fc.string({ maxLength: 70 })), fc.oneof(fc.string({ maxLength: 600 }), fc.constant(undefined)), value, async (event, key, payload) => {
        const outcome = await h.asAdmin.flows.publishEvent({ event, key, payload }).then(
          (result) => ({ ok: true as const, result }),
          (error: unknown) => ({ ok: false as const, error }),
        );
        if (outcome.ok) expect(outcome.result.woken).toBeGreaterThanOrEqual(0);
        else await refused(Promise.reject(outcome.error), "BAD_REQUEST");
      }),
      { numRuns: 60 },
    );
  });

  it("debugs a draft through the API (admins only), and rolls its writes back", async () => {
    const draft = { ...noteWon, name: "debug_me", start: { type: "autolaunched" }, variables: [{ name: "text", type: "text", input: true }], elements: [{ id: "note", label: "Write a note", type: "create_record", object: "note", values: [{ field: "body", value: "text" }] }] };
    await refused(h.asUser.flows.debugStart({ flow: "debug_me", draft }), "FORBIDDEN");
    const notesBefore = (await h.asAdmin.data.find({ object: "note" })).records.length;
    let view = await h.asAdmin.flows.debugStart({ flow: "debug_me", draft, inputs: { text: "from the debugger" }, breakpoints: { "debug_me/note": null } });
    expect(view.frames[0]!.at).toBe("note");
    view = await h.asAdmin.flows.debugCommand({ id: view.run.id, command: "stepOver" });
    expect(view.status).toBe("paused");
    expect((await h.asAdmin.data.find({ object: "note" })).records.map((record) => record.body)).toContain("from the debugger");
    view = await h.asAdmin.flows.debugCommand({ id: view.run.id, command: "continue" });
    expect(view.debug).toMatchObject({ ended: "finished", rolledBack: true });
    expect((await h.asAdmin.data.find({ object: "note" })).records).toHaveLength(notesBefore);
    await refused(h.asAdmin.flows.debugCommand({ id: view.run.id, command: "continue" }), "PRECONDITION_FAILED");
    await refused(h.asAdmin.flows.debugStart({ flow: "debug_me", draft, breakpoints: { "bad key": null } }), "BAD_REQUEST");
  });

  it("retries a failed run for admins only; a debug run is refused, naming why", async () => {
    const failing: FlowInput = {
      name: "always_fails", label: "Always fails", start: { type: "autolaunched" },
      elements: [{ id: "stop", label: "Stop", type: "custom_error", message: "Not today" }],
      edges: [{ source: "start", target: "stop" }],
    };
    await h.asAdmin.metadata.create({ kind: "flow", body: failing });
    await h.asAdmin.metadata.publish({ kind: "flow", name: "always_fails" });
    const run = await h.asAdmin.flows.run({ flow: "always_fails" });
    expect(run).toMatchObject({ status: "failed", error: { message: "Not today", element: "stop" } });
    await refused(h.asUser.flows.retryRun({ id: run.runId }), "FORBIDDEN");
    expect(await h.asAdmin.flows.retryRun({ id: run.runId })).toEqual({ runId: run.runId, status: "queued" });
    await h.services.flows.drain();
    const detail = await h.asAdmin.flows.runDetail({ id: run.runId });
    expect(detail.run).toMatchObject({ status: "failed", error: "Not today" });
    expect(detail.steps.map((step) => step.type)).toEqual(["custom_error", "run_retried", "custom_error"]);
    expect(detail.steps[1]!.inputs).toMatchObject({ by: h.admin.id, failedWith: "Not today" });

    let view = await h.asAdmin.flows.debugStart({ flow: "always_fails" });
    if (view.status === "paused") view = await h.asAdmin.flows.debugCommand({ id: view.run.id, command: "continue" });
    expect(view.run.status).toBe("failed");
    const debugRefusal = await refused(h.asAdmin.flows.retryRun({ id: view.run.id }), "BAD_REQUEST");
    expect(debugRefusal.message).toMatch(/cannot be retried: it is a debug run/);
    await refused(h.asAdmin.flows.retryRun({ id: "not-a-uuid" }), "BAD_REQUEST");
  });

  it("flags a published flow that a later change of its object broke", async () => {
    expect(await h.asAdmin.flows.problems()).toEqual([]);
    await h.asAdmin.metadata.create({
      kind: "object",
      body: { name: "gadget", label: "Gadget", pluralLabel: "Gadgets", fields: [{ id: "g1", name: "title", label: "Title", type: "text" }, { id: "g2", name: "weight", label: "Weight", type: "number" }] },
    });
    await h.asAdmin.metadata.publish({ kind: "object", name: "gadget" });
    await h.asAdmin.metadata.create({
      kind: "flow",
      body: {
        name: "weigh", label: "Weigh", start: { type: "record", object: "gadget", when: "before_save", on: "create" },
        elements: [{ id: "set", label: "Set weight", type: "assignment", assignments: [{ target: "record.weight", value: "LEN(record.title)" }] }],
        edges: [{ source: "start", target: "set" }],
      },
    });
    await h.asAdmin.metadata.publish({ kind: "flow", name: "weigh" });
    const detail = await h.asAdmin.metadata.get({ kind: "object", name: "gadget" });
    const body = detail.published as { fields: { name: string }[] };
    await h.asAdmin.metadata.saveDraft({ kind: "object", name: "gadget", body: { ...body, fields: body.fields.filter((field) => field.name !== "weight") }, baseRevision: detail.draftRevision });
    await h.asAdmin.metadata.publish({ kind: "object", name: "gadget", confirmDestructive: true });
    const problems = await h.asAdmin.flows.problems();
    expect(problems.map((problem) => problem.flow)).toEqual(["weigh"]);
    expect(problems[0]!.issues[0]).toMatchObject({ path: ["elements", "0", "assignments", "0", "target"], message: expect.stringMatching(/'record.weight' is not a field/) });
    await refused(h.asUser.flows.problems(), "FORBIDDEN");
  });

  it("a draft flow never fires; once published it fires on saves through the API, as the saving user", async () => {
    await h.asAdmin.metadata.create({ kind: "flow", body: noteWon });
    const won = await h.asUser.data.create({ object: "deal", values: { name: "Draft era", stage: "won" } });
    await h.services.flows.drain();
    expect((await h.asAdmin.data.find({ object: "note" })).records).toEqual([]);

    await h.asAdmin.metadata.publish({ kind: "flow", name: "note_won" });
    await h.asUser.data.update({ object: "deal", id: String(won.id), values: { amount: 5 } });
    await h.asUser.data.create({ object: "deal", values: { name: "Open one", stage: "open" } });
    await h.services.flows.drain();
    const notes = (await h.asAdmin.data.find({ object: "note" })).records;
    expect(notes.map((record) => record.body)).toEqual(["Won: Draft era"]);
    // Run as the user who saved: the note is theirs.
    expect(notes[0]!.created_by).toBe(h.user.id);
    expect((await h.asUser.data.find({ object: "note" })).records).toHaveLength(1);
  });

  it("an after-save flow's email lands in the outbox, which only admins may read", async () => {
    await h.asAdmin.metadata.create({
      kind: "flow",
      body: {
        name: "mail_won",
        label: "Mail won deals",
        start: { type: "record", object: "deal", when: "after_save", on: "create", condition: "record.stage = 'won'" },
        elements: [{ id: "mail", label: "Tell sales", type: "send_email", to: "sales@example.com", subject: "Won: {!record.name}", body: "{!record.name} is worth {!record.amount}." }],
        edges: [{ source: "start", target: "mail" }],
      },
    });
    await h.asAdmin.metadata.publish({ kind: "flow", name: "mail_won" });
    await h.asUser.data.create({ object: "deal", values: { name: "Mailed deal", stage: "won", amount: 42 } });
    await h.services.flows.drain();
    const [message] = await h.asAdmin.flows.outbox({ flow: "mail_won" });
    expect(message).toMatchObject({ flow: "mail_won", element: "mail", to: ["sales@example.com"], subject: "Won: Mailed deal", body: "Mailed deal is worth 42." });
    expect(await h.asAdmin.flows.outboxMessage({ id: message!.id })).toEqual(message);
    await refused(h.asUser.flows.outbox({}), "FORBIDDEN");
    await refused(h.asUser.flows.outboxMessage({ id: message!.id }), "FORBIDDEN");
    const missing = await refused(h.asAdmin.flows.outboxMessage({ id: "nope" }), "NOT_FOUND");
    expect(missing.message).toBe("No outbox message 'nope'");
  });
});
