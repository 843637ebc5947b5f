// GET /api/health: liveness and database check for load balancers and the container HEALTHCHECK; public
import { db } from "@/db/client";
import { pingDatabase } from "@/db/queries/health";
import { apiError } from "@/lib/http/json";
import { logger } from "@/lib/logger";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await pingDatabase(db);
    return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    logger.error("health check: database unreachable", { error });
    return apiError("database_unreachable", "The database does not answer.", 503);
  }
}
