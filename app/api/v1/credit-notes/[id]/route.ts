// GET /api/v1/credit-notes/{id}: credit note with its lines; invoices:read
import { getCreditNoteOperation } from "@/lib/api-v1/credit-notes";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getCreditNoteOperation);
