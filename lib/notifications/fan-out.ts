import "server-only";
import { randomUUID } from "node:crypto";
import type { DbOrTx, Tx } from "@/db/client";
import {
  approvalStepsGivenBy,
  buyerOfOrder,
  companyOf,
  customerAdmins,
  emailChoices,
  insertMails,
  insertNotifications,
  orderOf,
  paidInvoices,
  paymentCustomers,
  returnOf,
  returnRequester,
  staffOfRole as staff,
  type OutboxRow,
  type Person,
} from "@/db/queries/notifications-fan-out";
import type { MailAttachmentRef, NewMailMessage } from "@/db/schema";
import { logger } from "@/lib/logger";
import { pgErrorCode } from "@/lib/pg-error";
import { formatMoney } from "@/lib/domain/money";
import { isCustomerRole } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import { isFinalDunningStage, notificationKindLabels, wantsEmail, type NotificationKind } from "./kinds";
import { securityPlans } from "./security";
import { renderMail } from "./templates/notification-mail";

// The fan-out (issue 13): the outbox relay hands each claimed event here, in its own transaction.
// It decides who hears of the event, writes their in-app notifications and the outgoing mails, and
// answers the new mails' ids for the caller to enqueue one send job each (same transaction). The
// unique keys (user, event, kind) and (event, kind, recipient) make a second run of the same event
// write nothing: "on conflict do nothing" answers only the rows that are new.

export type { OutboxRow, Person };
export { outboxRows } from "@/db/queries/notifications-fan-out";

/** One thing to tell a group of people about one event. */
export type Plan = {
  kind: NotificationKind;
  people: Person[];
  /** Addresses that are no user (the company's accounts-payable address): mail only. */
  addresses: string[];
  title: string;
  body: string[];
  /** Where the button leads: the customer's page and the staff's page of the same thing. */
  portalPath: string;
  adminPath: string;
  actionLabel: string;
  attachments: MailAttachmentRef[];
  /** Why the user gets it, when the default footer (a kind they may turn off) is not true. */
  footer?: string;
};

const str = (v: unknown): string => (typeof v === "string" ? v : v === null || v === undefined ? "" : String(v));
const money = (minor: unknown, currency: unknown) => {
  try {
    return formatMoney(BigInt(str(minor)), str(currency));
  } catch {
    return "";
  }
};

const paysWhat = (paid: { number: string; reference: string }[]) =>
  paid.length === 1 ? `invoice ${paid[0]!.number} (order ${paid[0]!.reference})` : `invoices ${paid.map((p) => `${p.number} (order ${p.reference})`).join(", ")}`;

/** A return's lines as a mail says them: "2 × FAS-0004, 1 × TOOL-7" (from the event's payload). */
const returnedWhat = (lines: unknown) =>
  (Array.isArray(lines) ? (lines as { sku?: unknown; quantity?: unknown }[]) : []).map((l) => `${str(l.quantity)} × ${str(l.sku)}`).join(", ");

/**
 * The seller-side approvals outstanding on an order when the event happened (sales, finance, in that
 * order): the relay may run after later approvals, so only those decided by then count (an approval
 * and its event share their transaction's now(); compared in SQL, at full microsecond precision).
 */
async function outstandingSellerSteps(tx: DbOrTx, orderId: string, needsFinance: boolean, eventId: string): Promise<("sales" | "finance")[]> {
  const given = await approvalStepsGivenBy(tx, orderId, eventId);
  const required: ("sales" | "finance")[] = needsFinance ? ["sales", "finance"] : ["sales"];
  return required.filter((s) => !given.includes(s));
}

/** What an event means for whom; [] when nobody is to be told. */
export async function plansFor(tx: DbOrTx, event: OutboxRow): Promise<Plan[]> {
  const d = event.payload;
  const orderId = str(d.orderId);
  const reference = str(d.reference);
  const company = await companyOf(tx, event.companyId);
  const orderPaths = { portalPath: `/orders/${orderId}`, adminPath: `/admin/orders/${orderId}` };
  const ap = company.apEmail ? [company.apEmail] : [];

  switch (event.type) {
    case "quotation.issued":
      return [
        {
          kind: "quotation_issued",
          people: await buyerOfOrder(tx, orderId),
          addresses: [],
          title: `Quotation ${str(d.number)} for order ${reference}`,
          body: [
            `Quotation ${str(d.number)}${Number(d.version) > 1 ? ` (version ${str(d.version)})` : ""} for your order ${reference} is ready: ${money(d.totalMinor, d.currency)}.`,
            "The PDF is attached. Accept or decline it on the order page.",
          ],
          ...orderPaths,
          actionLabel: `Open order ${reference}`,
          attachments: [{ kind: "quotation", id: str(d.quotationId), filename: `${str(d.number)}.pdf` }],
        },
      ];
    case "order.status_changed": {
      const status = str(d.status);
      const step = str(d.event);
      const approval = (people: Person[], who: string): Plan => ({
        kind: "approval_needed",
        people,
        addresses: [],
        title: `Order ${reference} waits for your approval`,
        body: [`Order ${reference}${company.name ? ` of ${company.name}` : ""} needs a ${who} approval before it can go ahead.`],
        ...orderPaths,
        actionLabel: `Review order ${reference}`,
        attachments: [],
      });
      if (status === "awaiting_customer_approval") return [approval(await customerAdmins(tx, event.companyId ?? "00000000-0000-0000-0000-000000000000"), "company administrator")];
      if (status === "awaiting_seller_approval") {
        // Entering the stage opens the sales approval; a first seller approval opens what remained then.
        let next: "sales" | "finance" | undefined = "sales";
        if (step === "seller_approve") {
          const order = await orderOf(tx, orderId);
          if (!order) return [];
          next = (await outstandingSellerSteps(tx, orderId, order.needs_finance, event.id))[0];
        }
        if (!next) return [];
        return [approval(await staff(tx, next), next)];
      }
      if (status === "approved" || status === "rejected") {
        const order = await orderOf(tx, orderId);
        const approved = status === "approved";
        return [
          {
            kind: approved ? "order_approved" : "order_rejected",
            people: await buyerOfOrder(tx, orderId),
            addresses: [],
            title: `Order ${reference} ${approved ? "approved" : "rejected"}`,
            body: approved
              ? [`Your order ${reference} has been approved. The invoice follows in a separate message.`]
              : [`Your order ${reference} was rejected.${order?.close_reason ? ` Reason: ${order.close_reason}` : ""}`],
            ...orderPaths,
            actionLabel: `Open order ${reference}`,
            attachments: [],
          },
        ];
      }
      return [];
    }
    case "invoice.issued":
      return [
        {
          kind: "invoice_issued",
          people: await buyerOfOrder(tx, orderId),
          addresses: ap,
          title: `Invoice ${str(d.number)} for order ${reference}`,
          body: [
            `Invoice ${str(d.number)} for order ${reference}${company.name ? ` (${company.name})` : ""} has been issued: ${money(d.totalMinor, d.currency)}, due on ${str(d.dueDate)}.`,
            "The PDF is attached; it gives the bank details and the payment reference.",
          ],
          ...orderPaths,
          actionLabel: `Open order ${reference}`,
          attachments: [{ kind: "invoice", id: str(d.invoiceId), filename: `${str(d.number)}.pdf` }],
        },
      ];
    case "credit_note.issued": {
      // A return's credit note credits part of the invoice; its requester has it with the return's
      // mail (return_received, same PDF), so here it goes to the order's buyer (if someone else) and AP.
      const ret = d.returnId ? await returnOf(tx, str(d.returnId)) : null;
      const requester = ret ? new Set((await returnRequester(tx, str(d.returnId))).map((p) => p.id)) : new Set<string>();
      return [
        {
          kind: "credit_note_issued",
          people: (await buyerOfOrder(tx, orderId)).filter((p) => !requester.has(p.id)),
          addresses: ap,
          title: `Credit note ${str(d.number)} for invoice ${str(d.invoiceNumber)}`,
          body: [
            ret
              ? `Credit note ${str(d.number)} credits the goods returned with ${ret.number} against invoice ${str(d.invoiceNumber)} of order ${reference}: ${money(d.totalMinor, d.currency)}. The PDF is attached.`
              : `Credit note ${str(d.number)} cancels invoice ${str(d.invoiceNumber)} of order ${reference}: ${money(d.totalMinor, d.currency)}. The PDF is attached.`,
          ],
          ...orderPaths,
          actionLabel: `Open order ${reference}`,
          attachments: [{ kind: "credit_note", id: str(d.creditNoteId), filename: `${str(d.number)}.pdf` }],
        },
      ];
    }
    case "return.requested":
      // Sales fulfil orders and decide returns (orders.fulfil), as they give the sales approval.
      return [
        {
          kind: "return_requested",
          people: await staff(tx, "sales"),
          addresses: [],
          title: `Return ${str(d.number)} requested for order ${reference}`,
          body: [
            `${company.name || "A customer"} asks to send back goods of order ${reference}: ${returnedWhat(d.lines)}.`,
            `Reason: ${str(d.reason)}`,
            "Approve or reject the return on the order page.",
          ],
          ...orderPaths,
          actionLabel: `Review return ${str(d.number)}`,
          attachments: [],
        },
      ];
    case "return.status_changed": {
      const status = str(d.status);
      if (status !== "approved" && status !== "rejected") return [];
      const ret = await returnOf(tx, str(d.returnId));
      if (!ret) return [];
      const approved = status === "approved";
      return [
        {
          kind: approved ? "return_approved" : "return_rejected",
          people: await returnRequester(tx, str(d.returnId)),
          addresses: [],
          title: `Return ${ret.number} for order ${ret.reference} ${approved ? "approved" : "rejected"}`,
          body: approved
            ? [`Your return ${ret.number} for order ${ret.reference} was approved. Please send the goods back; once we have received them, a credit note follows.`]
            : [`Your return ${ret.number} for order ${ret.reference} was rejected.`, ...(d.reason ? [`Reason: ${str(d.reason)}`] : [])],
          ...orderPaths,
          actionLabel: `Open order ${ret.reference}`,
          attachments: [],
        },
      ];
    }
    case "return.received": {
      const ret = await returnOf(tx, str(d.returnId));
      const credit = ret?.credit_total_minor && ret.credit_currency ? `: ${money(ret.credit_total_minor, ret.credit_currency)}` : "";
      return [
        {
          kind: "return_received",
          people: await returnRequester(tx, str(d.returnId)),
          addresses: [],
          title: `Return ${str(d.number)} for order ${reference} received: credit note ${str(d.creditNoteNumber)}`,
          body: [
            `We have received the goods of your return ${str(d.number)} for order ${reference}: ${returnedWhat(d.lines)}.`,
            `Credit note ${str(d.creditNoteNumber)} credits them${credit}. The PDF is attached.`,
          ],
          ...orderPaths,
          actionLabel: `Open order ${reference}`,
          attachments: [{ kind: "credit_note", id: str(d.creditNoteId), filename: `${str(d.creditNoteNumber)}.pdf` }],
        },
      ];
    }
    case "shipment.created": {
      const remaining = Array.isArray(d.remaining) ? (d.remaining as { sku?: unknown; quantity?: unknown }[]) : [];
      return [
        {
          kind: "order_shipped",
          people: await buyerOfOrder(tx, orderId),
          addresses: [],
          title: `${d.complete ? "Order" : "Part of order"} ${reference} shipped (${str(d.number)})`,
          body: [
            `Delivery note ${str(d.number)}: shipped with ${str(d.carrier)}${d.trackingNumber ? `, tracking number ${str(d.trackingNumber)}` : ""}.`,
            d.complete ? "With this shipment your order has shipped in full." : `Still to follow: ${remaining.map((r) => `${String(r.quantity)} × ${String(r.sku)}`).join(", ")}.`,
          ],
          ...orderPaths,
          actionLabel: `Open order ${reference}`,
          attachments: [],
        },
      ];
    }
    case "payment.recorded": {
      const paid = await paidInvoices(tx, str(d.paymentId));
      return [
        {
          kind: "payment_recorded",
          people: await staff(tx, "finance"),
          addresses: [],
          title: `Payment of ${money(d.amountMinor, d.currency)} recorded${company.name ? ` for ${company.name}` : ""}${paid.length === 1 ? `: invoice ${paid[0]!.number}` : ""}`,
          body: [
            `A payment of ${money(d.amountMinor, d.currency)}${company.name ? ` from ${company.name}` : ""}, paid on ${str(d.paidOn)}${d.reference ? ` with reference ${str(d.reference)}` : ""}, was recorded (${str(d.source).replace(/_/g, " ")}).`,
            ...(paid.length > 0 ? [`It pays ${paysWhat(paid)}.`] : ["It is not allocated to an invoice yet."]),
            ...(str(d.status) === "pending_verification" ? ["It waits for verification."] : []),
          ],
          portalPath: "/invoices",
          adminPath: "/admin/payments",
          actionLabel: "Open payments",
          attachments: [],
        },
      ];
    }
    case "payment.verified":
    case "payment.rejected": {
      const verified = event.type === "payment.verified";
      const paid = await paidInvoices(tx, str(d.paymentId));
      return [
        {
          kind: verified ? "payment_verified" : "payment_rejected",
          people: await paymentCustomers(tx, str(d.paymentId)),
          addresses: [],
          title: `Your payment of ${money(d.amountMinor, d.currency)}${paid.length === 1 ? ` for invoice ${paid[0]!.number}` : ""} was ${verified ? "verified" : "rejected"}`,
          body: [
            `Your payment of ${money(d.amountMinor, d.currency)}, paid on ${str(d.paidOn)}${d.reference ? ` with reference ${str(d.reference)}` : ""}, was ${verified ? "verified" : "rejected"}.`,
            ...(paid.length > 0 ? [`It ${verified ? "pays" : "was to pay"} ${paysWhat(paid)}.`] : []),
            ...(!verified && d.reason ? [`Reason: ${str(d.reason)}`] : []),
          ],
          portalPath: "/invoices",
          adminPath: "/admin/payments",
          actionLabel: "Open your invoices",
          attachments: [],
        },
      ];
    }
    case "invoice.overdue": {
      // Dunning (lib/services/reminders.ts): stage 1, 2, 3 at due + 1, 7, 21 days; the last carries the statement of account.
      const stage = Number(d.stage);
      const final = isFinalDunningStage(stage);
      const days = Number(d.daysPastDue);
      const due = money(d.balanceMinor, d.currency);
      return [
        {
          kind: "invoice_overdue",
          people: await buyerOfOrder(tx, orderId),
          addresses: ap,
          title: `${final ? "Final reminder" : "Reminder"}: invoice ${str(d.number)} for order ${reference} is overdue`,
          body: [
            `Invoice ${str(d.number)} for order ${reference}${company.name ? ` (${company.name})` : ""} was due on ${str(d.dueDate)} and is ${days} ${days === 1 ? "day" : "days"} overdue. Amount still due: ${due}.`,
            final
              ? `Your statement of account as of ${str(d.asOf)} is attached: it lists every open invoice. Please pay the amount due now, quoting the invoice's payment reference, or tell us if you have already paid.`
              : "Please pay the amount due, quoting the payment reference on the invoice, or tell us if you have already paid.",
          ],
          ...orderPaths,
          actionLabel: `Open invoice ${str(d.number)}`,
          attachments: final && event.companyId ? [{ kind: "statement", id: event.companyId, asOf: str(d.asOf), filename: `statement-of-account-${str(d.asOf)}.pdf` }] : [],
        },
      ];
    }
    case "quotation.expiring":
      return [
        {
          kind: "quotation_expiring",
          people: await buyerOfOrder(tx, orderId),
          addresses: [],
          title: `Quotation ${str(d.number)} for order ${reference} expires on ${str(d.validUntilDate)}`,
          body: [
            `Quotation ${str(d.number)}${Number(d.version) > 1 ? ` (version ${str(d.version)})` : ""} for your order ${reference}, ${money(d.totalMinor, d.currency)}, is valid until the end of ${str(d.validUntilDate)} (${str(d.timeZone)}).`,
            "Accept it on the order page before then, or it expires and the order has to be quoted again.",
          ],
          ...orderPaths,
          actionLabel: `Review quotation ${str(d.number)}`,
          attachments: [],
        },
      ];
    case "product.low_stock":
      // Its webhook goes out per product; people hear of it in the run's digest (below), one mail for all.
      return [];
    case "product.low_stock_digest": {
      // One reminders run's products newly below their threshold (lib/services/reminders.ts).
      const products = Array.isArray(d.products) ? (d.products as Record<string, unknown>[]) : [];
      if (products.length === 0) return [];
      const people = [...(await staff(tx, "sales")), ...(await staff(tx, "admin"))];
      const closing = "Receive stock or adjust the threshold on the product page. You hear of a product again only after it has been back at its threshold.";
      if (products.length === 1) {
        const p = products[0]!;
        const productPath = `/admin/products/${str(p.productId)}`;
        return [
          {
            kind: "low_stock",
            people,
            addresses: [],
            title: `Low stock: ${str(p.sku)} ${str(p.name)} (${str(p.available)} available)`,
            body: [`${str(p.name)} (SKU ${str(p.sku)}) has ${str(p.available)} available (${str(p.onHand)} on hand, ${str(p.reserved)} reserved), below its low-stock threshold of ${str(p.threshold)}.`, closing],
            // Staff only: both paths are the admin product page.
            portalPath: productPath,
            adminPath: productPath,
            actionLabel: `Open product ${str(p.sku)}`,
            attachments: [],
          },
        ];
      }
      const listPath = "/admin/products?lowStock=1";
      return [
        {
          kind: "low_stock",
          people,
          addresses: [],
          title: `Low stock: ${products.length} products below their threshold`,
          body: [
            `${products.length} products have fallen below their low-stock threshold:`,
            ...products.map((p) => `${str(p.sku)} ${str(p.name)}: ${str(p.available)} available (${str(p.onHand)} on hand, ${str(p.reserved)} reserved), threshold ${str(p.threshold)}.`),
            closing,
          ],
          portalPath: listPath,
          adminPath: listPath,
          actionLabel: "Open the products low on stock",
          attachments: [],
        },
      ];
    }
    default:
      return securityPlans(tx, event);
  }
}

/** A Message-ID fixed at creation: the same on every send of this mail (RFC 5322 msg-id). */
export function newMessageId(): string {
  const host = new URL(env().appUrl).hostname || "orderly.local";
  return `<${randomUUID()}@${host}>`;
}

/** One address a plan's mail goes to: a user (greeted by name, linked to their side of the app) or a bare address. */
export type MailRecipient = { address: string; userId: string | null; name: string | null; path: string };

/** The plan's people once each (a user may be found twice: a submitter who is also a buyer). */
export function distinctPeople(plan: Plan): Person[] {
  return [...new Map(plan.people.map((p) => [p.id, p])).values()];
}

/**
 * Who gets the plan's mail: its people who want this kind by email (mandatory kinds: all of them),
 * then its extra addresses that are no such person's.
 */
export async function mailRecipients(tx: DbOrTx, plan: Plan): Promise<MailRecipient[]> {
  const people = distinctPeople(plan);
  const choices = await emailChoices(
    tx,
    people.map((p) => p.id),
    plan.kind,
  );
  const mailTo = people.filter((p) => wantsEmail(plan.kind, choices.get(p.id)));
  const seen = new Set(mailTo.map((p) => p.email.toLowerCase()));
  const extra = plan.addresses.filter((a) => !seen.has(a.toLowerCase()));
  return [
    ...mailTo.map((p) => ({ address: p.email, userId: p.id as string | null, name: p.name as string | null, path: isCustomerRole(p.role) ? plan.portalPath : plan.adminPath })),
    ...extra.map((a) => ({ address: a, userId: null, name: null, path: plan.portalPath })),
  ];
}

/**
 * One recipient's mail of a plan: subject, HTML and text. The one template path: the fan-out writes
 * what this answers, and the Sent mail preview (/admin/mail/preview) shows what it answers.
 */
export async function renderPlanMail(plan: Plan, recipient: MailRecipient, event: Pick<OutboxRow, "companyId">): Promise<{ subject: string; html: string; text: string }> {
  const e = env();
  const { html, text } = await renderMail({
    heading: plan.title,
    greeting: recipient.name ? `Hello ${recipient.name},` : "Hello,",
    lines: plan.body,
    action: { label: plan.actionLabel, url: `${e.appUrl}${recipient.path}` },
    footer: recipient.userId
      ? (plan.footer ??
        `You receive this because of your account with ${e.SELLER_NAME} (${notificationKindLabels[plan.kind]}). Choose which mails you get on your account page.`)
      : `You receive this as the accounts-payable address of ${event.companyId ? "your company" : "a customer"} at ${e.SELLER_NAME}.`,
    seller: e.SELLER_NAME,
  });
  return { subject: plan.title, html, text };
}

/**
 * Writes the notifications and mails of the given events; answers the ids of the mails it created
 * (existing ones, from an earlier run, are not answered: their jobs exist already).
 */
export async function fanOut(tx: DbOrTx, events: OutboxRow[]): Promise<string[]> {
  // The events are independent (their rows have unique keys of their own), so their statements are
  // sent together: postgres.js pipelines them on the transaction's one connection, and a batch of a
  // hundred events costs a few round trips of waiting instead of five hundred (the relay holds the
  // webhooks of the same batch until this is done). allSettled: every statement has answered before
  // a failure is thrown and the caller rolls back.
  const settled = await Promise.allSettled(events.map((event) => fanOutEvent(tx, event)));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.flatMap((r) => (r.status === "fulfilled" ? r.value : []));
}

async function fanOutEvent(tx: DbOrTx, event: OutboxRow): Promise<string[]> {
  const created: string[] = [];
  const plans = await plansFor(tx, event);
  for (const plan of plans) {
    const people = distinctPeople(plan);
    await insertNotifications(
      tx,
      people.map((p) => ({
        userId: p.id,
        eventId: event.id,
        kind: plan.kind,
        title: plan.title,
        body: plan.body.join(" "),
        link: isCustomerRole(p.role) ? plan.portalPath : plan.adminPath,
      })),
    );
    const recipients = await mailRecipients(tx, plan);
    if (recipients.length === 0) continue;
    const rows: NewMailMessage[] = [];
    for (const r of recipients) {
      const { subject, html, text } = await renderPlanMail(plan, r, event);
      rows.push({
        messageId: newMessageId(),
        eventId: event.id,
        kind: plan.kind,
        recipient: r.address,
        userId: r.userId,
        subject,
        html,
        text,
        attachments: plan.attachments,
      });
    }
    created.push(...(await insertMails(tx, rows)));
  }
  return created;
}

/**
 * Whether a failure may pass on its own (a lost connection, a deadlock, a lock or statement timeout,
 * the server short of resources): then the relay's batch is retried. Anything else (an event whose
 * payload a query refuses, a bug in a plan) fails the same way on every retry.
 */
export function isTransientFailure(error: unknown): boolean {
  const code = pgErrorCode(error);
  if (code) return ["08", "40", "53", "57", "58"].includes(code.slice(0, 2)) || code === "55P03";
  for (let e: unknown = error, depth = 0; depth < 4 && e && typeof e === "object"; depth++) {
    if (typeof (e as { code?: unknown }).code === "string") return true; // postgres.js / socket errors: CONNECTION_CLOSED, ECONNRESET …
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * fanOut for the relay: one event that cannot be fanned out (say, a payload a query refuses) must
 * not stop the others, nor the webhooks relayed in the same transaction, on every retry for ever.
 * The batch runs in a savepoint; when it fails for good, each event runs in its own and the failing
 * ones are logged and skipped (their webhooks still go out). Transient failures are thrown: the
 * relay's transaction rolls back and the batch is retried whole.
 */
export async function fanOutIsolated(tx: Tx, events: OutboxRow[]): Promise<string[]> {
  if (events.length === 0) return [];
  try {
    return await tx.transaction((savepoint) => fanOut(savepoint, events));
  } catch (error) {
    if (isTransientFailure(error)) throw error;
  }
  const created: string[] = [];
  for (const event of events) {
    try {
      created.push(...(await tx.transaction((savepoint) => fanOut(savepoint, [event]))));
    } catch (error) {
      if (isTransientFailure(error)) throw error;
      logger.error("notifications of an outbox event could not be written; the event is skipped", { eventId: event.id, type: event.type, error });
    }
  }
  return created;
}
