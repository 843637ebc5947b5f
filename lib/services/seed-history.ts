import "server-only";
import { db } from "@/db/client";
import { companyIdByName } from "@/db/queries/companies";
import { withOwnerConnection } from "@/db/queries/order-history";
import { productsBySku } from "@/db/queries/products";
import { userByEmail } from "@/db/queries/users";
import type { Actor } from "@/lib/domain/actor";
import { env } from "@/lib/env";
import { runAnalyticsWorkload, type WorkloadCompany, type WorkloadProduct } from "@/lib/services/demo-workload";
import { demoProducts } from "./seed-catalog";

// Twelve months of plausible history for the demo (npm start seeds it into an empty database;
// npm run db:seed -- --history adds it to an existing one): orders, quotations, approvals, invoices,
// credit notes and payments, made by the analytics workload generator through the real services and
// spread over the past year, so the dashboards and reports show something real on first look.
// Acme (the demo customer admin's company) and Globex get history of their own; three more customers
// give the staff dashboards variety (a second currency, a tight credit limit, buyers with spending
// limits). Not part of e2e's seed: the e2e specs assert exact figures of a database without history.
//
// Runs once: the history's own companies are its marker. Deterministic: the same seed every time.

const HISTORY_SEED = 20_261_204;
export const HISTORY_ORDERS = 120;
const marker = "Initech Components";

async function customerActor(email: string): Promise<Actor | null> {
  const u = await userByEmail(db, email);
  if (!u) return null;
  const company = await companyIdByName(db, email.endsWith("@acme.test") ? "Acme Industrial Supply" : "Globex Manufacturing");
  return { id: u.id, email, name: email, role: u.role, companyId: company };
}

/** Adds the demo history unless it is there already; returns the number of orders added (0 when present). */
export async function seedDemoHistory(opts: { orders?: number; log?: (line: string) => void } = {}): Promise<{ orders: number; orderIds: string[]; seconds: number }> {
  if (await companyIdByName(db, marker)) return { orders: 0, orderIds: [], seconds: 0 };
  const started = Date.now();
  const [acme, globex, bob, alice, greta] = await Promise.all([
    companyIdByName(db, "Acme Industrial Supply"),
    companyIdByName(db, "Globex Manufacturing"),
    customerActor("buyer@acme.test"),
    customerActor("approver@acme.test"),
    customerActor("buyer@globex.test"),
  ]);
  if (!acme || !globex || !bob || !alice || !greta) throw new Error("The demo history needs the demo companies and users: run the seed without --history first.");

  const companies: WorkloadCompany[] = [
    { name: "Acme Industrial Supply", currency: "EUR", creditLimit: "50000.00", paymentTermsDays: 30, quoteValidityDays: 14, timeZone: "Europe/Berlin", weight: 3, buyers: [], existing: { id: acme, buyers: [bob], approver: alice } },
    { name: "Globex Manufacturing", currency: "EUR", creditLimit: "25000.00", paymentTermsDays: 45, quoteValidityDays: 14, timeZone: "Europe/Paris", weight: 2, buyers: [], existing: { id: globex, buyers: [greta], approver: null } },
    { name: marker, currency: "EUR", creditLimit: "40000.00", paymentTermsDays: 30, quoteValidityDays: 14, timeZone: "Europe/Berlin", weight: 3,
      buyers: [{ name: "Peter Gibbons", email: "peter@initech.test", orderLimit: "2500.00", monthlyLimit: "8000.00" }, { name: "Samir Nagheenanajar", email: "samir@initech.test" }], approver: { name: "Bill Lumbergh", email: "bill@initech.test" } },
    { name: "Umbrella Facilities", currency: "EUR", creditLimit: "8000.00", paymentTermsDays: 14, quoteValidityDays: 7, timeZone: "Europe/Amsterdam", weight: 2, buyers: [{ name: "Claire Redfield", email: "claire@umbrella.test", orderLimit: "1500.00" }], approver: { name: "Albert Wesker", email: "albert@umbrella.test" } },
    { name: "Wayne Logistics", currency: "USD", creditLimit: "30000.00", paymentTermsDays: 45, quoteValidityDays: 10, timeZone: "America/New_York", weight: 2, buyers: [{ name: "Lucius Fox", email: "lucius@wayne.test" }], approver: { name: "Bruce Wayne", email: "bruce@wayne.test" } },
  ];

  // Catalogue products with ample stock (what history ships leaves the low-stock demo items as they are).
  const items = demoProducts().filter((p) => p.onHand >= 300);
  const bySku = await productsBySku(db, items.map((p) => p.sku));
  const products: WorkloadProduct[] = items.flatMap((p, i) => {
    const row = bySku.get(p.sku.toLowerCase());
    if (!row || row.archivedAt) return [];
    return [{ id: row.id, sku: row.sku, category: p.category, minOrderQuantity: p.minOrderQuantity, orderMultiple: p.orderMultiple, foreign: i % 3 === 0, foreignPriceMinor: (p.basePriceMinor * 108n) / 100n }];
  });

  const result = await runAnalyticsWorkload({
    seed: HISTORY_SEED,
    orders: opts.orders ?? HISTORY_ORDERS,
    asOwner: withOwnerConnection,
    label: "Demo history",
    companies,
    products,
    profile: "demo",
    password: env().DEMO_PASSWORD,
    log: opts.log,
  });
  return { orders: result.orderIds.length, orderIds: result.orderIds, seconds: (Date.now() - started) / 1000 };
}
