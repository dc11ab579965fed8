import nodemailer from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { transportDelivery, type MailDelivery } from "./mail-delivery";

/** Delivery through the SMTP server of an `smtp://` or `smtps://` URL (SMTP_URL), with bounded waits. */
export function smtpDelivery(url: string, from: string): MailDelivery {
  const options: SMTPTransport.Options & { url: string } = { url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };
  return transportDelivery(nodemailer.createTransport(options), from);
}
