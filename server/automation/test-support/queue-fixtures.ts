import type { FlowInput, ObjectInput } from "@/spec";
import type { TwoProcesses } from "@/test/services-harness";

/**
 * The job-queue tests' app: saving a counter queues an after-save run that logs one hit, so
 * counting hits counts runs that did their work (exactly once: one hit per save).
 */
export const counterObject: ObjectInput = {
  name: "counter",
  label: "Counter",
  pluralLabel: "Counters",
  fields: [{ id: "c1", name: "title", label: "Title", type: "text", required: true }, { id: "c2", name: "hits", label: "Hits", type: "number" }],
};
export const hitObject: ObjectInput = {
  name: "hit",
  label: "Hit",
  pluralLabel: "Hits",
  fields: [{ id: "h1", name: "counter", label: "Counter", type: "lookup", reference: "counter" }],
};
export const logHitFlow: FlowInput = {
  name: "log_hit",
  label: "Log a hit",
  start: { type: "record", object: "counter", when: "after_save", on: "update" },
  elements: [{ id: "log", label: "Log", type: "create_record", object: "hit", values: [{ field: "counter", value: "record" }] }],
  edges: [{ source: "start", target: "log" }],
};

/** Publishes the app through process a, and has process b load it. */
export async function publishQueueApp(processes: TwoProcesses): Promise<void> {
  const admin = processes.a.asAdmin;
  for (const body of [counterObject, hitObject]) {
    await admin.metadata.create({ kind: "object", body });
    await admin.metadata.publish({ kind: "object", name: body.name });
  }
  await admin.metadata.create({ kind: "flow", body: logHitFlow });
  await admin.metadata.publish({ kind: "flow", name: "log_hit" });
  await processes.b.publishedChanges.ensureCurrent();
}

export async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
