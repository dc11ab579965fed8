import { afterEach, beforeEach, expect } from "vitest";
import { flowSchema, type FlowDef, type FlowInput } from "@/spec/flow";
import type { ObjectDef } from "@/spec/object";
import type { ObjectQL } from "@/server/objectql";
import { Harness } from "@/server/objectql/test-support/fixtures";
import type { DatabaseFactory, TestDatabase } from "@/server/objectql/test-support/test-databases";
import { flowMetadataIssues } from "../flow-check";
import type { PublishedFlow } from "../runtime/flow-interpreter";
import type { FlowService } from "../flow-service";
import { flowServiceOver } from "./flow-service-over";

/**
 * What the flow suites share: per test, a fresh database with the suite's objects, a FlowService
 * over it whose clock the test sets (`now`), the flows "published" so far and the log lines.
 * `publish` checks a flow as publishing would, gives it the next version and reloads.
 */
export class FlowTestBed {
  test!: TestDatabase;
  harness!: Harness;
  ql!: ObjectQL;
  flows!: FlowService;
  published: PublishedFlow[] = [];
  readonly logs: string[] = [];
  now = Date.parse("2026-12-07T10:00:00Z");
  readonly clock = () => new Date(this.now);

  /** Registers the per-test set-up and tear-down in the calling describe block. */
  static use(factory: DatabaseFactory, objects: ObjectDef[]): FlowTestBed {
    const bed = new FlowTestBed();
    beforeEach(async () => {
      bed.test = await factory.create();
      bed.harness = new Harness(bed.test.db);
      for (const object of objects) await bed.harness.sync(object);
      bed.published = [];
      bed.logs.length = 0;
      bed.now = Date.parse("2026-12-07T10:00:00Z");
      ({ flows: bed.flows, ql: bed.ql } = await bed.process());
    });
    afterEach(async () => {
      await bed.flows.stopWorker();
      await bed.test.cleanup();
    });
    return bed;
  }

  /** Another process's FlowService (and engine) over the same database and published flows. */
  process(): Promise<{ flows: FlowService; ql: ObjectQL }> {
    return flowServiceOver(this.test.db, this.harness.registry, { published: () => this.published, clock: this.clock, log: (message) => void this.logs.push(message) });
  }

  async publish(...defs: FlowDef[]): Promise<void> {
    for (const def of defs) {
      expect(flowMetadataIssues(def, (name) => this.harness.registry.get(name), (name) => this.published.find((entry) => entry.def.name === name)?.def)).toEqual([]);
      const version = (this.published.filter((entry) => entry.def.name === def.name).at(-1)?.version ?? 0) + 1;
      this.published = [...this.published.filter((entry) => entry.def.name !== def.name), { def, version }];
    }
    await this.flows.reload();
  }
}

/** A flow definition as publishing would parse it (defaults filled in). */
export function flow(input: FlowInput): FlowDef {
  return flowSchema.parse(input);
}
