import { serveRest, type RestHandler } from "@/server/api/rest/rest-route";
import { recordsApi } from "@/server/api/rest/records-api";
import { serveTrpc } from "@/server/api/trpc-http";
import type { CurrentUser } from "@/server/auth/options";
import type { Harness } from "@/test/services-harness";

/**
 * The HTTP API as an outside client reaches it, for tests: tRPC requests through the real
 * endpoint handler (body limits, batching, the input guard, superjson, the routers) with the
 * session's user given directly, and REST requests through the real route bodies with an API key.
 * Answers come back as status and parsed JSON (or the text when it is not JSON).
 */
export type HttpAnswer = { status: number; body: unknown; text: string };

async function answerOf(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text, and tests that expect JSON fail on it
  }
  return { status: response.status, body, text };
}

export type TrpcRequest = {
  /** `data.find`, or `data.find,data.count` with `batch` */
  path: string;
  method?: "GET" | "POST";
  /** The raw query string after `?` (GET), or the raw body (POST); defaults from `input`. */
  rawQuery?: string;
  rawBody?: string | Uint8Array;
  input?: unknown;
  batch?: boolean;
  headers?: Record<string, string>;
};

export function trpcClient(h: Harness) {
  return async function trpc(user: CurrentUser | null, request: TrpcRequest): Promise<HttpAnswer> {
    const method = request.method ?? "POST";
    const envelope = request.batch ? { 0: { json: request.input } } : { json: request.input };
    const query = request.rawQuery ?? (method === "GET" ? `${request.batch ? "batch=1&" : ""}input=${encodeURIComponent(JSON.stringify(envelope))}` : request.batch ? "batch=1" : "");
    const url = `http://localhost/api/trpc/${request.path}${query ? `?${query}` : ""}`;
    const body = method === "POST" ? (request.rawBody ?? JSON.stringify(envelope)) : undefined;
    const headers = { "content-type": "application/json", ...request.headers };
    const response = await serveTrpc(new Request(url, { method, headers, body: body as BodyInit | undefined }), async () => ({ user, services: h.services }));
    return answerOf(response);
  };
}

/** The tRPC error of a single (unbatched) call's answer, or undefined when it succeeded. */
export function trpcError(answer: HttpAnswer): { message: string; data: { code: string; httpStatus: number; issues?: { path: (string | number)[]; message: string }[] } } | undefined {
  const body = answer.body as { error?: { json: never } } | undefined;
  return body?.error?.json;
}

type RestRoute = keyof typeof recordsApi;

export function restClient(h: Harness, key: () => string) {
  return async function rest(route: RestRoute, params: Record<string, unknown>, path: string, init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {}): Promise<HttpAnswer> {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${key()}`);
    if (init.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
    const request = new Request(`http://localhost${path}`, { method: init.method ?? "GET", headers, body: init.body as BodyInit | undefined });
    return answerOf(await serveRest(h.services, recordsApi[route] as RestHandler<unknown>, request, params));
  };
}

/** Text that would reveal the server's internals: stack frames, file paths, driver and runtime errors. */
export const INTERNALS = /\n\s+at |\/work\/|node_modules|\.tsx?:\d|SQLITE_|no such (column|table)|syntax error|relation "|violates|Cannot (read|destructure|convert)|is not a function|is not iterable|Maximum call stack|undefined is not|Unexpected end of JSON input in|Kysely|prisma|ECONN/i;
