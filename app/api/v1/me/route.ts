// GET /api/v1/me: who the API key acts as, its scopes and rate limits; any valid key
import { describeCaller } from "@/lib/api-v1/me";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(describeCaller);
