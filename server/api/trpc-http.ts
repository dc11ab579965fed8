import "server-only";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_BATCH_CALLS } from "@/spec/api-limits";
import { appRouter } from "./root";
import { createContext, type Context } from "./trpc";
import { readBodyText } from "./input-guard";

/**
 * The tRPC endpoint (`/api/trpc/...`) with the limits every request meets before a procedure
 * runs: a JSON body of at most MAX_REQUEST_BODY_BYTES in valid UTF-8, and at most
 * MAX_BATCH_CALLS procedures per batch. The decoded input is then checked by the router's
 * transformer (server/api/trpc.ts: depth, `__proto__`, text). Refusals travel as ordinary tRPC
 * errors, so the client shows them like any other 4xx.
 */
export function serveTrpc(request: Request, makeContext: () => Promise<Context> = createContext): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: guardedRequest(request),
    router: appRouter,
    // Queries may be POSTed too: a long filter (thousands of values) does not fit in a URL.
    allowMethodOverride: true,
    createContext: async ({ info }) => {
      if (info.calls.length > MAX_BATCH_CALLS) {
        throw new TRPCError({ code: "BAD_REQUEST", message: `A batch may call at most ${MAX_BATCH_CALLS} procedures (this one calls ${info.calls.length})` });
      }
      return makeContext();
    },
  });
}

/**
 * The request as tRPC sees it: the same URL, method and headers, no body of its own, and a
 * `json()` that reads the original body within the size limit. tRPC reads JSON bodies only
 * through `json()`; a body of another type (multipart, octet-stream) is never read at all.
 */
function guardedRequest(original: Request): Request {
  const request = new Request(original.url, { method: original.method, headers: original.headers, signal: original.signal });
  Object.defineProperty(request, "json", {
    value: async () => {
      const body = await readBodyText(original);
      if (!body.ok) throw new TRPCError({ code: body.status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST", message: body.message });
      if (body.text.trim() === "") return undefined;
      try {
        return JSON.parse(body.text) as unknown;
      } catch (error) {
        throw new TRPCError({ code: "PARSE_ERROR", message: `The request body is not JSON (${error instanceof SyntaxError ? error.message : "unreadable"})` });
      }
    },
  });
  return request;
}
