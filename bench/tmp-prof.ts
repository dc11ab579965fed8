import type { DataDatabase } from "@/server/db/data-db";
import { ObjectRegistry, type ObjectQL, type SecurityContext } from "@/server/objectql";
import { syncObjectSchema } from "@/server/objectql/schema/sync";
import { objectSchema, type ObjectDef } from "@/spec/object";
import { flowSchema, type FlowDef } from "@/spec/flow";
import { flowServiceOver } from "@/server/automation/test-support/flow-service-over";
import type { PublishedFlow } from "@/server/automation/runtime/flow-interpreter";
import { createDataDatabase } from "@/server/db/data-db";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

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


async function main() {
  const db = createDataDatabase(`file:${join(mkdtempSync(join(tmpdir(), "fp-")), "f.db")}`);
  const registry = new ObjectRegistry(db);
  const all: ObjectDef[] = [];
  for (const object of [order, line]) {
    all.push(object);
    await syncObjectSchema(db, object, { allObjects: all, confirmDestructive: false, userId: "bench" });
  }
  await registry.reload();
  const published: PublishedFlow[] = [{ def: costOrder, version: 1 }, { def: bandFlow, version: 1 }];
  const { flows, ql } = await flowServiceOver(db, registry, { published: () => published });
  const orderIds: string[] = [];
  for (let index = 0; index < 50; index++) {
    const created = await ql.insert(system, "bench_order", { title: `Order ${index}` });
    orderIds.push(created.id);
    await ql.insertMany(system, "bench_line", Array.from({ length: 20 }, (_, n) => ({ order_ref: created.id, qty: (index + n) % 10, price: 3.5 + n })));
  }
  const mode = process.argv[2] ?? "flow";
  for (let round = 0; round < 3; round++) {
    const t0 = performance.now();
    const n = 2000;
    for (let i = 0; i < n; i++) {
      if (mode === "flow") await flows.start("cost_order", { order_id: orderIds[i % 50]! }, system);
      else await costOrderByHand(ql, orderIds[i % 50]!);
    }
    console.log(mode, ((performance.now() - t0) / n).toFixed(3), "ms/run");
  }
}
void main();
