import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Harness, defineObject, systemCtx } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "@/server/objectql/test-support/test-databases";
import { outboxDelivery } from "@/server/mail/mail-delivery";
import { MailOutbox } from "@/server/mail/outbox";
import { startFlowRun } from "../runtime/flow-interpreter";
import { executeDurably } from "../runtime/flow-runner";
import { FlowRunStore } from "../runtime/flow-runs";
import { flowsOver } from "./test-support/flow-over";

/**
 * send_email into the outbox (no SMTP configured), on every driver: merge fields filled from a
 * record, addresses checked (the fault path names the property), the message filed once per run
 * and step even when a resumed run sends the step again.
 */

const contact = defineObject({
  name: "contact",
  label: "Contact",
  pluralLabel: "Contacts",
  fields: [{ id: "c1", name: "name", label: "Name", type: "text", required: true }, { id: "c2", name: "email", label: "Email", type: "email" }],
});

const mailFlow = {
  name: "welcome",
  label: "Welcome",
  start: { type: "autolaunched" as const },
  variables: [{ name: "person", type: "record" as const, object: "contact", input: true }, { name: "problem", type: "text" as const }],
  elements: [
    { id: "mail", label: "Welcome mail", type: "send_email", to: "{!person.email}", cc: "sales@example.com; boss@example.com", subject: "Welcome, {!person.name}", body: "Hello {!person.name},\nyour number is {!LEN(person.name) * 7}." },
    { id: "caught", label: "Fault", type: "assignment", assignments: [{ target: "problem", value: "fault_message" }] },
  ],
  edges: [{ source: "start", target: "mail" }, { source: "mail", handle: "fault", target: "caught" }],
};

export function defineSendEmailSuite(factory: DatabaseFactory): void {
  describe(`send_email element (${factory.dialect})`, () => {
    let test: TestDatabase;
    let harness: Harness;
    let outbox: MailOutbox;
    beforeEach(async () => {
      test = await factory.create();
      harness = new Harness(test.db);
      await harness.sync(contact);
      outbox = new MailOutbox(test.db, () => new Date("2026-12-07T10:00:00Z"));
    });
    afterEach(() => test.cleanup());

    it("files the message in the outbox with its merge fields filled in", async () => {
      const flows = flowsOver(harness, { mail: outboxDelivery(outbox) });
      flows.publish(mailFlow);
      const ada = await harness.ql.insert(systemCtx, "contact", { name: "Ada", email: "ada@example.com" });
      const { state, steps } = await flows.run("welcome", { person: ada });
      expect(state.status).toBe("finished");
      const [message] = await outbox.list();
      expect(message).toMatchObject({ flow: "welcome", element: "mail", to: ["ada@example.com"], cc: ["sales@example.com", "boss@example.com"], subject: "Welcome, Ada", body: "Hello Ada,\nyour number is 21.", createdAt: "2026-12-07T10:00:00.000Z" });
      expect(await outbox.get(message!.id)).toEqual(message);
      expect(steps[0]).toMatchObject({ handle: "next", inputs: { to: ["ada@example.com"], subject: "Welcome, Ada" }, outputs: { delivery: "outbox", id: message!.id } });
    });

    it("takes the fault path, naming the property, when an address is missing or malformed", async () => {
      const flows = flowsOver(harness, { mail: outboxDelivery(outbox) });
      flows.publish(mailFlow);
      const noEmail = await harness.ql.insert(systemCtx, "contact", { name: "Bob" });
      expect((await flows.run("welcome", { person: noEmail })).variables.problem).toBe("to: no address (the merge fields gave '')");
      flows.publish({ ...mailFlow, elements: [{ ...mailFlow.elements[0]!, cc: "not-an-address, x@y.z" }, mailFlow.elements[1]!] });
      const ada = await harness.ql.insert(systemCtx, "contact", { name: "Ada", email: "ada@example.com" });
      expect((await flows.run("welcome", { person: ada })).variables.problem).toBe("cc: 'not-an-address' is not an email address");
      expect(await outbox.list()).toEqual([]);
      // A line break from a merge field cannot start a header: the subject stays one line.
      const eve = await harness.ql.insert(systemCtx, "contact", { name: "Eve\r\nBcc: all@example.com", email: "eve@example.com" });
      flows.publish(mailFlow);
      await flows.run("welcome", { person: eve });
      expect((await outbox.list())[0]!.subject).toBe("Welcome, Eve Bcc: all@example.com");
      const noMail = flowsOver(harness);
      noMail.publish(mailFlow);
      expect((await noMail.run("welcome", { person: ada })).variables.problem).toBe("Email is not configured in this environment");
    });

    it("files a message once per run and step, even when a resumed run sends that step again", async () => {
      const flows = flowsOver(harness, { mail: outboxDelivery(outbox) });
      const def = flows.publish(mailFlow);
      const ada = await harness.ql.insert(systemCtx, "contact", { name: "Ada", email: "ada@example.com" });
      const store = new FlowRunStore(test.db);
      await store.ready();
      const state = startFlowRun({ def, version: 1 }, systemCtx, { person: ada });
      const before = structuredClone(state);
      const runId = await store.create({ flow: "welcome", version: 1, trigger: "autolaunched", startedBy: null, state });
      expect((await executeDurably(runId, state, flows.env, flows.versions, store)).status).toBe("finished");
      // The crash window: the message was filed but the step's save did not commit; the run repeats it.
      await executeDurably(runId, before, flows.env, flows.versions, store).catch(() => undefined);
      const messages = await outbox.list();
      expect(messages).toHaveLength(1);
      expect(messages[0]!.id).toBe(`${runId}:0`);
      expect(messages[0]!.runId).toBe(runId);
    });

    it("a debug run in rollback mode holds its email (shown in the step, not sent); without rollback it is filed", async () => {
      const { flowServiceOver } = await import("../test-support/flow-service-over");
      const def = flowsOver(harness).publish(mailFlow);
      const { flows, ql } = await flowServiceOver(test.db, harness.registry, { published: () => [{ def, version: 1 }] });
      const ada = await ql.insert(systemCtx, "contact", { name: "Ada", email: "ada@example.com" });
      const me = { kind: "user" as const, userId: "dev-1", role: "admin" as const };
      for (const rollback of [true, false]) {
        let view = await flows.debugger.start({ flow: "welcome", inputs: { person: ada.id }, rollback, ctx: me });
        view = await flows.debugger.command(view.run.id, "continue", me.userId);
        const steps = await flows.store.steps(view.run.id);
        expect(steps[0]).toMatchObject({ element: "mail", handle: "next", inputs: { to: ["ada@example.com"], subject: "Welcome, Ada" }, outputs: { delivery: rollback ? "held" : "outbox" } });
        await flows.debugger.command(view.run.id, "stop", me.userId).catch(() => undefined);
      }
      const filed = await new MailOutbox(test.db).list();
      expect(filed.map((message) => message.subject)).toEqual(["Welcome, Ada"]);
    });
  });
}
