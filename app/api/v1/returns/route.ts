// GET /api/v1/returns: returns in cursor pages, a customer key's company's or (staff) every company's; orders:read
import { routeHandler } from "@/lib/api-v1/operation";
import { listReturnsOperation } from "@/lib/api-v1/returns";

export const GET = routeHandler(listReturnsOperation);
