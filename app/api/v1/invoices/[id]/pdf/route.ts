// GET /api/v1/invoices/{id}/pdf: the invoice PDF; invoices:read
import { getInvoicePdfOperation } from "@/lib/api-v1/invoices";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getInvoicePdfOperation);
