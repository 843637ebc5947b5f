// GET /api/health: liveness and database check for load balancers and the container HEALTHCHECK; public
import { sql } from "drizzle-orm";
import { db } from "@/db/client";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await db.execute(sql`select 1`);
    return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    logger.error("health check: database unreachable", { error });
    return Response.json({ status: "unavailable", code: "database_unreachable" }, { status: 503, headers: { "cache-control": "no-store" } });
  }
}
