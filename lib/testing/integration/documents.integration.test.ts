import { sql } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { afterAll, describe, expect, it } from "vitest";
import { formatMoney } from "@/lib/domain/money";
import { runMutation } from "@/lib/mutation";
import { closePdfPool } from "@/lib/pdf/render";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { documentPdf } from "@/lib/services/documents";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createProduct } from "@/lib/services/products";

setupTestDatabase();
afterAll(() => closePdfPool());

let n = 0;
const key = () => `doc-${Date.now()}-${n++}`;

async function text(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

describe("document PDFs", () => {
  it("renders quotation, invoice and credit note with the database's totals, once, for the owner and staff only", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const buyer = await actorByEmail("buyer@acme.test");
    const globex = await actorByEmail("buyer@globex.test");
    const sales = await actorByEmail("sales@demo.test");
    const p = await runMutation(createProduct, { actor: admin, request: request(), idempotencyKey: key() }, { sku: "DOC-1", name: "Documented widget", category: "Docs", basePrice: "12.35", taxRate: "19" });
    if (!p.ok) throw new Error(p.error);
    await runMutation(receiveStock, { actor: admin, request: request(), idempotencyKey: key() }, { productId: p.data.id, quantity: "50" });
    await runMutation(addToCart, { actor: buyer, request: request(), idempotencyKey: key() }, { productId: p.data.id, quantity: "7" });
    const q = await runMutation(submitCart, { actor: buyer, request: request(), idempotencyKey: key() }, {});
    if (!q.ok) throw new Error(q.error);

    const quotation = await documentPdf(buyer, "quotation", q.data.quotationId);
    expect(quotation?.cached).toBe(false);
    expect(quotation?.filename).toBe(`${q.data.number}.pdf`);
    const quotationText = await text(quotation!.pdf);
    // 7 × 12.35 = 86.45; tax 16.4255 → 16.43; total 102.88 — the same figure the database holds.
    const [stored] = await rows<{ total: string }>(sql`select total_minor::text as total from quotations where id = ${q.data.quotationId}`);
    expect(stored!.total).toBe("10288");
    expect(quotationText).toContain(q.data.number);
    expect(quotationText).toContain(formatMoney(10288n, "EUR"));
    expect(quotationText).toContain("DOC-1");
    expect((await documentPdf(sales, "quotation", q.data.quotationId))?.cached).toBe(true);
    expect(await documentPdf(globex, "quotation", q.data.quotationId)).toBeNull();
    expect(await documentPdf(buyer, "quotation", "not-a-uuid")).toBeNull();

    await runMutation(acceptQuotation, { actor: buyer, request: request(), idempotencyKey: key() }, { orderId: q.data.orderId });
    await runMutation(approveOrder, { actor: sales, request: request() }, { orderId: q.data.orderId });
    const [inv] = await rows<{ id: string; number: string }>(sql`select id, number from invoices where order_id = ${q.data.orderId}`);
    const invoice = await documentPdf(buyer, "invoice", inv!.id);
    const invoiceText = await text(invoice!.pdf);
    expect(invoiceText).toContain(inv!.number);
    expect(invoiceText).toContain(formatMoney(10288n, "EUR"));
    expect(await documentPdf(globex, "invoice", inv!.id)).toBeNull();

    const cancelled = await runMutation(cancelOrderByStaff, { actor: sales, request: request() }, { orderId: q.data.orderId, reason: "Customer changed plans" });
    if (!cancelled.ok) throw new Error(cancelled.error);
    const [cn] = await rows<{ id: string }>(sql`select id from credit_notes where order_id = ${q.data.orderId}`);
    const creditText = await text((await documentPdf(buyer, "credit_note", cn!.id))!.pdf);
    expect(creditText).toContain(cancelled.data.creditNoteNumber!);
    expect(creditText).toContain(`Cancels invoice ${inv!.number}`);
    expect(await documentPdf(globex, "credit_note", cn!.id)).toBeNull();
  }, 60_000);
});
