// GET, POST /api/v1/lists: the company's requisition lists (orders:read); create one, Idempotency-Key (orders:write)
import { createListOperation, listListsOperation } from "@/lib/api-v1/lists";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(listListsOperation);
export const POST = routeHandler(createListOperation);
