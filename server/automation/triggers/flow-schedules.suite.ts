import { describe, expect, it } from "vitest";
import type { FlowDef } from "@/spec/flow";
import { defineObject, systemCtx } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory } from "@/server/objectql/test-support/test-databases";
import { FlowScheduleStore } from "./flow-schedules";
import { FlowTestBed, flow } from "../test-support/flow-test-bed";

/**
 * Scheduled flows: a published schedule fires at its ticks in its time zone, once per tick
 * whatever number of processes look, once for ticks missed while every process was down, and
 * over records: one run per record its filter selects. A tick that cannot fire leaves a failed
 * run saying why and does not block the next. SQLite (unit), PostgreSQL and MariaDB (int).
 */

const deal = defineObject({
  name: "deal",
  label: "Deal",
  pluralLabel: "Deals",
  fields: [
    { id: "d1", name: "title", label: "Title", type: "text", required: true },
    { id: "d2", name: "stage", label: "Stage", type: "select", options: [{ value: "open", label: "Open" }, { value: "won", label: "Won" }] },
    { id: "d3", name: "nudges", label: "Nudges", type: "number" },
  ],
});
const note = defineObject({
  name: "note",
  label: "Note",
  pluralLabel: "Notes",
  fields: [{ id: "n1", name: "text", label: "Text", type: "text", required: true }],
});

/** Every quarter of an hour: writes a note. */
const quarterly = flow({
  name: "quarterly",
  label: "Every quarter hour",
  start: { type: "scheduled", cron: "*/15 * * * *", timezone: "UTC" },
  elements: [{ id: "write", label: "Write a note", type: "create_record", object: "note", values: [{ field: "text", value: "'tick'" }] }],
  edges: [{ source: "start", target: "write" }],
});

/** Every morning: nudges each open deal. */
const nudgeOpenDeals = flow({
  name: "nudge_open_deals",
  label: "Nudge open deals",
  start: { type: "scheduled", cron: "0 8 * * *", timezone: "America/New_York", object: "deal", filter: { field: "stage", operator: "=", value: "open" } },
  elements: [{ id: "nudge", label: "Nudge", type: "update_records", record: "record", values: [{ field: "nudges", value: "BLANKVALUE(record.nudges, 0) + 1" }] }],
  edges: [{ source: "start", target: "nudge" }],
});

export function defineFlowSchedulesSuite(factory: DatabaseFactory): void {
  describe(`scheduled flows (${factory.dialect})`, () => {
    const bed = FlowTestBed.use(factory, [deal, note]);
    const notes = async () => (await bed.ql.count(systemCtx, { object: "note" }));
    const schedules = () => new FlowScheduleStore(bed.test.db, bed.clock).list();

    it("fires at each tick of its schedule, once, and once for ticks missed while no process looked", async () => {
      await bed.publish(quarterly);
      expect(await schedules()).toEqual([{ flow: "quarterly", cron: "*/15 * * * *", timezone: "UTC", nextAt: "2026-12-07T10:15:00.000Z", lastFiredAt: null }]);
      bed.now = Date.parse("2026-12-07T10:14:59Z");
      expect(await bed.flows.fireDueSchedules()).toBe(0);
      bed.now = Date.parse("2026-12-07T10:15:00Z");
      expect(await bed.flows.fireDueSchedules()).toBe(1);
      expect(await bed.flows.fireDueSchedules()).toBe(0); // the tick is taken
      await bed.flows.drain();
      expect(await notes()).toBe(1);
      // Every process down from 10:20 to 11:07: the missed ticks fire once, then the next is 11:15.
      bed.now = Date.parse("2026-12-07T11:07:00Z");
      expect(await bed.flows.fireDueSchedules()).toBe(1);
      expect((await schedules())[0]).toMatchObject({ nextAt: "2026-12-07T11:15:00.000Z", lastFiredAt: "2026-12-07T10:30:00.000Z" });
      await bed.flows.drain();
      expect(await notes()).toBe(2);
      const runs = await bed.flows.store.list({ flow: "quarterly" });
      expect(runs.map((run) => [run.trigger, run.status, run.startedBy])).toEqual([["scheduled", "finished", null], ["scheduled", "finished", null]]);
    });

    it("fires each tick in exactly one of several processes looking at once", async () => {
      await bed.publish(quarterly);
      const others = await Promise.all([1, 2, 3].map(() => bed.process()));
      bed.now = Date.parse("2026-12-07T10:15:00Z");
      const fired = await Promise.all([bed.flows, ...others.map((other) => other.flows)].map((service) => service.fireDueSchedules()));
      expect(fired.reduce((sum, count) => sum + count, 0)).toBe(1);
      await bed.flows.drain();
      expect(await notes()).toBe(1);
    });

    it("runs once per record its filter selects, in its time zone, as the system", async () => {
      const { ids } = await bed.ql.insertMany(systemCtx, "deal", [
        { title: "A", stage: "open" }, { title: "B", stage: "won" }, { title: "C", stage: "open", nudges: 4 },
      ]);
      await bed.publish(nudgeOpenDeals);
      // 8:00 in New York in December is 13:00 UTC.
      expect((await schedules())[0]!.nextAt).toBe("2026-12-07T13:00:00.000Z");
      bed.now = Date.parse("2026-12-07T13:00:05Z");
      expect(await bed.flows.fireDueSchedules()).toBe(2);
      await bed.flows.drain();
      const nudges = (await bed.ql.find(systemCtx, { object: "deal", orderBy: [{ field: "title", direction: "asc" }] })).records.map((record) => [record.title, record.nudges]);
      expect(nudges).toEqual([["A", 1], ["B", null], ["C", 5]]);
      const runs = await bed.flows.store.list({ flow: "nudge_open_deals" });
      expect(runs.map((run) => [run.object, run.recordId, run.status]).sort()).toEqual([["deal", ids[0], "finished"], ["deal", ids[2], "finished"]].sort());
      expect((await schedules())[0]!.nextAt).toBe("2026-12-08T13:00:00.000Z");
    });

    it("follows a republished schedule, forgets an unpublished one, and records a tick that cannot fire", async () => {
      await bed.publish(quarterly);
      await bed.publish(flow({ ...quarterly, start: { type: "scheduled", cron: "0 * * * *", timezone: "Europe/Berlin" } }));
      expect((await schedules())[0]).toMatchObject({ cron: "0 * * * *", timezone: "Europe/Berlin", nextAt: "2026-12-07T11:00:00.000Z" });
      bed.published = [];
      await bed.flows.reload();
      expect(await schedules()).toEqual([]);

      // A filter the engine refuses (a field removed since publishing): a failed run says why, and the tick is used up.
      bed.published = [{ def: flow({ ...nudgeOpenDeals, start: { ...nudgeOpenDeals.start, filter: { field: "gone", operator: "=", value: 1 } } as FlowDef["start"] }), version: 1 }];
      await bed.flows.reload();
      bed.now = Date.parse("2026-12-07T13:00:00Z");
      expect(await bed.flows.fireDueSchedules()).toBe(0);
      const [failed] = await bed.flows.store.list({ flow: "nudge_open_deals" });
      expect(failed).toMatchObject({ trigger: "scheduled", status: "failed" });
      expect(failed!.error).toMatch(/^Schedule: .*gone/);
      expect(bed.logs.some((line) => line.includes("could not fire at 2026-12-07T13:00:00.000Z"))).toBe(true);
      expect(await bed.flows.fireDueSchedules()).toBe(0);
      expect(await bed.flows.store.list({ flow: "nudge_open_deals" })).toHaveLength(1);
    });
  });
}
