import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db } from "@/db/client";
import { allocationDetails, listPayments, paymentStatuses, type PaymentRow } from "@/db/queries/payments";
import { uuidField } from "@/lib/domain/forms";
import { can } from "@/lib/domain/permissions";
import { isCustomerRole } from "@/lib/domain/roles";
import type { Actor } from "@/lib/domain/actor";
import { recordManualPayment, refundPayment, rejectPayment, submitRemittance, verifyPayment } from "@/lib/services/payments";
import { defineOperation, ok, runApiMutation } from "./operation";
import { companyListPage } from "./invoices";
import { problem } from "./problem";
import { currencySchema, dateSchema, idParams, instant, instantSchema, money, moneySchema, optionalInstant, pageOf, pageQuery } from "./schemas";

// /api/v1/payments: the payments of lib/services/payments.ts over the API. A customer key records
// remittances (as the invoices page and POST /api/payments do) and reads its company's payments; a
// finance or admin key records manual payments, reads every company's and verifies, rejects or
// refunds them. Every write runs through runApiMutation (audited as the key's user).

const statuses = paymentStatuses as readonly ["pending_verification", "verified", "rejected", "refunded"];

export const paymentSchema = z
  .object({
    id: uuidString(),
    company: z.object({ id: uuidString(), name: z.string() }),
    status: z.enum(statuses),
    source: z.enum(["remittance", "manual", "provider", "bank_statement"]).describe("Who recorded it: a customer's remittance, finance by hand, a payment provider, a bank statement."),
    currency: currencySchema.describe("ISO 4217: the payment's currency, always its company's invoices' (a payment is never converted)."),
    amount: moneySchema,
    paidOn: dateSchema,
    reference: z.string(),
    note: z.string(),
    createdAt: instantSchema,
    decidedAt: instantSchema.nullable(),
    decisionReason: z.string().nullable(),
    allocations: z.array(z.object({ invoiceId: uuidString(), invoiceNumber: z.string(), amount: moneySchema })),
  })
  .meta({ id: "Payment" });

type PaymentJson = z.input<typeof paymentSchema>;

async function paymentsJson(rows: PaymentRow[]): Promise<PaymentJson[]> {
  const allocations = await allocationDetails(db, { paymentIds: rows.map((r) => r.id) });
  return rows.map((r) => ({
    id: r.id,
    company: { id: r.companyId, name: r.companyName },
    status: r.status,
    source: r.source,
    currency: r.currency,
    amount: money(r.amountMinor, r.currency),
    paidOn: r.paidOn,
    reference: r.reference,
    note: r.note,
    createdAt: instant(r.createdAt),
    decidedAt: optionalInstant(r.decidedAt),
    decisionReason: r.decisionReason,
    allocations: allocations.filter((a) => a.paymentId === r.id).map((a) => ({ invoiceId: a.invoiceId, invoiceNumber: a.invoiceNumber, amount: money(a.amountMinor, r.currency) })),
  }));
}

/** The payment as this actor may see it (a customer: its company's only, in SQL); null otherwise. */
async function visiblePayment(actor: Actor, id: string): Promise<PaymentJson | null> {
  if (isCustomerRole(actor.role) && !actor.companyId) return null;
  if (!isCustomerRole(actor.role) && !can(actor.role, "payments.manage")) return null;
  const rows = await listPayments(db, { paymentId: id, ...(isCustomerRole(actor.role) ? { companyId: actor.companyId! } : {}), limit: 1 });
  return rows[0] ? (await paymentsJson(rows))[0]! : null;
}

const paymentPageSchema = pageOf(paymentSchema, "PaymentPage");

export const listPaymentsOperation = defineOperation({
  operationId: "listPayments",
  method: "GET",
  path: "/payments",
  tag: "Payments",
  summary: "List payments",
  description: "Newest recorded first. A customer key sees its company's payments; a finance or admin key every company's, or one company's with `company`.",
  scope: "payments:read",
  query: z.strictObject({
    status: z.enum(statuses, { error: `status is one of ${statuses.join(", ")}.` }).optional(),
    company: uuidField("company").optional().describe("Staff keys: one company's payments."),
    ...pageQuery,
  }),
  responses: { 200: { description: "A page of payments.", schema: paymentPageSchema } },
  async handle({ actor, query }) {
    if (!isCustomerRole(actor.role) && !can(actor.role, "payments.manage")) return problem("forbidden", "This key's role may not read payments.");
    const page = await companyListPage(actor, query, (at) => listPayments(db, { ...at, status: query.status, order: "newest" }));
    if (page instanceof Response) return page;
    return ok({ data: await paymentsJson(page.data), nextCursor: page.nextCursor } satisfies z.input<typeof paymentPageSchema>);
  },
});

export const getPaymentOperation = defineOperation({
  operationId: "getPayment",
  method: "GET",
  path: "/payments/{id}",
  tag: "Payments",
  summary: "A payment with its allocations",
  scope: "payments:read",
  params: idParams,
  responses: { 200: { description: "The payment.", schema: paymentSchema } },
  async handle({ actor, params }) {
    const payment = await visiblePayment(actor, params.id);
    return payment ? ok(payment) : null;
  },
});

const decimalAmount = z.string().regex(/^\d+(\.\d{1,3})?$/, "amount is a decimal in the major unit, e.g. \"1250.00\".");

export const recordPaymentBody = z.strictObject({
  companyId: uuidString().optional().describe("Staff keys: the paying company (a manual payment, verified). Customer keys leave it out (a remittance, awaiting verification)."),
  amount: decimalAmount.describe("In the company's currency's major unit."),
  currency: currencySchema
    .optional()
    .describe(
      "ISO 4217. Optional; when given it must be the company's invoices' currency: a payment in another currency is refused (400 `validation_failed`, `errors.currency`), never converted.",
    ),
  paidOn: dateSchema.describe("The date the money was sent; not in the future."),
  reference: z.string().max(140).optional(),
  note: z.string().max(1000).optional(),
  allocations: z
    .array(z.object({ invoiceId: uuidString(), amount: decimalAmount }))
    .max(200)
    .optional()
    .describe("How much goes to which invoice; left out: oldest due invoices first."),
});

export const recordPaymentOperation = defineOperation({
  operationId: "recordPayment",
  method: "POST",
  path: "/payments",
  tag: "Payments",
  summary: "Record a payment",
  description:
    "A customer key records a remittance (awaiting verification by finance), as the invoices page does; a finance or admin key records a manual payment for `companyId` (verified). Allocated to the invoices named, else oldest due first. A payment is in its company's invoices' currency: a `currency` naming another one is refused with 400 `validation_failed` and `errors.currency`, as the invoices page refuses it. Retrying with the same Idempotency-Key answers the first result and records nothing twice.",
  scope: "payments:write",
  idempotency: "required",
  body: recordPaymentBody,
  requestExample: { amount: "1250.00", paidOn: "2026-12-01", reference: "RF18539007547034" },
  responses: { 201: { description: "The payment recorded.", schema: paymentSchema } },
  async handle(ctx) {
    const { companyId, ...rest } = ctx.body;
    const input = { ...rest, reference: rest.reference ?? "", note: rest.note ?? "", allocations: rest.allocations ?? [] };
    const answer = async ({ paymentId }: { paymentId: string }) => ok(await visiblePayment(ctx.actor, paymentId), 201);
    if (isCustomerRole(ctx.actor.role)) {
      if (companyId !== undefined) return problem("validation_failed", "companyId is for staff keys: a customer key pays for its own company.", { extra: { errors: { companyId: ["For staff keys only."] } } });
      return runApiMutation(ctx, submitRemittance, input, answer);
    }
    if (companyId === undefined) return problem("validation_failed", "Name the paying company (companyId).", { extra: { errors: { companyId: ["Required for staff keys."] } } });
    return runApiMutation(ctx, recordManualPayment, { ...input, companyId }, answer);
  },
});

const decisions = { verify: verifyPayment, reject: rejectPayment, refund: refundPayment } as const;
const reasonBody = z.strictObject({ reason: z.string().min(1).max(1000) });

function decisionOperation(decision: keyof typeof decisions, summary: string) {
  const base = {
    method: "POST" as const,
    path: `/payments/{id}/${decision}`,
    tag: "Payments",
    summary,
    scope: "payments:write" as const,
    // The decision mutations are idempotent ones (lib/services/payments.ts): a retry answers the first decision.
    idempotency: "required" as const,
    params: idParams,
    responses: { 200: { description: "The payment after the decision.", schema: paymentSchema } },
  };
  const run = (ctx: { actor: Actor } & Parameters<typeof runApiMutation>[0], id: string, reason?: string) =>
    runApiMutation(ctx, decisions[decision], { paymentId: id, ...(reason === undefined ? {} : { reason }) }, async () => ok(await visiblePayment(ctx.actor, id)));
  return { base, run };
}

const verify = decisionOperation("verify", "Verify a remittance (finance and admin keys)");
export const verifyPaymentOperation = defineOperation({
  ...verify.base,
  operationId: "verifyPayment",
  description: "The money arrived: the remittance counts as paid; an invoice paid in full marks its order paid. A payment no longer awaiting verification is a 409.",
  handle: (ctx) => verify.run(ctx, ctx.params.id),
});

const reject = decisionOperation("reject", "Reject a remittance (finance and admin keys)");
export const rejectPaymentOperation = defineOperation({
  ...reject.base,
  operationId: "rejectPayment",
  description: "The money never arrived: the remittance no longer counts against its invoices.",
  body: reasonBody,
  requestExample: { reason: "Not on the bank statement after 10 days." },
  handle: (ctx) => reject.run(ctx, ctx.params.id, ctx.body.reason),
});

const refund = decisionOperation("refund", "Refund a verified payment (finance and admin keys)");
export const refundPaymentOperation = defineOperation({
  ...refund.base,
  operationId: "refundPayment",
  description: "The money went back: the payment no longer counts; an order paid by it loses its paid mark.",
  body: reasonBody,
  requestExample: { reason: "Paid twice; the second transfer was returned." },
  handle: (ctx) => refund.run(ctx, ctx.params.id, ctx.body.reason),
});
