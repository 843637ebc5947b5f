// GET, POST /api/v1/orders/{id}/shipments: the order's shipments and shipped/remaining per line (orders:read); staff keys ship (orders:write)
import { routeHandler } from "@/lib/api-v1/operation";
import { createShipmentOperation, listOrderShipmentsOperation } from "@/lib/api-v1/shipments";

export const GET = routeHandler(listOrderShipmentsOperation);
export const POST = routeHandler(createShipmentOperation);
