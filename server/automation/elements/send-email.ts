import type { FlowElement } from "@/spec/flow";
import { oneOffMailKey } from "@/server/mail/mail-delivery";
import type { ElementContext, ElementOutcome } from "./element-context";

/**
 * The send_email element: recipients, subject and body with merge fields filled in, handed to
 * the environment's mail delivery (SMTP when SMTP_URL is set, else the outbox). Addresses are
 * checked first (a bad or empty one takes the fault path, naming the property); the send is in
 * the step's log. Keyed by run and step, so a resumed run does not file the message twice.
 */

type SendEmail = Extract<FlowElement, { type: "send_email" }>;

export const MAX_RECIPIENTS = 50;
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** Addresses separated by commas, semicolons or spaces; each checked. */
export function parseAddresses(text: string, property: string, required: boolean): string[] {
  const addresses = text.split(/[\s,;]+/).map((entry) => entry.trim()).filter(Boolean);
  if (required && addresses.length === 0) throw new Error(`${property}: no address (the merge fields gave '${text}')`);
  if (addresses.length > MAX_RECIPIENTS) throw new Error(`${property}: more than ${MAX_RECIPIENTS} addresses`);
  for (const address of addresses) {
    if (address.length > 254 || !ADDRESS.test(address)) throw new Error(`${property}: '${address.slice(0, 80)}' is not an email address`);
  }
  return addresses;
}

export async function runSendEmail(element: SendEmail, context: ElementContext, names: { flow: string; element: string }): Promise<ElementOutcome> {
  const delivery = context.env.mail;
  if (!delivery) throw new Error("Email is not configured in this environment");
  const to = parseAddresses(await context.render(element.to), "to", true);
  const cc = parseAddresses(await context.render(element.cc), "cc", false);
  // A subject is one line.
  const subject = (await context.render(element.subject)).replace(/[\r\n]+/g, " ").slice(0, 998);
  const text = await context.render(element.body);
  const key = context.env.runId ? `${context.env.runId}:${context.seq}` : oneOffMailKey();
  const sent = await delivery.send({ key, to, cc, subject, text, runId: context.env.runId ?? null, flow: names.flow, element: names.element });
  return { handle: "next", inputs: { to, cc, subject, body: text.slice(0, 2000) }, outputs: sent };
}
