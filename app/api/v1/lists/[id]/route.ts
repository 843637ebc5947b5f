// GET /api/v1/lists/{id}: one of the company's lists with its lines (404 for another company's); orders:read
import { getListOperation } from "@/lib/api-v1/lists";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getListOperation);
