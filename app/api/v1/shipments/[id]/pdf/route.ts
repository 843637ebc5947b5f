// GET /api/v1/shipments/{id}/pdf: the delivery note PDF, staff or the order's company; orders:read
import { routeHandler } from "@/lib/api-v1/operation";
import { getShipmentPdfOperation } from "@/lib/api-v1/shipments";

export const GET = routeHandler(getShipmentPdfOperation);
