// GET /api/v1/credit-notes: credit notes, cursor pages (a customer key: its company's); invoices:read
import { listCreditNotesOperation } from "@/lib/api-v1/credit-notes";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(listCreditNotesOperation);
