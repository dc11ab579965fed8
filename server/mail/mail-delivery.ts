import { randomUUID } from "node:crypto";
import type { Transporter } from "nodemailer";
import type { MailOutbox } from "./outbox";

/**
 * How email leaves the platform: through SMTP (nodemailer, SMTP_URL) or, with no SMTP server
 * configured, into the outbox that admins read in the studio. Each message carries a key (its
 * flow run and step): the outbox keeps one row per key, and SMTP messages get a Message-ID made
 * from it, so a message sent again after a crash can be recognised as the same one.
 */

export type MailMessage = {
  /** Stays the same when a resumed run sends the same step again. */
  key: string;
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** Where it came from (shown in the outbox). */
  runId?: string | null;
  flow?: string | null;
  element?: string | null;
};

export type MailDelivery = {
  kind: "smtp" | "outbox" | "held";
  send(message: MailMessage): Promise<{ delivery: "smtp" | "outbox" | "held"; id: string; duplicate?: boolean }>;
};

/**
 * A debug run in rollback mode: every record change it makes is undone, and an email could not
 * be, so the message is built and shown in the step (recipients, subject, body) but not sent.
 */
export const heldDelivery: MailDelivery = {
  kind: "held",
  send: async (message) => ({ delivery: "held", id: message.key }),
};

export const DEFAULT_MAIL_FROM = "ObjectStudio <no-reply@objectstudio.local>";

export function outboxDelivery(outbox: MailOutbox, from = DEFAULT_MAIL_FROM): MailDelivery {
  return {
    kind: "outbox",
    async send(message) {
      const added = await outbox.add({ id: message.key, runId: message.runId ?? null, flow: message.flow ?? null, element: message.element ?? null, from, to: message.to, cc: message.cc, subject: message.subject, body: message.text });
      return { delivery: "outbox", id: message.key, ...(added ? {} : { duplicate: true }) };
    },
  };
}

/** A nodemailer transport (SMTP in production; tests use a local SMTP server or the JSON transport). */
export function transportDelivery(transport: Transporter, from = DEFAULT_MAIL_FROM): MailDelivery {
  return {
    kind: "smtp",
    async send(message) {
      const messageId = `<${message.key.replace(/[^A-Za-z0-9.-]/g, ".")}@objectstudio.flow>`;
      const info = (await transport.sendMail({ from, to: message.to, cc: message.cc.length ? message.cc : undefined, subject: message.subject, text: message.text, messageId })) as { messageId?: string };
      return { delivery: "smtp", id: info.messageId ?? messageId };
    },
  };
}

/** A key for a message sent outside a durable run (nothing can repeat it). */
export function oneOffMailKey(): string {
  return `once:${randomUUID()}`;
}
