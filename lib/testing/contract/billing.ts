import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { db } from "@/db/client";
import { recordDeliveryAttempt } from "@/db/queries/webhooks";
import { runMutation } from "@/lib/mutation";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import type { ContractScenario } from "@/lib/testing/api-contract";
import { actorByEmail, request, rows } from "@/lib/testing/helpers";
import { invoicedOrder } from "@/lib/testing/invoices";

// Contract scenarios for invoices, credit notes, payments and webhook endpoints (lib/api-v1/
// {invoices,credit-notes,payments,webhook-endpoints}.ts). The client checks every answer against the
// OpenAPI document; these assert what the answers say. The customer key acts as a buyer of Acme.

type Money = { amountMinor: string; currency: string };
type Invoice = { id: string; number: string; status: string; total: Money; balanceDue: Money; company: { name: string }; creditNotes: { id: string }[] };
type Page<T> = { data: T[]; nextCursor: string | null };
type Payment = { id: string; status: string; source: string; amount: Money; allocations: { invoiceId: string; amount: Money }[] };
type Problem = { code: string };

/** An Acme invoice of `price` (tax 0: the total is the price). */
async function acmeInvoice(price: string) {
  const buyer = await actorByEmail("buyer@acme.test");
  return invoicedOrder(price, { buyer: { ...buyer, companyId: buyer.companyId! } });
}

const today = () => new Date().toISOString().slice(0, 10);

export const scenarios: ContractScenario[] = [
  {
    name: "invoices: list, detail and PDF of Acme's invoice; another company's is a 404 for the customer key",
    async run({ customer, finance }) {
      const acme = await acmeInvoice("40.00");
      const other = await invoicedOrder("15.00");
      const list = await customer.call("listInvoices", { query: { limit: "100" } });
      expect(list.status).toBe(200);
      const page = list.body as Page<Invoice>;
      expect(page.data.map((i) => i.id)).toContain(acme.invoice.id);
      expect(page.data.map((i) => i.id)).not.toContain(other.invoice.id);
      expect(new Set(page.data.map((i) => i.company.name))).toEqual(new Set(["Acme Industrial Supply"]));

      const detail = await customer.call("getInvoice", { params: { id: acme.invoice.id } });
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({ id: acme.invoice.id, number: acme.invoice.number, status: "open", total: { amountMinor: "4000", currency: "EUR" }, balanceDue: { amountMinor: "4000" } });
      expect((await customer.call("getInvoice", { params: { id: other.invoice.id } })).status).toBe(404);
      expect((await finance.call("getInvoice", { params: { id: other.invoice.id } })).status).toBe(200);

      const pdf = await customer.call("getInvoicePdf", { params: { id: acme.invoice.id } });
      expect(pdf.status).toBe(200);
      expect(pdf.headers.get("content-type")).toBe("application/pdf");
      expect((pdf.body as Buffer).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    },
  },
  {
    name: "credit notes: cancelling the order credits the invoice; list, detail and PDF",
    async run({ customer }) {
      const acme = await acmeInvoice("25.00");
      const sales = await actorByEmail("sales@demo.test");
      const cancelled = await runMutation(cancelOrderByStaff, { actor: sales, request: request() }, { orderId: acme.orderId, reason: "Contract scenario" });
      expect(cancelled.ok).toBe(true);
      const [note] = await rows<{ id: string; number: string }>(sql`select id, number from credit_notes where invoice_id = ${acme.invoice.id}`);
      const list = await customer.call("listCreditNotes", { query: { limit: "100" } });
      expect(list.status).toBe(200);
      expect((list.body as Page<{ id: string }>).data.map((n) => n.id)).toContain(note!.id);
      const detail = await customer.call("getCreditNote", { params: { id: note!.id } });
      expect(detail.body).toMatchObject({ id: note!.id, number: note!.number, invoice: { id: acme.invoice.id }, total: { amountMinor: "2500" } });
      const pdf = await customer.call("getCreditNotePdf", { params: { id: note!.id } });
      expect([pdf.status, pdf.headers.get("content-type")]).toEqual([200, "application/pdf"]);
      const invoice = (await customer.call("getInvoice", { params: { id: acme.invoice.id } })).body as Invoice;
      expect(invoice).toMatchObject({ status: "cancelled", balanceDue: { amountMinor: "0" }, creditNotes: [{ id: note!.id }] });
    },
  },
  {
    name: "payments: a remittance (twice with one Idempotency-Key: one payment), verified by finance; a customer key may not verify",
    async run({ customer, finance }) {
      const acme = await acmeInvoice("30.00");
      const key = `contract-${randomUUID()}`;
      const body = { amount: "30.00", paidOn: today(), reference: `contract ${key}`, allocations: [{ invoiceId: acme.invoice.id, amount: "30.00" }] };
      const first = await customer.call("recordPayment", { body, idempotencyKey: key });
      const second = await customer.call("recordPayment", { body, idempotencyKey: key });
      expect([first.status, second.status]).toEqual([201, 201]);
      const payment = first.body as Payment;
      expect(payment).toMatchObject({ status: "pending_verification", source: "remittance", amount: { amountMinor: "3000" }, allocations: [{ invoiceId: acme.invoice.id }] });
      expect((second.body as Payment).id).toBe(payment.id);
      expect(await rows(sql`select id from payments where reference = ${body.reference}`)).toHaveLength(1);

      const denied = await customer.call("verifyPayment", { params: { id: payment.id }, idempotencyKey: `v-${randomUUID()}` });
      expect([denied.status, (denied.body as Problem).code]).toEqual([403, "forbidden"]);
      const verified = await finance.call("verifyPayment", { params: { id: payment.id }, idempotencyKey: `v-${randomUUID()}` });
      expect([verified.status, (verified.body as Payment).status]).toEqual([200, "verified"]);
      expect((await customer.call("getPayment", { params: { id: payment.id } })).body).toMatchObject({ id: payment.id, status: "verified" });
      const mine = (await customer.call("listPayments", { query: { limit: "100" } })).body as Page<Payment>;
      expect(mine.data.map((p) => p.id)).toContain(payment.id);
      expect(((await customer.call("getInvoice", { params: { id: acme.invoice.id } })).body as Invoice).status).toBe("paid");

      const refunded = await finance.call("refundPayment", { params: { id: payment.id }, body: { reason: "Contract scenario" }, idempotencyKey: `r-${randomUUID()}` });
      expect([refunded.status, (refunded.body as Payment).status]).toEqual([200, "refunded"]);
    },
  },
  {
    name: "payments: finance records a manual payment for a company and rejects a remittance",
    async run({ customer, finance }) {
      const acme = await acmeInvoice("20.00");
      const manual = await finance.call("recordPayment", {
        body: { companyId: acme.buyer.companyId, amount: "5.00", paidOn: today(), reference: "manual", allocations: [{ invoiceId: acme.invoice.id, amount: "5.00" }] },
        idempotencyKey: `m-${randomUUID()}`,
      });
      expect(manual.status).toBe(201);
      expect(manual.body).toMatchObject({ status: "verified", source: "manual", currency: "EUR", amount: { amountMinor: "500" } });
      // Named, the currency must be the invoices' (issue 15): another one is a problem, nothing recorded.
      const foreign = await finance.call("recordPayment", {
        body: { companyId: acme.buyer.companyId, amount: "5.00", currency: "USD", paidOn: today(), reference: "manual usd", allocations: [{ invoiceId: acme.invoice.id, amount: "5.00" }] },
        idempotencyKey: `m-${randomUUID()}`,
      });
      expect([foreign.status, (foreign.body as Problem).code]).toEqual([400, "validation_failed"]);
      const remitted = await customer.call("recordPayment", { body: { amount: "1.00", paidOn: today(), allocations: [{ invoiceId: acme.invoice.id, amount: "1.00" }] }, idempotencyKey: `p-${randomUUID()}` });
      const id = (remitted.body as Payment).id;
      const rejected = await finance.call("rejectPayment", { params: { id }, body: { reason: "Not on the statement" }, idempotencyKey: `j-${randomUUID()}` });
      expect([rejected.status, (rejected.body as Payment).status]).toEqual([200, "rejected"]);
    },
  },
  {
    name: "webhook endpoints: created with its secret once; read, changed, deliveries, replay, deleted; a customer key is forbidden",
    async run({ customer, admin }) {
      const created = await admin.call("createWebhookEndpoint", { body: { url: "https://erp.example.com/contract", eventTypes: ["payment.recorded"] }, idempotencyKey: `w-${randomUUID()}` });
      expect(created.status).toBe(201);
      const { id, secret } = created.body as { id: string; secret: string };
      expect(secret).toMatch(/^whsec_/);
      const read = await admin.call("getWebhookEndpoint", { params: { id } });
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain(secret);
      const listed = await admin.call("listWebhookEndpoints");
      expect((listed.body as Page<{ id: string }>).data.map((e) => e.id)).toContain(id);
      expect(JSON.stringify(listed.body)).not.toContain("whsec_");
      const patched = await admin.call("updateWebhookEndpoint", { params: { id }, body: { description: "ERP" } });
      expect(patched.body).toMatchObject({ id, description: "ERP", enabled: true });

      const [event] = await rows<{ id: string }>(sql`insert into outbox_events (type, company_id, payload) values ('payment.recorded', null, '{}'::jsonb) returning id`);
      await recordDeliveryAttempt(db, { endpointId: id, eventId: event!.id, succeeded: false, statusCode: 503, error: null, durationMs: 5, responseExcerpt: null, nextAttemptAt: null, manual: false, now: new Date() });
      const deliveries = (await admin.call("listWebhookDeliveries", { params: { id } })).body as Page<{ id: string; eventId: string }>;
      expect(deliveries.data.map((d) => d.eventId)).toEqual([event!.id]);
      const replay = await admin.call("replayWebhookDelivery", { params: { id, deliveryId: deliveries.data[0]!.id }, idempotencyKey: `rp-${randomUUID()}` });
      expect([replay.status, replay.body]).toEqual([202, { endpointId: id, eventId: event!.id, queued: true }]);

      const refused = await customer.call("listWebhookEndpoints");
      expect([refused.status, (refused.body as Problem).code]).toEqual([403, "forbidden"]);
      expect((await admin.call("deleteWebhookEndpoint", { params: { id } })).status).toBe(204);
    },
  },
];
