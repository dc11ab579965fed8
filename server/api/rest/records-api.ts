import "server-only";
import { TRPCError } from "@trpc/server";
import { LIST_PARAMETERS, listQuery } from "./list-query";
import { jsonBody, withQueryParameters, type RestHandler } from "./rest-route";
import { RestInputError } from "./rest-input-error";

type ObjectParams = { object: string };
type RecordParams = { object: string; id: string };

/**
 * The REST API (/api/v1), each route one call into the tRPC data router as the key's user:
 * the router validates input and applies every permission check, here as for the apps.
 */
export const recordsApi = {
  /** GET /api/v1/objects/{object}: the published definition (fields, labels, types). */
  describe: (async ({ caller }, { object }) => ({ body: await caller.data.describe({ object }) })) satisfies RestHandler<ObjectParams>,

  /** GET /api/v1/objects/{object}/records?filter=&sort=&select=&search=&limit=&offset=&cursor=&total= */
  list: withQueryParameters<ObjectParams>(LIST_PARAMETERS, async ({ caller, url }, { object }) => ({
    body: await caller.data.find(listQuery(object, url.searchParams) as Parameters<typeof caller.data.find>[0]),
  })),

  /** POST /api/v1/objects/{object}/records with the field values as the JSON body. */
  create: (async ({ caller, request }, { object }) => ({
    status: 201,
    body: await caller.data.create({ object, values: await jsonBody(request) }),
  })) satisfies RestHandler<ObjectParams>,

  /**
   * POST /api/v1/objects/{object}/records/bulk with `{ "records": [ {values}, ... ] }`: creates all
   * of them or none (201 with their ids in order); issues name the row (`records.3.amount`).
   * (A POST to any other record path is a 404.)
   */
  createMany: (async ({ caller, request, url }, { object, id }) => {
    if (id !== "bulk") throw new TRPCError({ code: "NOT_FOUND", message: `No API route POST ${url.pathname}: to create many records POST to /api/v1/objects/${object}/records/bulk` });
    const body = await jsonBody(request);
    const unknown = Object.keys(body).filter((key) => key !== "records");
    if (unknown.length > 0) throw new RestInputError(unknown.map((key) => ({ path: [key], message: 'unknown property: the body is { "records": [ ... ] }' })));
    if (!Array.isArray(body.records)) throw new RestInputError([{ path: ["records"], message: "must be an array of records (each an object of field values)" }]);
    return { status: 201, body: await caller.data.createMany({ object, records: body.records as Record<string, unknown>[] }) };
  }) satisfies RestHandler<RecordParams>,

  /** GET /api/v1/objects/{object}/records/{id} */
  get: (async ({ caller }, { object, id }) => ({ body: await caller.data.get({ object, id }) })) satisfies RestHandler<RecordParams>,

  /**
   * PATCH /api/v1/objects/{object}/records/{id} with the values to change. An `If-Unmodified-Since`
   * header holding the record's `updated_at` as read refuses the change (409) if it was edited since.
   */
  update: (async ({ caller, request }, { object, id }) => ({
    body: await caller.data.update({
      object,
      id,
      values: await jsonBody(request),
      expectedUpdatedAt: request.headers.get("if-unmodified-since") ?? undefined,
    }),
  })) satisfies RestHandler<RecordParams>,

  /** DELETE /api/v1/objects/{object}/records/{id} */
  remove: (async ({ caller }, { object, id }) => ({ body: await caller.data.delete({ object, id }) })) satisfies RestHandler<RecordParams>,

  /**
   * POST /api/v1/query with an ObjectQL query as the body: a find (records, nextCursor; total
   * with `withTotal: true`), or with `aggregate`/`groupBy` an aggregate (rows).
   */
  query: (async ({ caller, request }) => {
    const body = await jsonBody(request);
    if ("aggregate" in body || "groupBy" in body) {
      return { body: await caller.data.aggregate(body as Parameters<typeof caller.data.aggregate>[0]) };
    }
    return { body: await caller.data.find(body as Parameters<typeof caller.data.find>[0]) };
  }) satisfies RestHandler<Record<string, never>>,

  /** Any other path under /api/v1: a JSON 404 (after the key is checked, and logged like the rest). */
  notFound: (async ({ request, url }) => {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `No API route ${request.method} ${url.pathname}: see /api/v1/objects/{object}/records and /api/v1/query`,
    });
  }) satisfies RestHandler<{ path: string[] }>,
};
