import "server-only";
import { db } from "@/db/client";
import { companyIdByName, insertCompanyRow } from "@/db/queries/companies";
import { countUsers, userByEmail } from "@/db/queries/users";
import type { Role } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import { recordAudit } from "./audit";
import { seedDemoCatalog } from "./seed-catalog";
import { seedDemoMedia } from "./seed-media";
import { seedDemoLists } from "./seed-lists";
import { seedDemoBankAccounts } from "./seed-bank-accounts";
import { insertUser } from "./users";
import { billingAddressOf, insertCompanyAddress, setCompanyBillingText, shipToCount } from "@/db/queries/addresses";
import type { Tx } from "@/db/client";
import { addressText } from "@/lib/domain/addresses";
import { upsertExchangeRates } from "@/db/queries/exchange-rates";
import { addDays } from "@/lib/domain/dates";
import { sellerToday } from "@/lib/time-zone";

export const demoCompanies = [
  { name: "Acme Industrial Supply", taxId: "DE811907980", paymentTermsDays: 30, creditLimitMinor: 5_000_000n, timeZone: "Europe/Berlin" },
  { name: "Globex Manufacturing", taxId: "FR40303265045", paymentTermsDays: 45, creditLimitMinor: 2_500_000n, timeZone: "Europe/Paris" },
  // Limited to an assortment (issue 14, seed-media.ts): facilities supplies only.
  { name: "Initech Facilities", taxId: "NL859392733B01", paymentTermsDays: 30, creditLimitMinor: 1_000_000n, timeZone: "Europe/Amsterdam" },
  // Multi-currency (issue 15): customers buying in their own currency; prices converted from the base prices.
  { name: "Liberty Tool Works", taxId: "US12-3456789", paymentTermsDays: 30, creditLimitMinor: 5_000_000n, timeZone: "America/New_York", currency: "USD" },
  { name: "Helvetia Präzision AG", taxId: "CHE-116.281.710", paymentTermsDays: 30, creditLimitMinor: 4_000_000n, timeZone: "Europe/Zurich", currency: "CHF" },
] as const;

/**
 * Demo exchange rates (1 EUR = rate, source ECB) for the last week, so the USD and CHF customers' prices
 * convert whatever their local date; an ECB file import or manual entry on /admin/exchange-rates adds more.
 */
export const demoRates = { USD: "1.0832", CHF: "0.9415" } as const;

type DemoAddress = { label: string; name: string; attention: string; line1: string; line2: string; postalCode: string; city: string; region: string; country: string };
const address = (a: Partial<DemoAddress> & Pick<DemoAddress, "name" | "line1" | "postalCode" | "city" | "country">): DemoAddress => ({ label: "", attention: "", line2: "", region: "", ...a });

/** Each demo company's billing address and two ship-to addresses (the first is the default). */
export const demoAddresses: Record<(typeof demoCompanies)[number]["name"], { billing: DemoAddress; shipTo: [DemoAddress, DemoAddress] }> = {
  "Acme Industrial Supply": {
    billing: address({ name: "Acme Industrial Supply", attention: "Accounts payable", line1: "Hafenstraße 12", postalCode: "20457", city: "Hamburg", country: "DE" }),
    shipTo: [
      address({ label: "Hamburg warehouse", name: "Acme Industrial Supply", attention: "Goods in, gate 3", line1: "Am Sandtorkai 50", postalCode: "20457", city: "Hamburg", country: "DE" }),
      address({ label: "Munich branch", name: "Acme Industrial Supply Süd", attention: "Werkstatt", line1: "Landsberger Straße 301", postalCode: "80687", city: "München", country: "DE" }),
    ],
  },
  "Liberty Tool Works": {
    billing: address({ name: "Liberty Tool Works", attention: "Accounts payable", line1: "350 Fifth Avenue", postalCode: "10118", city: "New York", region: "NY", country: "US" }),
    shipTo: [
      address({ label: "Newark warehouse", name: "Liberty Tool Works", attention: "Receiving dock 4", line1: "100 Port Street", postalCode: "07114", city: "Newark", region: "NJ", country: "US" }),
      address({ label: "Boston shop", name: "Liberty Tool Works Boston", line1: "1 Harbor Street", postalCode: "02210", city: "Boston", region: "MA", country: "US" }),
    ],
  },
  "Helvetia Präzision AG": {
    billing: address({ name: "Helvetia Präzision AG", attention: "Kreditoren", line1: "Bahnhofstrasse 10", postalCode: "8001", city: "Zürich", country: "CH" }),
    shipTo: [
      address({ label: "Winterthur Werk", name: "Helvetia Präzision AG", attention: "Warenannahme", line1: "Zürcherstrasse 41", postalCode: "8400", city: "Winterthur", country: "CH" }),
      address({ label: "Basel Lager", name: "Helvetia Präzision AG", line1: "Hafenstrasse 25", postalCode: "4057", city: "Basel", country: "CH" }),
    ],
  },
  "Globex Manufacturing": {
    billing: address({ name: "Globex Manufacturing", attention: "Comptabilité fournisseurs", line1: "18 rue de la Paix", postalCode: "75002", city: "Paris", country: "FR" }),
    shipTo: [
      address({ label: "Lyon plant", name: "Globex Manufacturing", attention: "Réception", line1: "12 avenue Tony Garnier", postalCode: "69007", city: "Lyon", country: "FR" }),
      address({ label: "Lille depot", name: "Globex Manufacturing Nord", line1: "5 rue de l'Industrie", line2: "Zone d'activité Est", postalCode: "59000", city: "Lille", country: "FR" }),
    ],
  },
  "Initech Facilities": {
    billing: address({ name: "Initech Facilities B.V.", attention: "Crediteurenadministratie", line1: "Keizersgracht 221", postalCode: "1016 DV", city: "Amsterdam", country: "NL" }),
    shipTo: [
      address({ label: "Amsterdam office", name: "Initech Facilities", attention: "Facilitair", line1: "Keizersgracht 221", postalCode: "1016 DV", city: "Amsterdam", country: "NL" }),
      address({ label: "Rotterdam site", name: "Initech Facilities", line1: "Wilhelminakade 9", postalCode: "3072 AP", city: "Rotterdam", country: "NL" }),
    ],
  },
};

/** The demo company's addresses that are missing (a database migrated from the free-text address has its billing address already). */
async function seedDemoAddresses(tx: Tx, companyName: keyof typeof demoAddresses, companyId: string) {
  const book = demoAddresses[companyName];
  const audit = (row: { id: string }) =>
    recordAudit(tx, { actor: "system", request: null }, { action: "company_address.create", entityType: "company_address", entityId: row.id, companyId, after: row });
  if (!(await billingAddressOf(tx, companyId))) {
    const row = await insertCompanyAddress(tx, { companyId, kind: "billing", ...book.billing });
    await setCompanyBillingText(tx, companyId, addressText(row));
    await audit(row);
  }
  if ((await shipToCount(tx, companyId)) === 0) {
    for (const [i, a] of book.shipTo.entries()) await audit(await insertCompanyAddress(tx, { companyId, kind: "shipping", isDefault: i === 0, ...a }));
  }
}

export const demoUsers: { email: string; name: string; role: Role; company?: string }[] = [
  { email: "admin@demo.test", name: "Ada Admin", role: "admin" },
  { email: "sales@demo.test", name: "Sam Sales", role: "sales" },
  { email: "finance@demo.test", name: "Fiona Finance", role: "finance" },
  { email: "buyer@acme.test", name: "Bob Buyer", role: "buyer", company: "Acme Industrial Supply" },
  { email: "approver@acme.test", name: "Alice Approver", role: "customer_admin", company: "Acme Industrial Supply" },
  { email: "buyer@globex.test", name: "Greta Globex", role: "buyer", company: "Globex Manufacturing" },
  { email: "buyer@initech.test", name: "Ivan Initech", role: "buyer", company: "Initech Facilities" },
  { email: "buyer@liberty.test", name: "Uma Liberty", role: "buyer", company: "Liberty Tool Works" },
  { email: "approver@liberty.test", name: "Uri Liberty", role: "customer_admin", company: "Liberty Tool Works" },
  { email: "buyer@helvetia.test", name: "Heidi Helvetia", role: "buyer", company: "Helvetia Präzision AG" },
];

export async function databaseIsEmpty(): Promise<boolean> {
  return (await countUsers(db)) === 0;
}

/** Creates the demo companies and users that are missing; running it again changes nothing. */
export async function seedDemoData(): Promise<{ created: number; products: number; password: string }> {
  const password = env().DEMO_PASSWORD;
  let created = 0;
  let products = 0;
  await db.transaction(async (tx) => {
    const ids = new Map<string, string>();
    for (const c of demoCompanies) {
      const existing = await companyIdByName(tx, c.name);
      if (existing) {
        ids.set(c.name, existing);
        await seedDemoAddresses(tx, c.name, existing);
        continue;
      }
      const row = await insertCompanyRow(tx, { currency: env().DEFAULT_CURRENCY, ...c, billingAddress: addressText(demoAddresses[c.name].billing) });
      ids.set(c.name, row.id);
      await recordAudit(tx, { actor: "system", request: null }, { action: "company.create", entityType: "company", entityId: row.id, companyId: row.id, after: row });
      await seedDemoAddresses(tx, c.name, row.id);
    }
    for (const u of demoUsers) {
      if (await userByEmail(tx, u.email)) continue;
      const user = await insertUser(tx, { email: u.email, name: u.name, role: u.role, companyId: u.company ? ids.get(u.company)! : null, password });
      await recordAudit(tx, { actor: "system", request: null }, { action: "user.create", entityType: "user", entityId: user.id, companyId: user.companyId, after: user });
      created++;
    }
    products = await seedDemoCatalog(tx, env().DEFAULT_CURRENCY, ids, null);
    await seedDemoMedia(tx, ids.get("Initech Facilities")!);
    await seedDemoLists(tx, ids);
    await seedDemoRates(tx);
    await seedDemoBankAccounts(tx);
  });
  return { created, products, password };
}

/** The demo rates for today and the six days before (seller's calendar), from the seller's currency. */
async function seedDemoRates(tx: Tx) {
  const base = env().DEFAULT_CURRENCY;
  const today = sellerToday();
  const rows = Object.entries(demoRates)
    .filter(([quote]) => quote !== base)
    .flatMap(([quote, rate]) => Array.from({ length: 7 }, (_, i) => ({ base, quote, rate, rateDate: addDays(today, -i), source: "ECB" })));
  const written = await upsertExchangeRates(tx, rows, null);
  if (written.length > 0) {
    await recordAudit(tx, { actor: "system", request: null }, { action: "exchange_rate.import", entityType: "exchange_rate", entityId: `ECB/${addDays(today, -6)}..${today}`, after: { rates: written.length, source: "demo seed" } });
  }
}
