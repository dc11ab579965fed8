import { expect } from "vitest";
import { flowSchema, type FlowDef } from "@/spec/flow";
import { systemCtx, type Harness } from "@/server/objectql/test-support/fixtures";
import { flowMetadataIssues } from "../../flow-check";
import { runFlow, startFlowRun, type FlowEnvironment, type FlowStep, type FlowValue } from "../../runtime/flow-interpreter";

/** Publishes flows (after their publish check) and runs them over a harness's engine, collecting the steps. */
export function flowsOver(harness: Harness, extra: Partial<FlowEnvironment> = {}) {
  const published = new Map<string, FlowDef>();
  const env: FlowEnvironment = {
    objectql: harness.ql,
    objects: (name) => harness.registry.get(name),
    flows: (name) => (published.has(name) ? { def: published.get(name)!, version: 1 } : undefined),
    ...extra,
  };
  return {
    env,
    versions: (name: string) => published.get(name),
    /** Takes loosely typed input (tests build elements from parts); the schema parses it. */
    publish(input: unknown): FlowDef {
      const def = flowSchema.parse(input);
      expect(flowMetadataIssues(def, env.objects, (name) => published.get(name))).toEqual([]);
      published.set(def.name, def);
      return def;
    },
    async run(name: string, inputs: Record<string, FlowValue> = {}) {
      const steps: FlowStep[] = [];
      const state = startFlowRun(env.flows(name)!, systemCtx, inputs);
      await runFlow(state, env, (flowName) => published.get(flowName), { onStep: (step) => void steps.push(step) });
      return { state, steps, variables: state.frames[0]!.variables };
    },
  };
}
