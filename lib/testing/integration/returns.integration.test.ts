import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getOrderDetail } from "@/db/queries/orders";
import { invoiceBalances } from "@/db/queries/invoice-balances";
import { listOrderReturns } from "@/db/queries/returns";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase, withOwner } from "@/lib/testing/helpers";
import { pgConstraint } from "@/lib/pg-error";
import { freshBuyer, testKey } from "@/lib/testing/invoices";
import type { Actor } from "@/lib/domain/actor";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { shipOrder } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createProduct } from "@/lib/services/products";
import { approveReturn, receiveReturn, rejectReturn, requestReturn } from "@/lib/services/returns";
import { documentPdf } from "@/lib/services/documents";
import { closePdfPool } from "@/lib/pdf/render";
import { pdfText } from "@/lib/testing/pdf-text";

setupTestDatabase();
afterAll(() => closePdfPool());

const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("ret") });
const one = async <T>(q: ReturnType<typeof sql>) => (await rows<T>(q))[0]!;

async function product(sku: string, price: string, stock: number) {
  const admin = await actorByEmail("admin@demo.test");
  const created = await runMutation(createProduct, as(admin), { sku, name: `Returned ${sku}`, category: "Returns test", basePrice: price, taxRate: "19", unit: "pcs" });
  if (!created.ok) throw new Error(JSON.stringify(created));
  await runMutation(receiveStock, as(admin), { productId: created.data.id, quantity: String(stock) });
  return created.data.id;
}

/** An approved order of a fresh company for these lines, shipped as given (quantity per line). */
async function shippedOrder(lines: [string, number][], ship: number[], who: string) {
  const buyer = await freshBuyer(null, { company: who, name: `${who} Buyer` });
  for (const [productId, quantity] of lines) {
    const r = await runMutation(addToCart, as(buyer), { productId, quantity: String(quantity) });
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  const q = await runMutation(submitCart, as(buyer), {});
  if (!q.ok) throw new Error(JSON.stringify(q));
  const accepted = await runMutation(acceptQuotation, as(buyer), { orderId: q.data.orderId });
  if (!accepted.ok) throw new Error(JSON.stringify(accepted));
  const sales = await actorByEmail("sales@demo.test");
  const approved = await runMutation(approveOrder, as(sales), { orderId: q.data.orderId });
  if (!approved.ok) throw new Error(JSON.stringify(approved));
  const shipped = await runMutation(shipOrder, as(sales), { orderId: q.data.orderId, carrier: "DHL", trackingNumber: "", lines: ship.map((quantity, i) => ({ lineNo: i + 1, quantity: String(quantity) })) });
  if (!shipped.ok) throw new Error(JSON.stringify(shipped));
  const invoice = await one<{ id: string; number: string; total_minor: string }>(sql`select id, number, total_minor::text from invoices where order_id = ${q.data.orderId}`);
  return { buyer, orderId: q.data.orderId, invoice };
}

const level = (productId: string) => one<{ on_hand: number; reserved: number }>(sql`select on_hand, reserved from inventory where product_id = ${productId}`);
/** Inventory equals the sum of its movements, for every product. */
const stockMismatches = () =>
  rows<{ product_id: string }>(sql`select i.product_id from inventory i
    left join (select product_id, sum(on_hand_delta) as oh, sum(reserved_delta) as rs from stock_movements group by product_id) m on m.product_id = i.product_id
    where i.on_hand <> coalesce(m.oh, 0) or i.reserved <> coalesce(m.rs, 0)`);
/** Order lines whose returns (not rejected) exceed what shipped of them. */
const overReturned = () =>
  rows<{ line_no: number }>(sql`select l.line_no from return_lines l join returns r on r.id = l.return_id and r.status <> 'rejected'
    group by l.quotation_id, l.line_no
    having sum(l.quantity) > (select coalesce(sum(s.quantity), 0) from shipment_lines s where s.quotation_id = l.quotation_id and s.line_no = l.line_no)`);
/** Invoices whose credit notes exceed their total. */
const overCredited = () =>
  rows<{ id: string }>(sql`select i.id from invoices i join credit_notes n on n.invoice_id = i.id group by i.id having sum(n.total_minor) > i.total_minor`);

describe("returns", () => {
  it("buyer requests a return of shipped goods, staff approve and receive it: stock back, a credit note for exactly those lines, the balance lowered", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await product(`RET-A-${Date.now()}`, "12.34", 100);
    const b = await product(`RET-B-${Date.now()}`, "5.00", 50);
    // A: 3 × 12.34 = 37.02 net, 7.03 tax (19 %); B: 4 × 5.00 = 20.00 net, 3.80 tax. Invoice 67.85.
    const { buyer, orderId, invoice } = await shippedOrder([[a, 3], [b, 4]], [3, 2], "Returner");
    expect(invoice.total_minor).toBe("6785");
    expect(await rows(sql`select line_no, net_minor::int as net, tax_minor::int as tax from invoice_lines where invoice_id = ${invoice.id} order by line_no`)).toEqual([
      { line_no: 1, net: 3702, tax: 703 },
      { line_no: 2, net: 2000, tax: 380 },
    ]);
    expect(await level(a)).toEqual({ on_hand: 97, reserved: 0 });
    expect(await level(b)).toEqual({ on_hand: 48, reserved: 2 });

    // Only shipped goods; problems next to their fields; nothing written.
    expect(await runMutation(requestReturn, as(buyer), { orderId, reason: "Damaged", lines: [{ lineNo: 1, quantity: "4" }, { lineNo: 2, quantity: "3" }] })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: {
        return_1: ["Line 1: at most 3 pcs can be returned (3 shipped, 0 already being returned)."],
        return_2: ["Line 2: at most 2 pcs can be returned (2 shipped, 0 already being returned)."],
      },
    });
    expect(await runMutation(requestReturn, as(buyer), { orderId, reason: " ", lines: [{ lineNo: 1, quantity: "1" }] })).toMatchObject({ ok: false, fieldErrors: { reason: [expect.any(String)] } });
    expect(await runMutation(requestReturn, as(buyer), { orderId, reason: "Damaged", lines: [{ lineNo: 1, quantity: "0" }] })).toMatchObject({ ok: false, error: "Enter a quantity to return for at least one line." });
    // Staff do not request returns; another company does not see the order.
    expect(await runMutation(requestReturn, as(sales), { orderId, reason: "Damaged", lines: [{ lineNo: 1, quantity: "1" }] })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runMutation(requestReturn, as(await actorByEmail("buyer@globex.test")), { orderId, reason: "Damaged", lines: [{ lineNo: 1, quantity: "1" }] })).toMatchObject({ ok: false, code: "not_found" });
    expect(await one(sql`select count(*)::int as n from returns where order_id = ${orderId}`)).toEqual({ n: 0 });

    const requested = await runMutation(requestReturn, as(buyer), { orderId, reason: "Damaged in transit", lines: [{ lineNo: 1, quantity: "2" }, { lineNo: 2, quantity: "1" }] });
    expect(requested).toMatchObject({ ok: true, data: { status: "requested", number: expect.stringMatching(/^RET-\d{4}-\d{6}$/), units: 3 } });
    if (!requested.ok) return;
    // What is already being returned counts against the next request.
    expect(await runMutation(requestReturn, as(buyer), { orderId, reason: "More", lines: [{ lineNo: 1, quantity: "2" }] })).toMatchObject({
      ok: false,
      fieldErrors: { return_1: ["Line 1: at most 1 pcs can be returned (3 shipped, 2 already being returned)."] },
    });
    // The buyer cannot approve or receive; receiving before approval is refused.
    expect(await runMutation(approveReturn, as(buyer), { returnId: requested.data.returnId })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runMutation(receiveReturn, as(sales), { returnId: requested.data.returnId })).toMatchObject({ ok: false, code: "conflict" });

    expect(await runMutation(approveReturn, as(sales), { returnId: requested.data.returnId })).toMatchObject({ ok: true, data: { status: "approved" } });
    expect(await runMutation(approveReturn, as(sales), { returnId: requested.data.returnId })).toMatchObject({ ok: false, code: "conflict" });
    const received = await runMutation(receiveReturn, as(sales), { returnId: requested.data.returnId });
    // A: 2/3 of 37.02 + 7.03 = 24.68 + 4.69; B: 1/4 of 20.00 + 3.80 = 5.00 + 0.95. 35.32 in all.
    expect(received).toMatchObject({ ok: true, data: { status: "received", creditNoteNumber: expect.stringMatching(/^CN-\d{4}-\d{6}$/), creditNoteTotalMinor: "3532" } });
    if (!received.ok) return;
    expect(await rows(sql`select line_no, quantity, unit_price_minor::int as price, net_minor::int as net, tax_minor::int as tax, total_minor::int as total
      from credit_note_lines where credit_note_id = ${received.data.creditNoteId} order by line_no`)).toEqual([
      { line_no: 1, quantity: 2, price: 1234, net: 2468, tax: 469, total: 2937 },
      { line_no: 2, quantity: 1, price: 500, net: 500, tax: 95, total: 595 },
    ]);
    expect(await one(sql`select subtotal_minor::int as sub, tax_minor::int as tax, total_minor::int as total, invoice_id from credit_notes where id = ${received.data.creditNoteId}`)).toEqual({ sub: 2968, tax: 564, total: 3532, invoice_id: invoice.id });
    expect(await runMutation(receiveReturn, as(sales), { returnId: requested.data.returnId })).toMatchObject({ ok: false, code: "conflict" });

    // The credit note's PDF lists exactly the returned lines and their total; another company gets nothing.
    const pdf = await documentPdf(buyer, "credit_note", received.data.creditNoteId);
    const text = (await pdfText(pdf!.pdf)).replace(/\s+/g, " ");
    expect(text).toContain(received.data.creditNoteNumber);
    expect(text).toContain(`Credits returned goods of invoice ${invoice.number}`);
    expect(text).toContain(`Reason: Return ${requested.data.number}: Damaged in transit.`);
    expect(text).toContain("35.32");
    expect(text).toContain("24.68");
    expect(text).not.toContain("37.02");
    expect(await documentPdf(await actorByEmail("buyer@globex.test"), "credit_note", received.data.creditNoteId)).toBeNull();

    // Stock back on hand (a "return" movement per line); the reservation of B's backorder untouched.
    expect(await level(a)).toEqual({ on_hand: 99, reserved: 0 });
    expect(await level(b)).toEqual({ on_hand: 49, reserved: 2 });
    expect(await rows(sql`select product_id, on_hand_delta, reserved_delta from stock_movements where kind = 'return' and reference_id = ${requested.data.returnId} order by product_id`)).toEqual(
      [{ product_id: a, on_hand_delta: 2, reserved_delta: 0 }, { product_id: b, on_hand_delta: 1, reserved_delta: 0 }].sort((x, y) => (x.product_id < y.product_id ? -1 : 1)),
    );
    expect(await stockMismatches()).toEqual([]);

    // The invoice stays open; what it asks is lowered by the credit note, in the balances and the receivables rollup.
    const [balance] = await invoiceBalances(db, { invoiceIds: [invoice.id], counting: "verified" });
    expect(balance).toMatchObject({ status: "open", totalMinor: 6785n, creditedMinor: 3532n, paidMinor: 0n, outstandingMinor: 3253n });
    expect(await one(sql`select outstanding_minor::int as o from receivable_balances where invoice_id = ${invoice.id}`)).toEqual({ o: 3253 });

    // Visible to the buyer with its steps, on the timeline, audited and announced.
    const listed = await listOrderReturns(db, { orderId, companyId: buyer.companyId });
    expect(listed.map((r) => [r.number, r.status, r.reason, r.creditNoteNumber, r.creditNoteTotalMinor, r.requestedByName, r.decidedByName, r.receivedByName, r.lines.map((l) => [l.lineNo, l.quantity])])).toEqual([
      [requested.data.number, "received", "Damaged in transit", received.data.creditNoteNumber, 3532n, "Returner Buyer", sales.name, sales.name, [[1, 2], [2, 1]]],
    ]);
    expect(await listOrderReturns(db, { orderId, companyId: (await actorByEmail("buyer@globex.test")).companyId! })).toEqual([]);
    const detail = await getOrderDetail(db, buyer, orderId);
    expect(detail?.timeline.filter((t) => t.event === "return").map((t) => t.note)).toEqual([
      `${requested.data.number} requested: 3 units (Damaged in transit)`,
      `${requested.data.number} approved: send the goods back`,
      `${requested.data.number} received: stock back, credit note ${received.data.creditNoteNumber}`,
    ]);
    // (The buyer's refused approval is audited as denied.)
    expect(await rows(sql`select action, outcome::text from audit_events where company_id = ${buyer.companyId} and (action like 'return.%' or action = 'credit_note.issue') order by id`)).toEqual([
      { action: "return.request", outcome: "success" },
      { action: "return.approve", outcome: "denied" },
      { action: "return.approve", outcome: "success" },
      { action: "return.receive", outcome: "success" },
      { action: "credit_note.issue", outcome: "success" },
    ]);
    expect(await rows(sql`select type from outbox_events where company_id = ${buyer.companyId} and (type like 'return.%' or type = 'credit_note.issued') order by occurred_at, type`)).toEqual([
      // One transaction's events share occurred_at (and their ids are random): within it, by type.
      { type: "return.requested" },
      { type: "return.status_changed" },
      { type: "credit_note.issued" },
      { type: "return.received" },
    ]);
  });

  it("a rejected return does not count: the same goods can be requested again", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await product(`RET-R-${Date.now()}`, "10.00", 10);
    const { buyer, orderId } = await shippedOrder([[a, 2]], [2], "Rejectee");
    const first = await runMutation(requestReturn, as(buyer), { orderId, reason: "Wrong colour", lines: [{ lineNo: 1, quantity: "2" }] });
    if (!first.ok) throw new Error(JSON.stringify(first));
    expect(await runMutation(requestReturn, as(buyer), { orderId, reason: "Again", lines: [{ lineNo: 1, quantity: "1" }] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await runMutation(rejectReturn, as(sales), { returnId: first.data.returnId, reason: "" })).toMatchObject({ ok: false, fieldErrors: { reason: [expect.any(String)] } });
    expect(await runMutation(rejectReturn, as(sales), { returnId: first.data.returnId, reason: "Custom-made goods cannot be returned" })).toMatchObject({ ok: true, data: { status: "rejected" } });
    expect(await runMutation(approveReturn, as(sales), { returnId: first.data.returnId })).toMatchObject({ ok: false, code: "conflict" });
    // Nothing moved, nothing credited.
    expect(await level(a)).toEqual({ on_hand: 8, reserved: 0 });
    expect(await one(sql`select count(*)::int as n from credit_notes where order_id = ${orderId}`)).toEqual({ n: 0 });
    // The database refuses to bring a rejected return back to life.
    await withOwner(async (owner) => {
      const error = await owner.execute(sql`update returns set status = 'requested', decided_at = null, decided_by = null, rejection_reason = null where id = ${first.data.returnId}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
    });
    const second = await runMutation(requestReturn, as(buyer), { orderId, reason: "Wrong colour, second try", lines: [{ lineNo: 1, quantity: "2" }] });
    expect(second).toMatchObject({ ok: true, data: { status: "requested", units: 2 } });
  });

  it("parallel requests for the same shipped goods: never more returned than shipped (checked in SQL), the database guard backs the service", async () => {
    const a = await product(`RET-P-${Date.now()}`, "3.00", 20);
    const { buyer, orderId } = await shippedOrder([[a, 5]], [5], "Racer");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => runMutation(requestReturn, as(buyer), { orderId, reason: `Parallel ${i}`, lines: [{ lineNo: 1, quantity: "2" }] })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && (r.code === "validation_failed" || r.code === "conflict"))).toBe(true);
    expect(await one(sql`select sum(l.quantity)::int as n from return_lines l join returns r on r.id = l.return_id where r.order_id = ${orderId}`)).toEqual({ n: 4 });
    expect(await overReturned()).toEqual([]);

    // Past the service, straight into the table: the constraint trigger refuses it.
    const ret = await one<{ id: string; quotation_id: string }>(sql`select id, quotation_id from returns where order_id = ${orderId} limit 1`);
    const error = await db
      .execute(
        sql`with r as (insert into returns (number, order_id, company_id, quotation_id, reason) values (${`RET-X-${Date.now()}`}, ${orderId}, ${buyer.companyId}, ${ret.quotation_id}, 'x') returning id)
            insert into return_lines (return_id, quotation_id, line_no, product_id, quantity) select r.id, ${ret.quotation_id}, 1, ${a}, 2 from r`,
      )
      .catch((e: unknown) => e);
    expect(pgConstraint(error)).toBe("return_lines_within_shipped");
    expect(await overReturned()).toEqual([]);
  });

  it("returning everything credits exactly the invoice total, over several returns; the database never lets credit notes exceed it", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await product(`RET-F-${Date.now()}`, "1.01", 10);
    // 2 × 1.01 = 2.02 net, 0.38 tax: 2.40.
    const { buyer, orderId, invoice } = await shippedOrder([[a, 2]], [2], "Full Returner");
    expect(invoice.total_minor).toBe("240");
    const totals: string[] = [];
    for (const reason of ["First", "Second"]) {
      const r = await runMutation(requestReturn, as(buyer), { orderId, reason, lines: [{ lineNo: 1, quantity: "1" }] });
      if (!r.ok) throw new Error(JSON.stringify(r));
      await runMutation(approveReturn, as(sales), { returnId: r.data.returnId });
      const got = await runMutation(receiveReturn, as(sales), { returnId: r.data.returnId });
      if (!got.ok) throw new Error(JSON.stringify(got));
      totals.push(got.data.creditNoteTotalMinor);
    }
    // 1.01 + 0.19 (half up), then the rest: 1.01 + 0.19.
    expect(totals).toEqual(["120", "120"]);
    const [balance] = await invoiceBalances(db, { invoiceIds: [invoice.id], counting: "verified" });
    expect(balance).toMatchObject({ status: "open", creditedMinor: 240n, outstandingMinor: 0n });
    expect(await one(sql`select count(*)::int as n from receivable_balances where invoice_id = ${invoice.id}`)).toEqual({ n: 0 });
    expect(await level(a)).toEqual({ on_hand: 10, reserved: 0 });
    expect(await stockMismatches()).toEqual([]);

    const error = await db
      .execute(sql`insert into credit_notes (number, invoice_id, order_id, company_id, issue_date, currency, subtotal_minor, tax_minor, total_minor, reason, return_id)
        select ${`CN-X-${Date.now()}`}, i.id, i.order_id, i.company_id, i.issue_date, i.currency, 1, 0, 1, 'one cent too many', r.id
        from invoices i, returns r where i.id = ${invoice.id} and r.order_id = i.order_id and r.reason = 'First'`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(await overCredited()).toEqual([]);
  });
});
