import "server-only";
import type { Tx } from "@/db/client";
import { expiringWindow } from "@/db/queries/analytics/sales";
import { invoiceBalances } from "@/db/queries/invoice-balances";
import { closeLowStockEpisodes, expiringQuotations, insertLowStockEpisode, insertReminderEvent, insertStagedReminder, invoiceOrder, lockQuotedOrderAtVersion, overdueCandidates, productsNewlyLow } from "@/db/queries/reminders";
import { availability } from "@/lib/domain/catalog";
import { dateIn } from "@/lib/domain/dates";
import { daysPastDue } from "@/lib/domain/receivables";
import { dunningStage, isFinalDunningStage, QUOTATION_EXPIRY_NOTICE_DAYS } from "@/lib/notifications/kinds";
import { recordAudit } from "@/lib/services/audit";
import { sellerClock, sellerToday } from "@/lib/time-zone";

// The reminders job (issue 13): what the system tells people because time passed rather than because
// someone acted. Run hourly by the worker (queue reminders-run) and by `npm run jobs -- --reminders`.
// Every run may repeat any earlier one: a reminder is sent exactly when its `reminders` row is new, and
// that row, its outbox event and its audit row are written in one transaction (db/queries/reminders.ts),
// so a dunning run twice on the same day, two workers at once, or a run after hours of downtime send
// each reminder once. The outbox relay then fans each event out to mails and in-app notifications.
//
// - Dunning: an invoice with something still due on the seller's calendar gets a reminder 1, 7 and 21
//   days after its due date (the last with the statement of account attached). Only the highest stage
//   reached goes out: an invoice first seen 10 days overdue (or after downtime) gets the 7-day one, not
//   a burst of three. Paid, credited and cancelled invoices get nothing; nor does an invoice whose
//   remaining balance the customer has already remitted (awaiting verification by finance).
// - Quotations: the current quotation of an order still waiting for the customer's acceptance, whose
//   validity ends within 3 seller days, is reminded of once per version (a revision is reminded anew).
// - Low stock: a product whose availability (on hand − reserved) is below its threshold alerts sales and
//   admin once per episode, in one digest per run (one mail listing every product newly low, not one
//   mail per product: the demo data alone has dozens), while each product keeps its own webhook event; the episode ends when a run sees availability back at the threshold, and a
//   later drop alerts again. A scan, not a hook in every stock movement: the movements are on the
//   order placement path (reservations), which must not pay for it, and an hourly "reorder soon" is
//   timely enough; a dip and recovery between two runs goes unreported, which is the point of a threshold.

type Db = { transaction: Tx["transaction"] };

export type ReminderRun = { dunning: number; expiringQuotations: number; lowStock: number };

const SYSTEM = { actor: "system" as const, request: null };

/** Dunning reminders due on `today` (the seller's calendar); answers how many were sent. */
export async function sendDunningReminders(db: Db, today: string = sellerToday()): Promise<number> {
  const candidates = await db.transaction((tx) => overdueCandidates(tx, today));
  let sent = 0;
  for (const c of candidates) {
    const stage = dunningStage(daysPastDue(c.dueDate, today));
    if (stage <= c.lastStage) continue;
    sent += await db.transaction(async (tx) => {
      // Re-read under the invoice's lock: a payment verified or a credit note issued since the scan counts.
      const [b] = await invoiceBalances(tx, { invoiceIds: [c.invoiceId], counting: "verified", openOnly: true, lock: true });
      if (!b || b.outstandingMinor <= 0n || b.outstandingMinor - b.pendingMinor <= 0n) return 0;
      const order = await invoiceOrder(tx, b.invoiceId);
      if (!order || order.credited) return 0;
      const days = daysPastDue(b.dueDate, today);
      const data = {
        invoiceId: b.invoiceId,
        number: b.number,
        orderId: order.orderId,
        reference: order.reference,
        stage,
        daysPastDue: days,
        balanceMinor: b.outstandingMinor.toString(),
        currency: b.currency,
        dueDate: b.dueDate,
        // The statement of account attached to the last reminder is as of this date.
        asOf: today,
      };
      const written = await insertStagedReminder(tx, { kind: "invoice_overdue", subjectId: b.invoiceId, stage, event: { type: "invoice.overdue", companyId: b.companyId, data } });
      if (!written) return 0;
      await recordAudit(tx, SYSTEM, {
        action: "reminder.invoice_overdue",
        entityType: "invoice",
        entityId: b.invoiceId,
        companyId: b.companyId,
        after: { stage, daysPastDue: days, balanceMinor: data.balanceMinor, currency: b.currency, statement: isFinalDunningStage(stage), eventId: written.eventId },
      });
      return 1;
    });
  }
  return sent;
}

/** Reminders of quotations that expire within 3 seller days of `now`; answers how many were sent. */
export async function sendQuotationExpiryReminders(db: Db, now: Date = new Date()): Promise<number> {
  const window = expiringWindow(sellerClock(now), QUOTATION_EXPIRY_NOTICE_DAYS);
  const due = await db.transaction((tx) => expiringQuotations(tx, window.now, window.until));
  let sent = 0;
  for (const q of due) {
    sent += await db.transaction(async (tx) => {
      // Under the order's lock (acceptance and revision take it too): still waiting, still this version.
      const current = await lockQuotedOrderAtVersion(tx, q.orderId, q.quotationId);
      if (!current) return 0;
      const data = {
        quotationId: q.quotationId,
        number: q.number,
        version: q.version,
        orderId: q.orderId,
        reference: q.reference,
        validUntil: q.validUntil.toISOString(),
        // The last day of validity on the customer's calendar (the quotation's own time zone).
        validUntilDate: dateIn(q.timeZone, q.validUntil),
        timeZone: q.timeZone,
        totalMinor: q.totalMinor.toString(),
        currency: q.currency,
      };
      const written = await insertStagedReminder(tx, { kind: "quotation_expiring", subjectId: q.quotationId, stage: 1, event: { type: "quotation.expiring", companyId: q.companyId, data } });
      if (!written) return 0;
      await recordAudit(tx, SYSTEM, {
        action: "reminder.quotation_expiring",
        entityType: "order",
        entityId: q.orderId,
        companyId: q.companyId,
        after: { quotation: q.number, version: q.version, validUntil: data.validUntil, eventId: written.eventId },
      });
      return 1;
    });
  }
  return sent;
}

/**
 * Ends the low-stock episodes of products back at their threshold, then alerts of products newly low:
 * each product's episode, webhook event and audit row, and one digest event listing them all, in one
 * transaction, so the digest names exactly the episodes that began (a crash writes none of them, and
 * the next run finds the same products). Two runs at once: the second waits on the first's episode
 * rows (the unique key), then writes nothing for them. Answers how many products were alerted of.
 */
export async function sendLowStockAlerts(db: Db): Promise<number> {
  await db.transaction((tx) => closeLowStockEpisodes(tx));
  const low = await db.transaction((tx) => productsNewlyLow(tx));
  if (low.length === 0) return 0;
  return db.transaction(async (tx) => {
    const alerted: Record<string, unknown>[] = [];
    for (const p of low) {
      const a = availability(p.onHand, p.reserved, p.threshold);
      const data = { productId: p.productId, sku: p.sku, name: p.name, available: a.available, onHand: p.onHand, reserved: p.reserved, threshold: p.threshold };
      const written = await insertLowStockEpisode(tx, p.productId, { type: "product.low_stock", companyId: null, data });
      if (!written) continue;
      await recordAudit(tx, SYSTEM, {
        action: "reminder.low_stock",
        entityType: "product",
        entityId: p.productId,
        after: { sku: p.sku, available: a.available, threshold: p.threshold, episode: written.stage, eventId: written.eventId },
      });
      alerted.push({ ...data, eventId: written.eventId });
    }
    if (alerted.length > 0) await insertReminderEvent(tx, { type: "product.low_stock_digest", companyId: null, data: { count: alerted.length, products: alerted } });
    return alerted.length;
  });
}

/** One run of every reminder, at `now` (tests pass the instant; the job passes nothing). */
export async function runReminders(db: Db, now: Date = new Date()): Promise<ReminderRun> {
  return {
    dunning: await sendDunningReminders(db, sellerToday(now)),
    expiringQuotations: await sendQuotationExpiryReminders(db, now),
    lowStock: await sendLowStockAlerts(db),
  };
}

/** How many reminders a run sent in all. */
export const remindersSent = (r: ReminderRun) => r.dunning + r.expiringQuotations + r.lowStock;
