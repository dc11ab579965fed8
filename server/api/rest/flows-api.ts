import "server-only";
import { jsonBody, type RestHandler } from "./rest-route";

/**
 * REST for flows: start a published autolaunched flow as the key's user (same checks as tRPC
 * `flows.run`); publish a platform event (admins' keys, as tRPC `flows.publishEvent`).
 */
export const flowsApi = {
  /** POST /api/v1/flows/{flow}/run with `{ "inputs": { ... } }`: the run's id, status, outputs and error. */
  run: (async ({ caller, request }, { flow }) => {
    const body = await jsonBody(request);
    return { body: await caller.flows.run({ flow, inputs: body.inputs as Record<string, unknown> | undefined }) };
  }) satisfies RestHandler<{ flow: string }>,
  /** POST /api/v1/events/{event} with `{ "key": "...", "payload": ... }`: how many waiting runs it woke. */
  publishEvent: (async ({ caller, request }, { event }) => {
    const body = await jsonBody(request);
    return { body: await caller.flows.publishEvent({ event, key: body.key as string | undefined, payload: body.payload }) };
  }) satisfies RestHandler<{ event: string }>,
};
