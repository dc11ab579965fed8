import "server-only";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createCaller } from "@/server/api/root";
import { describeError } from "@/server/api/trpc";
import { recordApiCall } from "@/server/audit/api-usage-log";
import type { CurrentUser } from "@/server/auth/options";
import { env } from "@/server/env";
import type { Issue } from "@/server/errors";
import { authenticateApiKey } from "@/server/security/api-keys";
import { clientInfo } from "@/server/security/client-info";
import { getServices, type Services } from "@/server/services";
import { RestInputError } from "./rest-input-error";
import { inputProblem, readBodyText } from "../input-guard";
import { queryStringIssues } from "./query-string";

/** What a REST handler works with: a tRPC caller acting as the key's user. */
export type RestContext = { caller: ReturnType<typeof createCaller>; user: CurrentUser; request: Request; url: URL };
export type RestResult = { status?: number; body: unknown };

function errorResponse(status: number, code: string, message: string, issues?: Issue[]) {
  return Response.json({ error: { code, message, ...(issues ? { issues } : {}) } }, { status });
}

/**
 * A REST route over the tRPC routers: authenticates `Authorization: Bearer <key>`, calls the
 * handler with a caller whose context user is the key's user (so every check the procedures
 * make applies), answers errors as JSON with the same message and issues tRPC gives and the
 * matching 4xx status, and records the call in the API usage log.
 */
export function restRoute<Params>(handler: RestHandler<Params>) {
  return async (request: Request, context: { params: Promise<Params> }): Promise<Response> =>
    serveRest(await getServices(), handler, request, await context.params);
}

/** A REST route's body; `queryParameters` names the query-string parameters it takes (none when absent). */
export type RestHandler<Params> = ((ctx: RestContext, params: Params) => Promise<RestResult>) & { queryParameters?: readonly string[] };

/** A handler that takes the query-string parameters `names`. */
export function withQueryParameters<Params>(names: readonly string[], handler: (ctx: RestContext, params: Params) => Promise<RestResult>): RestHandler<Params> {
  return Object.assign(handler, { queryParameters: names });
}

/** One REST call against the given services (restRoute's body; tests call it directly). */
export async function serveRest<Params>(services: Services, handler: RestHandler<Params>, request: Request, params: Params): Promise<Response> {
  const started = performance.now();
  const url = new URL(request.url);
  const auth = await authenticateApiKey(services.platformDb, request.headers.get("authorization"));
  let response: Response;
  if (!auth.ok) {
    response = errorResponse(401, "UNAUTHORIZED", auth.message);
    response.headers.set("WWW-Authenticate", 'Bearer realm="objectstudio"');
  } else {
    response = await answer(handler, { caller: createCaller({ user: auth.user, services }), user: auth.user, request, url }, params);
  }
  await recordApiCall(services.platformDb, {
    apiKeyId: auth.key?.id ?? null,
    keyPrefix: auth.key?.prefix ?? null,
    userId: auth.key?.userId ?? null,
    method: request.method,
    path: url.pathname,
    status: response.status,
    durationMs: performance.now() - started,
    ip: clientInfo(request.headers, env.TRUSTED_PROXY_HOPS).ip,
  });
  return response;
}

async function answer<Params>(handler: RestHandler<Params>, ctx: RestContext, params: Params) {
  try {
    const queryIssues = queryStringIssues(ctx.url, handler.queryParameters ?? []);
    if (queryIssues.length > 0) throw new RestInputError(queryIssues);
    const result = await handler(ctx, params);
    return Response.json(result.body, { status: result.status ?? 200 });
  } catch (error) {
    if (error instanceof RestInputError) return errorResponse(error.status, error.status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", error.message, error.issues);
    if (error instanceof TRPCError) {
      const status = getHTTPStatusCodeFromError(error);
      if (status >= 500) console.error(error);
      const { message, issues } = describeError(error);
      return errorResponse(status, error.code, message, issues);
    }
    console.error(error);
    return errorResponse(500, "INTERNAL_SERVER_ERROR", "Internal error: the server logged the details");
  }
}

/**
 * The JSON body, which must be an object: at most MAX_REQUEST_BODY_BYTES of valid UTF-8, and
 * passing the input guard (depth, `__proto__`, text), whose issues name the path in the body.
 */
export async function jsonBody(request: Request): Promise<Record<string, unknown>> {
  const body = await readBodyText(request);
  if (!body.ok) throw new RestInputError([{ path: ["body"], message: body.message }], body.status);
  let value: unknown;
  try {
    value = JSON.parse(body.text);
  } catch (error) {
    throw new RestInputError([{ path: ["body"], message: `must be JSON (${error instanceof Error ? error.message : "unreadable"})` }]);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new RestInputError([{ path: ["body"], message: "must be a JSON object" }]);
  }
  const problem = inputProblem(value);
  if (problem) throw new RestInputError([problem]);
  return value as Record<string, unknown>;
}
