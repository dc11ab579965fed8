import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { smtpDelivery } from "./smtp";
import { transportDelivery } from "./mail-delivery";

/** SMTP delivery against an in-process SMTP server (smtp-server, from the nodemailer project). */

let server: SMTPServer;
let port = 0;
const received: { from: string; to: string[]; data: string }[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((rcpt) => rcpt.address), data: Buffer.concat(chunks).toString() });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("SMTP delivery", () => {
  it("sends through SMTP_URL with a Message-ID made from the run and step", async () => {
    const delivery = smtpDelivery(`smtp://127.0.0.1:${port}`, "Flows <flows@example.com>");
    const sent = await delivery.send({ key: "run-1:4", to: ["ada@example.com"], cc: ["boss@example.com"], subject: "Hello Ada", text: "Body text" });
    expect(sent).toEqual({ delivery: "smtp", id: "<run-1.4@objectstudio.flow>" });
    expect(received).toHaveLength(1);
    expect(received[0]!.from).toBe("flows@example.com");
    expect(received[0]!.to).toEqual(["ada@example.com", "boss@example.com"]);
    expect(received[0]!.data).toMatch(/^Message-ID: <run-1\.4@objectstudio\.flow>\r?$/m);
    expect(received[0]!.data).toMatch(/^Subject: Hello Ada\r?$/m);
    expect(received[0]!.data).toContain("Body text");
  });

  it("fails with the server's reason when SMTP refuses", async () => {
    const delivery = smtpDelivery("smtp://127.0.0.1:1", "Flows <flows@example.com>");
    await expect(delivery.send({ key: "k", to: ["a@example.com"], cc: [], subject: "s", text: "t" })).rejects.toThrow(/ECONNREFUSED|connect/);
  });

  it("hands any nodemailer transport the message (JSON transport)", async () => {
    const delivery = transportDelivery(nodemailer.createTransport({ jsonTransport: true }));
    const sent = await delivery.send({ key: "r:1", to: ["a@example.com"], cc: [], subject: "s", text: "t" });
    expect(sent.delivery).toBe("smtp");
  });
});
