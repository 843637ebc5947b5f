// GET /api/v1/quotations/{id}/pdf: the quotation as PDF; orders:read
import { routeHandler } from "@/lib/api-v1/operation";
import { getQuotationPdf } from "@/lib/api-v1/quotations";

export const GET = routeHandler(getQuotationPdf);
