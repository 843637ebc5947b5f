// GET /api/v1/credit-notes/{id}/pdf: the credit note PDF; invoices:read
import { getCreditNotePdfOperation } from "@/lib/api-v1/credit-notes";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getCreditNotePdfOperation);
