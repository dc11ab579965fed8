import { sql } from "kysely";
import { getServices } from "@/server/services";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** Liveness and database status: 200 when the database answers, 503 otherwise. */
export async function GET() {
  const started = performance.now();
  try {
    const services = await getServices();
    await sql`select 1`.execute(services.dataDb.kysely);
    return Response.json({
      status: "ok",
      app: { name: "objectstudio", version: process.env.npm_package_version ?? "0.1.0" },
      database: { status: "ok", dialect: services.dialect, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
    });
  } catch (error) {
    console.error("health check failed", error);
    return Response.json(
      { status: "error", app: { name: "objectstudio" }, database: { status: "error", message: "database unreachable" } },
      { status: 503 },
    );
  }
}
