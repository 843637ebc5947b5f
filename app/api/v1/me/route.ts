// GET /api/v1/me: who the API key acts as, its scopes and rate limits; any valid key
import { apiV1 } from "@/lib/api-v1/auth";
import { describeCaller } from "@/lib/api-v1/me";

export function GET(request: Request) {
  return apiV1(request, null, describeCaller);
}
