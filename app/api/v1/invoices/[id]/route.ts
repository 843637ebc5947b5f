// GET /api/v1/invoices/{id}: invoice with lines, balance due, payments allocated and credit notes; invoices:read
import { getInvoiceOperation } from "@/lib/api-v1/invoices";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getInvoiceOperation);
