import type { Metadata } from "next";
import { FlowOutbox } from "@/designers/flow/flow-outbox";

export const metadata: Metadata = { title: "Outbox" };

/** Flows' email while no SMTP server is configured (admins: the studio layout refuses others). */
export default function OutboxPage() {
  return <FlowOutbox />;
}
