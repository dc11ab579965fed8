import { recordsApi } from "@/server/api/rest/records-api";
import { restRoute } from "@/server/api/rest/rest-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = restRoute(recordsApi.get);
export const PATCH = restRoute(recordsApi.update);
export const DELETE = restRoute(recordsApi.remove);
/** POST .../records/bulk: create many (any other id: 404). */
export const POST = restRoute(recordsApi.createMany);
