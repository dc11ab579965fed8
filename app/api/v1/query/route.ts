import { recordsApi } from "@/server/api/rest/records-api";
import { restRoute } from "@/server/api/rest/rest-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = restRoute(recordsApi.query);
