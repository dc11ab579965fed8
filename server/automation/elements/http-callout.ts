import { randomUUID } from "node:crypto";
import { templateParts } from "@/formula/flow-expressions";
import type { FlowElement } from "@/spec/flow";
import { outboundRequestWithRetry, parseOutboundUrl, type OutboundPolicy } from "@/server/http/outbound";
import type { FlowValue } from "../runtime/flow-interpreter";
import { atJsonPath, valueForVariable, type ElementContext, type ElementOutcome } from "./element-context";

/**
 * The http_callout element: one HTTP request through the outbound guard (server/http/outbound.ts:
 * private addresses refused after DNS unless allow-listed, redirects re-checked, size and time
 * capped), retried after 5xx answers and network failures, its answer mapped into variables.
 * Any failure (a refused URL, a timeout, a 4xx/5xx when failOnHttpError, a value that does not
 * fit its variable) throws, so the element's fault path takes over with the message.
 * A callout is a side effect: flow-runner.ts saves the run just before it and just after it.
 */

type HttpCallout = Extract<FlowElement, { type: "http_callout" }>;

/** What the environment may set for callouts (FLOW_HTTP_ALLOW_HOSTS; tests inject lookups and sleeps). */
export type HttpCalloutSettings = OutboundPolicy & { baseDelayMs?: number; sleep?: (ms: number) => Promise<void> };

/** Most characters of a response body kept in a text variable and in the step log. */
const BODY_TEXT_LIMIT = 10_000;
const LOGGED_BODY = 2_000;

/** A JSON template: text kept, each merge field written as a JSON value; the result must parse. */
export async function renderJsonTemplate(template: string, evaluate: ElementContext["evaluate"]): Promise<string> {
  let out = "";
  for (const part of templateParts(template)) out += "text" in part ? part.text : JSON.stringify((await evaluate(part.expression)) ?? null);
  try {
    JSON.parse(out);
  } catch (error) {
    throw new Error(`body: the JSON template does not give valid JSON (${(error as Error).message})`);
  }
  return out;
}

export async function runHttpCallout(element: HttpCallout, context: ElementContext): Promise<ElementOutcome> {
  const settings: HttpCalloutSettings = context.env.http ?? { allowHosts: [] };
  const url = await context.render(element.url);
  // Checked before anything else, so a bad URL fails with its own message.
  parseOutboundUrl(url);
  const headers: Record<string, string> = {};
  for (const header of element.headers) {
    const value = await context.render(header.value);
    if (/[\r\n\0]/.test(value)) throw new Error(`headers: the value of '${header.name}' holds a line break`);
    headers[header.name.toLowerCase()] = value;
  }
  if (element.idempotencyKey) headers["idempotency-key"] = context.env.runId ? `${context.env.runId}:${context.seq}` : randomUUID();
  let body: string | undefined;
  if (element.bodyType === "json") {
    body = await renderJsonTemplate(element.body, context.evaluate);
    headers["content-type"] ??= "application/json";
  } else if (element.bodyType === "text") {
    body = await context.render(element.body);
    headers["content-type"] ??= "text/plain; charset=utf-8";
  }
  const response = await outboundRequestWithRetry(
    { method: element.method, url, headers, body, timeoutMs: element.timeoutMs },
    settings,
    { retries: element.retries, retryNonIdempotent: element.retryNonIdempotent, baseDelayMs: settings.baseDelayMs, sleep: settings.sleep },
  );
  const text = response.body.toString("utf8");
  const inputs = { method: element.method, url, ...(body !== undefined ? { body: body.slice(0, LOGGED_BODY) } : {}) };
  const outputs: Record<string, unknown> = { status: response.status, attempts: response.attempts, bytes: response.body.length, body: text.slice(0, LOGGED_BODY), ...(response.redirects ? { redirects: response.redirects, finalUrl: response.url } : {}) };
  if (element.failOnHttpError && response.status >= 400) {
    throw new Error(`${element.method} ${response.url} answered HTTP ${response.status}${response.attempts > 1 ? ` (after ${response.attempts} attempts)` : ""}: ${text.slice(0, 200)}`);
  }
  const changed: Record<string, FlowValue> = {};
  if (element.statusInto) changed[element.statusInto] = await valueForVariable(context, element.statusInto, response.status, "statusInto");
  if (element.bodyInto) changed[element.bodyInto] = await valueForVariable(context, element.bodyInto, text.slice(0, BODY_TEXT_LIMIT), "bodyInto");
  if (element.mappings.length > 0) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`mappings: the response of ${response.url} is not JSON (HTTP ${response.status}, ${response.headers["content-type"] ?? "no content type"})`);
    }
    for (const [index, mapping] of element.mappings.entries()) {
      changed[mapping.into] = await valueForVariable(context, mapping.into, atJsonPath(json, mapping.path) ?? null, `mappings.${index} (${mapping.path})`);
    }
  }
  return { handle: "next", inputs, outputs, changed };
}
