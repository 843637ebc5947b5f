// GET /api/v1/invoices: invoices with balances, cursor pages (a customer key: its company's); invoices:read
import { listInvoicesOperation } from "@/lib/api-v1/invoices";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(listInvoicesOperation);
