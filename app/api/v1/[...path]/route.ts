import { recordsApi } from "@/server/api/rest/records-api";
import { restRoute } from "@/server/api/rest/rest-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Anything under /api/v1 that is not a route answers JSON, like the routes do. */
const notFound = restRoute(recordsApi.notFound);
export { notFound as GET, notFound as POST, notFound as PATCH, notFound as PUT, notFound as DELETE };
