import type { DataDatabase } from "@/server/db/data-db";
import { ObjectRegistry, type ObjectQL, type SecurityContext } from "@/server/objectql";
import { syncObjectSchema } from "@/server/objectql/schema/sync";
import { objectSchema, type ObjectDef } from "@/spec/object";
import { flowSchema, type FlowDef } from "@/spec/flow";
import { flowServiceOver } from "@/server/automation/test-support/flow-service-over";
import type { PublishedFlow } from "@/server/automation/runtime/flow-interpreter";
import { compareMedians, formatMs, formatRatio } from "./measure";

/**
 * `bench flow <driver> ...`: the flow engine against the same logic written by hand in
 * TypeScript calling ObjectQL, in one process on the same database.
 * - autolaunched: a 10-element flow (a get records, assignments, a loop over 20 items with a
 *   decision in it, a decision and an update), with the durable run row and step log, against a
 *   function doing the same reads, arithmetic and update;
 * - before_save: inserting 10,000 records where a before-save flow sets one field, against the
 *   same insert where a default formula sets it.
 */

const system: SecurityContext = { kind: "system" };

const order = objectSchema.parse({
  name: "bench_order", label: "Order", pluralLabel: "Orders",
  fields: [
    { id: "o1", name: "title", label: "Title", type: "text", required: true },
    { id: "o2", name: "total", label: "Total", type: "number", scale: 2 },
    { id: "o3", name: "big_lines", label: "Big lines", type: "number" },
    { id: "o4", name: "size", label: "Size", type: "text" },
  ],
});
const line = objectSchema.parse({
  name: "bench_line", label: "Line", pluralLabel: "Lines",
  fields: [
    { id: "l1", name: "order_ref", label: "Order", type: "lookup", reference: "bench_order" },
    { id: "l2", name: "qty", label: "Quantity", type: "number" },
    { id: "l3", name: "price", label: "Price", type: "number", scale: 2 },
  ],
  indexes: [],
});
const stamped = (defaultFormula?: string) =>
  objectSchema.parse({
    name: defaultFormula ? "bench_formula_row" : "bench_flow_row", label: "Row", pluralLabel: "Rows",
    fields: [
      { id: "r1", name: "amount", label: "Amount", type: "number", scale: 2 },
      { id: "r2", name: "band", label: "Band", type: "text", ...(defaultFormula ? { defaultFormula } : {}) },
    ],
  });

const costOrder: FlowDef = flowSchema.parse({
  name: "cost_order", label: "Cost an order", start: { type: "autolaunched" },
  variables: [
    { name: "order_id", type: "text", input: true },
    { name: "lines", type: "records", object: "bench_line" },
    { name: "current", type: "record", object: "bench_line" },
    { name: "the_order", type: "record", object: "bench_order" },
    { name: "total", type: "number", output: true },
    { name: "big", type: "number", output: true },
    { name: "size", type: "text", output: true },
  ],
  elements: [
    { id: "get_order", label: "Get the order", type: "get_records", object: "bench_order", filter: { field: "id", operator: "=", value: "{!order_id}" }, into: "the_order" },
    { id: "get_lines", label: "Get its lines", type: "get_records", object: "bench_line", filter: { field: "order_ref", operator: "=", value: "{!order_id}" }, into: "lines" },
    { id: "start_sums", label: "Start the sums", type: "assignment", assignments: [{ target: "total", value: "0" }, { target: "big", value: "0" }] },
    { id: "each_line", label: "Each line", type: "loop", collection: "lines", item: "current" },
    { id: "add_line", label: "Add the line", type: "assignment", assignments: [{ target: "total", operator: "add", value: "current.qty * current.price" }] },
    { id: "is_big", label: "Big line?", type: "decision", outcomes: [{ id: "yes", label: "Big", condition: "current.qty > 5" }] },
    { id: "count_big", label: "Count it", type: "assignment", assignments: [{ target: "big", operator: "add", value: "1" }] },
    { id: "which_size", label: "Which size?", type: "decision", outcomes: [{ id: "large", label: "Large", condition: "total > 1000" }] },
    { id: "large", label: "Large", type: "assignment", assignments: [{ target: "size", value: "'large'" }] },
    { id: "small", label: "Small", type: "assignment", assignments: [{ target: "size", value: "'small'" }] },
    { id: "save", label: "Save the order", type: "update_records", record: "the_order", values: [{ field: "total", value: "total" }, { field: "big_lines", value: "big" }, { field: "size", value: "size" }] },
  ],
  edges: [
    { source: "start", target: "get_order" }, { source: "get_order", target: "get_lines" }, { source: "get_lines", target: "start_sums" },
    { source: "start_sums", target: "each_line" }, { source: "each_line", handle: "each", target: "add_line" }, { source: "add_line", target: "is_big" },
    { source: "is_big", handle: "yes", target: "count_big" }, { source: "is_big", handle: "default", target: "each_line" }, { source: "count_big", target: "each_line" },
    { source: "each_line", handle: "done", target: "which_size" }, { source: "which_size", handle: "large", target: "large" }, { source: "which_size", handle: "default", target: "small" },
    { source: "large", target: "save" }, { source: "small", target: "save" },
  ],
});

const BAND = "IF(amount >= 500, 'high', 'low')";
const bandFlow: FlowDef = flowSchema.parse({
  name: "band_rows", label: "Band rows", start: { type: "record", object: "bench_flow_row", when: "before_save", on: "create" },
  elements: [{ id: "band", label: "Band", type: "assignment", assignments: [{ target: "record.band", value: BAND.replaceAll("amount", "record.amount") }] }],
  edges: [{ source: "start", target: "band" }],
});

/** The same work as `cost_order`, written by hand. */
async function costOrderByHand(ql: ObjectQL, orderId: string) {
  const theOrder = (await ql.find(system, { object: "bench_order", filter: { field: "id", operator: "=", value: orderId }, limit: 1 })).records[0]!;
  const lines = (await ql.find(system, { object: "bench_line", filter: { field: "order_ref", operator: "=", value: orderId }, limit: 1000 })).records;
  let total = 0;
  let big = 0;
  for (const current of lines) {
    total += Number(current.qty) * Number(current.price);
    if (Number(current.qty) > 5) big += 1;
  }
  const size = total > 1000 ? "large" : "small";
  await ql.update(system, "bench_order", theOrder.id, { total, big_lines: big, size });
  return { total, big, size };
}

export async function runFlowBench(db: DataDatabase, driver: string, runs: number): Promise<void> {
  const registry = new ObjectRegistry(db);
  const all: ObjectDef[] = [];
  for (const object of [order, line, stamped(), stamped(BAND)]) {
    all.push(object);
    await syncObjectSchema(db, object, { allObjects: all, confirmDestructive: false, userId: "bench" });
  }
  await registry.reload();
  const published: PublishedFlow[] = [{ def: costOrder, version: 1 }, { def: bandFlow, version: 1 }];
  const { flows, ql } = await flowServiceOver(db, registry, { published: () => published });

  // 50 orders of 20 lines each; every run costs one of them (in turn).
  const orderIds: string[] = [];
  for (let index = 0; index < 50; index++) {
    const created = await ql.insert(system, "bench_order", { title: `Order ${index}` });
    orderIds.push(created.id);
    await ql.insertMany(system, "bench_line", Array.from({ length: 20 }, (_, n) => ({ order_ref: created.id, qty: (index + n) % 10, price: 3.5 + n })));
  }
  const byHand = await costOrderByHand(ql, orderIds[0]!);
  const byFlow = await flows.start("cost_order", { order_id: orderIds[0]! }, system);
  if (byFlow.state.status !== "finished" || JSON.stringify(byFlow.state.outputs) !== JSON.stringify(byHand)) {
    throw new Error(`bench flow: the flow and the code disagree: ${JSON.stringify(byFlow.state.outputs ?? byFlow.state.error)} vs ${JSON.stringify(byHand)}`);
  }
  let next = 0;
  const { a: engineMs, b: codeMs } = await compareMedians(
    () => flows.start("cost_order", { order_id: orderIds[next++ % orderIds.length]! }, system),
    () => costOrderByHand(ql, orderIds[next++ % orderIds.length]!),
    Math.max(runs * 10, 100),
    10,
  );
  const steps = (await flows.store.steps(byFlow.runId)).length;
  console.log(`bench flow ${driver} autolaunched runs_per_s=${Math.round(1000 / engineMs)} engine_ms=${formatMs(engineMs)} code_ms=${formatMs(codeMs)} ratio=${formatRatio(engineMs / codeMs)} steps_per_run=${steps}`);

  // Before save: 10,000 rows in batches of 1,000 (one insertMany each), a flow or a default formula setting `band`.
  const rows = Array.from({ length: 1000 }, (_, index) => ({ amount: (index * 37) % 1000 }));
  const check = await ql.insertMany(system, "bench_flow_row", rows.slice(0, 3));
  const banded = (await ql.find(system, { object: "bench_flow_row", filter: { field: "id", operator: "in", value: check.ids } })).records.map((record) => record.band);
  if (banded.some((band) => band !== "high" && band !== "low")) throw new Error(`bench flow: the before-save flow did not set band (${JSON.stringify(banded)})`);
  const insertTenThousand = (object: string) => async () => {
    for (let batch = 0; batch < 10; batch++) await ql.insertMany(system, object, rows);
  };
  const { a: flowMs, b: formulaMs } = await compareMedians(insertTenThousand("bench_flow_row"), insertTenThousand("bench_formula_row"), Math.max(3, Math.round(runs / 3)), 1);
  console.log(`bench flow ${driver} before_save rows=10000 flow_ms=${formatMs(flowMs)} formula_ms=${formatMs(formulaMs)} ratio=${formatRatio(flowMs / formulaMs)}`);
}
