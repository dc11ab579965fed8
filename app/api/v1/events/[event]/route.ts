import { flowsApi } from "@/server/api/rest/flows-api";
import { restRoute } from "@/server/api/rest/rest-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const POST = restRoute(flowsApi.publishEvent);
