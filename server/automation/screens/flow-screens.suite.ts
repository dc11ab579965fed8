import { describe, expect, it } from "vitest";
import { defineObject, systemCtx } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory } from "@/server/objectql/test-support/test-databases";
import { ServiceError } from "@/server/errors";
import type { SecurityContext } from "@/server/objectql";
import { FlowTestBed, flow } from "../test-support/flow-test-bed";

/**
 * Screen flows on every driver: a run started from a record stops at each screen (saved with
 * status `screen`, its text's merge fields filled in, its fields shown with the values they
 * hold); a submission is checked before the run moves (required fields, picklist values, unknown
 * keys: each refusal names `values.<target>`, and nothing changes); Next writes what the user
 * entered into the variables and runs on to the next screen; Back returns to the previous screen
 * as it was shown, with what the user entered on it; one submission of a screen goes on, never
 * two; a run is only its starter's; the run survives the process (another one shows the same screen).
 */

const company = defineObject({
  name: "company",
  label: "Company",
  pluralLabel: "Companies",
  fields: [
    { id: "c1", name: "name", label: "Company name", type: "text", required: true },
    { id: "c2", name: "tier", label: "Tier", type: "select", options: [{ value: "gold", label: "Gold" }, { value: "silver", label: "Silver" }] },
  ],
});
const lead = defineObject({
  name: "lead",
  label: "Lead",
  pluralLabel: "Leads",
  fields: [
    { id: "l1", name: "name", label: "Name", type: "text", required: true },
    { id: "l2", name: "company_name", label: "Company", type: "text" },
    { id: "l3", name: "status", label: "Status", type: "select", options: [{ value: "new", label: "New" }, { value: "converted", label: "Converted" }] },
    { id: "l4", name: "company", label: "Converted to", type: "lookup", reference: "company" },
  ],
});

/** Converts a lead: asks for the company's name and tier, creates the company, links the lead, confirms. */
const convert = flow({
  name: "convert_lead",
  label: "Convert lead",
  start: { type: "screen", object: "lead" },
  variables: [
    { name: "company_name", type: "text" },
    { name: "tier", type: "text", default: "silver" },
    { name: "urgent", type: "boolean" },
    { name: "created", type: "record", object: "company" },
    { name: "result", type: "text", output: true },
  ],
  elements: [
    { id: "prefill", label: "Prefill", type: "assignment", assignments: [{ target: "company_name", value: "BLANKVALUE(record.company_name, record.name & ' Ltd')" }] },
    {
      id: "ask", label: "Company details", type: "screen", text: "Convert {!record.name} into a company.",
      fields: [{ target: "company_name", label: "Company name", required: true }, { target: "record.status", required: true }, { target: "urgent", label: "Urgent?" }],
    },
    { id: "make", label: "Create company", type: "create_record", object: "company", values: [{ field: "name", value: "company_name" }, { field: "tier", value: "IF(urgent, 'gold', tier)" }], into: "created" },
    { id: "link", label: "Link lead", type: "update_records", record: "record", values: [{ field: "company", value: "created.id" }, { field: "status", value: "record.status" }] },
    { id: "done", label: "Converted", type: "screen", text: "{!created.name} was created.", fields: [], nextLabel: "Close" },
    { id: "say", label: "Result", type: "assignment", assignments: [{ target: "result", value: "created.name & ' (' & created.tier & ')'" }] },
  ],
  edges: [
    { source: "start", target: "prefill" }, { source: "prefill", target: "ask" }, { source: "ask", target: "make" }, { source: "make", target: "link" },
    { source: "link", target: "done" }, { source: "done", target: "say" },
  ],
});

export function defineFlowScreensSuite(factory: DatabaseFactory): void {
  describe(`screen flows (${factory.dialect})`, () => {
    const bed = FlowTestBed.use(factory, [company, lead]);
    const rita: SecurityContext & { kind: "user" } = { kind: "user", userId: "rita", role: "user" };
    const caller = { ctx: rita, admin: false };
    const companies = async () => (await bed.ql.find(systemCtx, { object: "company", orderBy: [{ field: "name", direction: "asc" }] })).records.map((record) => [record.name, record.tier]);
    const newLead = async (values: Record<string, unknown> = {}) => (await bed.ql.insert(systemCtx, "lead", { name: "Ann", status: "new", ...values })).id;
    const refusal = async (work: Promise<unknown>) => {
      const error = await work.then(() => null, (caught: unknown) => caught);
      expect(error).toBeInstanceOf(ServiceError);
      return error as ServiceError;
    };

    it("stops at each screen with its text and values, checks what is entered, and goes on to the end", async () => {
      await bed.publish(convert);
      const leadId = await newLead();
      const first = await bed.flows.startScreenFlow("convert_lead", leadId, caller);
      expect(first).toMatchObject({ status: "screen", flow: { name: "convert_lead", label: "Convert lead" } });
      expect(first.screen).toMatchObject({
        element: "ask", label: "Company details", text: "Convert Ann into a company.", canGoBack: false, nextLabel: "Next",
        values: { company_name: "Ann Ltd", "record.status": "new", urgent: null },
      });
      expect(first.screen!.fields.map(({ field, required }) => [field.name, field.type, field.label, required])).toEqual([
        ["company_name", "text", "Company name", true], ["record.status", "select", "Status", true], ["urgent", "boolean", "Urgent?", false],
      ]);
      const saved = (await bed.flows.store.get(first.runId))!;
      expect(saved.run).toMatchObject({ status: "screen", trigger: "screen", startedBy: "rita", object: "lead", recordId: leadId });

      // Refused together, each naming its field; the run does not move.
      const refused = await refusal(bed.flows.submitScreen(first.runId, { element: "ask", action: "next", values: { company_name: "  ", "record.status": "lost", bogus: 1 } }, caller));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(refused.issues).toEqual([
        { path: ["values", "bogus"], message: "'bogus' is not a field of screen 'Company details' (its fields: company_name, record.status, urgent)" },
        { path: ["values", "company_name"], message: "Company name is required" },
        { path: ["values", "record.status"], message: "Status: must be one of: 'new', 'converted' (got 'lost')" },
      ]);
      expect((await bed.flows.screenRun(first.runId, caller)).screen?.element).toBe("ask");
      expect(await companies()).toEqual([]);

      const second = await bed.flows.submitScreen(first.runId, { element: "ask", action: "next", values: { company_name: "Acme", "record.status": "converted", urgent: true } }, caller);
      expect(second.screen).toMatchObject({ element: "done", text: "Acme was created.", canGoBack: true, nextLabel: "Close", fields: [] });
      expect(await companies()).toEqual([["Acme", "gold"]]);
      const linked = await bed.ql.findOne(systemCtx, "lead", leadId);
      expect(linked).toMatchObject({ status: "converted" });
      expect(linked!.company).toMatchObject({ id: expect.any(String) });

      const end = await bed.flows.submitScreen(first.runId, { element: "done", action: "next", values: {} }, caller);
      expect(end).toMatchObject({ status: "finished", outputs: { result: "Acme (gold)" } });
      expect(end.screen).toBeUndefined();
      const steps = await bed.flows.store.steps(first.runId);
      expect(steps.map((step) => step.element)).toEqual(["prefill", "ask", "make", "link", "done", "say"]);
      expect(steps[1]!.outputs).toEqual({ company_name: "Acme", "record.status": "converted", urgent: true });
      expect((await bed.flows.store.get(first.runId))!.run).toMatchObject({ status: "finished", endedAt: expect.any(String) });
    });

    it("goes back to the previous screen as it was shown, with what the user entered on it", async () => {
      const ask = flow({
        name: "survey",
        label: "Survey",
        start: { type: "screen" },
        variables: [{ name: "name", type: "text" }, { name: "age", type: "number" }, { name: "visits", type: "number", default: 0 }, { name: "who", type: "record", object: "company" }],
        elements: [
          { id: "one", label: "One", type: "screen", fields: [{ target: "name", required: true }, { target: "who" }] },
          { id: "count", label: "Count", type: "assignment", assignments: [{ target: "visits", operator: "add", value: "1" }] },
          { id: "two", label: "Two", type: "screen", text: "Hello {!name} of {!who.name}, visit {!visits}", fields: [{ target: "age" }] },
          { id: "three", label: "Three", type: "screen", allowBack: false, fields: [] },
        ],
        edges: [{ source: "start", target: "one" }, { source: "one", target: "count" }, { source: "count", target: "two" }, { source: "two", target: "three" }],
      });
      await bed.publish(ask);
      const acme = (await bed.ql.insert(systemCtx, "company", { name: "Acme" })).id;
      const run = await bed.flows.startScreenFlow("survey", undefined, caller);
      // Back is not offered on the first screen.
      expect((await refusal(bed.flows.submitScreen(run.runId, { element: "one", action: "back" }, caller))).issues).toEqual([{ path: ["action"], message: "back is not offered on this screen" }]);
      const two = await bed.flows.submitScreen(run.runId, { element: "one", action: "next", values: { name: "Bo", who: acme } }, caller);
      expect(two.screen).toMatchObject({ element: "two", text: "Hello Bo of Acme, visit 1", values: { age: null } });

      const back = await bed.flows.submitScreen(run.runId, { element: "two", action: "back" }, caller);
      expect(back.screen).toMatchObject({ element: "one", values: { name: "Bo", who: { id: acme, name: "Acme" } }, canGoBack: false });
      // Going back is a step of the run's log (so a tab still showing 'two' cannot submit it).
      expect((await bed.flows.store.steps(run.runId)).map((step) => [step.element, step.type])).toEqual([["one", "screen"], ["count", "assignment"], ["two", "screen_back"]]);
      expect((await refusal(bed.flows.submitScreen(run.runId, { element: "two", action: "next", values: {} }, caller))).code).toBe("CONFLICT");
      // The variables are as they were when the first screen was shown: the count runs again from 0.
      const again = await bed.flows.submitScreen(run.runId, { element: "one", action: "next", values: { name: "Cy", who: null } }, caller);
      expect(again.screen).toMatchObject({ element: "two", text: "Hello Cy of , visit 1" });
      const three = await bed.flows.submitScreen(run.runId, { element: "two", action: "next", values: { age: 42 } }, caller);
      expect(three.screen).toMatchObject({ element: "three", canGoBack: false, nextLabel: "Finish" });
      expect((await refusal(bed.flows.submitScreen(run.runId, { element: "three", action: "back" }, caller))).code).toBe("BAD_REQUEST");
      expect(await bed.flows.submitScreen(run.runId, { element: "three", action: "next" }, caller)).toMatchObject({ status: "finished" });
    });

    it("takes one submission of a screen, is its starter's alone, and outlives the process", async () => {
      await bed.publish(convert);
      const leadId = await newLead({ company_name: "Zed Corp" });
      const run = await bed.flows.startScreenFlow("convert_lead", leadId, caller);

      // Another user cannot see or submit it; nor can a run be started without its record.
      const uma = { ctx: { kind: "user", userId: "uma", role: "user" } as const, admin: false };
      expect((await refusal(bed.flows.screenRun(run.runId, uma))).code).toBe("NOT_FOUND");
      expect((await refusal(bed.flows.submitScreen(run.runId, { element: "ask", action: "next", values: {} }, uma))).code).toBe("NOT_FOUND");
      expect((await refusal(bed.flows.startScreenFlow("convert_lead", undefined, caller))).issues).toEqual([{ path: ["recordId"], message: "is required (a lead record's id)" }]);
      expect((await refusal(bed.flows.startScreenFlow("convert_lead", "nope", caller))).code).toBe("NOT_FOUND");

      // Another process shows the same screen; two submissions at once: exactly one goes on.
      const other = (await bed.process()).flows;
      await other.reload();
      try {
        expect((await other.screenRun(run.runId, caller)).screen).toMatchObject({ element: "ask", values: { company_name: "Zed Corp" } });
        const values = { company_name: "Zed Corp", "record.status": "converted" };
        const outcomes = await Promise.allSettled([
          bed.flows.submitScreen(run.runId, { element: "ask", action: "next", values }, caller),
          other.submitScreen(run.runId, { element: "ask", action: "next", values }, caller),
        ]);
        expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
        const rejected = outcomes.find((outcome) => outcome.status === "rejected") as PromiseRejectedResult;
        expect((rejected.reason as ServiceError).code).toBe("CONFLICT");
        expect(await companies()).toEqual([["Zed Corp", "silver"]]);
        // A stale tab submitting the first screen again is refused.
        expect((await refusal(bed.flows.submitScreen(run.runId, { element: "ask", action: "next", values }, caller))).code).toBe("CONFLICT");
      } finally {
        await other.stopWorker();
      }
      // Screen runs are no worker's: draining does not touch them.
      expect(await bed.flows.drain()).toBe(0);
      expect((await bed.flows.store.get(run.runId))!.run.status).toBe("screen");
    });

    it("expires a run its user left at a screen for over a day, naming the screen; a stale tab is told the run ended", async () => {
      await bed.publish(convert);
      const left = await bed.flows.startScreenFlow("convert_lead", await newLead(), caller);
      const started = bed.now;
      bed.now = started + 12 * 3_600_000;
      const recent = await bed.flows.startScreenFlow("convert_lead", await newLead({ name: "Bea" }), caller);
      bed.now = started + 23 * 3_600_000;
      expect(await bed.flows.expireScreenRuns()).toBe(0);
      bed.now = started + 25 * 3_600_000;
      expect(await bed.flows.expireScreenRuns()).toBe(1);
      const message = "Left unanswered at screen 'Company details' for over 24 hours: the run expired. Start the flow again.";
      expect((await bed.flows.store.get(left.runId))!.run).toMatchObject({ status: "failed", failedElement: "ask", error: message, endedAt: new Date(bed.now).toISOString() });
      expect(bed.logs).toContain("[flow] 1 screen run(s) left unanswered for over 24 hours expired");
      const stale = await refusal(bed.flows.submitScreen(left.runId, { element: "ask", action: "next", values: { company_name: "Ann Ltd" } }, caller));
      expect([stale.code, stale.message]).toEqual(["CONFLICT", `This flow run has ended: ${message}`]);
      expect(await companies()).toEqual([]);
      // The run started later is still at its screen, and goes on.
      expect((await bed.flows.store.get(recent.runId))!.run.status).toBe("screen");
      const done = await bed.flows.submitScreen(recent.runId, { element: "ask", action: "next", values: { company_name: "Bea Ltd", "record.status": "converted" } }, caller);
      expect(done.status).not.toBe("failed");
    });

    it("is debugged without stopping at its screens: the developer sets the variables at a breakpoint, and rollback undoes its writes", async () => {
      await bed.publish(convert);
      const leadId = await newLead();
      const debug = bed.flows.debugger;
      const me = { kind: "user", userId: "dev-1", role: "admin" } as const;
      let view = await debug.start({ flow: "convert_lead", recordId: leadId, ctx: me, breakpoints: { "convert_lead/make": null } });
      view = await debug.command(view.run.id, "continue", me.userId);
      expect(view.frames[0]!.at).toBe("make");
      expect(view.frames[0]!.variables).toMatchObject({ company_name: "Ann Ltd", record: { id: leadId } });
      await debug.setVariable(view.run.id, 0, "company_name", "Debugged", me);
      view = await debug.command(view.run.id, "continue", me.userId);
      expect(view.status).toBe("finished");
      expect(view.debug).toMatchObject({ ended: "finished", rolledBack: true });
      expect(view.steps.filter((step) => step.type === "screen").map((step) => [step.element, step.outputs])).toEqual([
        ["ask", { shown: "a debug run goes on without waiting for input" }],
        ["done", { shown: "a debug run goes on without waiting for input" }],
      ]);
      // What it created was there (the done screen's text said so), and is undone.
      expect(view.frames[0]!.variables).toMatchObject({ result: "Debugged (silver)" });
      expect(await companies()).toEqual([]);
    });

    it("offers published screen flows, refuses other flows, and keeps system-context ones for admins", async () => {
      const system = flow({ ...convert, name: "system_convert", label: "A system convert", runAs: "system" });
      const auto = flow({ name: "auto", label: "Auto", start: { type: "autolaunched" } });
      await bed.publish(convert, system, auto);
      expect(bed.flows.screenFlows(false)).toEqual([{ name: "convert_lead", label: "Convert lead", object: "lead" }]);
      expect(bed.flows.screenFlows(true).map((entry) => entry.name)).toEqual(["system_convert", "convert_lead"]);
      const leadId = await newLead();
      expect((await refusal(bed.flows.startScreenFlow("system_convert", leadId, caller))).code).toBe("FORBIDDEN");
      expect((await refusal(bed.flows.startScreenFlow("auto", undefined, caller))).issues).toEqual([{ path: ["flow"], message: "is not a screen flow" }]);
      expect((await bed.flows.startScreenFlow("system_convert", leadId, { ctx: rita, admin: true })).status).toBe("screen");
    });
  });
}
