import "server-only";
import { jsonBody, type RestHandler } from "./rest-route";

/** REST for flows: start a published autolaunched flow as the key's user (same checks as tRPC `flows.run`). */
export const flowsApi = {
  /** POST /api/v1/flows/{flow}/run with `{ "inputs": { ... } }`: the run's id, status, outputs and error. */
  run: (async ({ caller, request }, { flow }) => {
    const body = await jsonBody(request);
    return { body: await caller.flows.run({ flow, inputs: body.inputs as Record<string, unknown> | undefined }) };
  }) satisfies RestHandler<{ flow: string }>,
};
