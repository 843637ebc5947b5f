import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { companies, companyAddresses, type AddressSnapshot, type CompanyAddress, type NewCompanyAddress } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { statement, tableRow } from "@/db/prepared";
import { isUuid } from "@/lib/domain/ids";

// A company's address book. Every read and write names the company: a caller never reaches another
// company's address by its id alone (the services pass the actor's company for customer users).

/** Billing first, then the default ship-to, then the other ship-to addresses by label. */
export async function listCompanyAddresses(db: DbOrTx, companyId: string): Promise<CompanyAddress[]> {
  return db
    .select()
    .from(companyAddresses)
    .where(eq(companyAddresses.companyId, companyId))
    .orderBy(asc(companyAddresses.kind), desc(companyAddresses.isDefault), asc(sql`lower(${companyAddresses.label})`), asc(companyAddresses.createdAt), asc(companyAddresses.id));
}

export async function getCompanyAddress(db: DbOrTx, companyId: string, id: string, opts: { lock?: boolean } = {}): Promise<CompanyAddress | null> {
  if (!isUuid(id)) return null;
  const q = db.select().from(companyAddresses).where(and(eq(companyAddresses.id, id), eq(companyAddresses.companyId, companyId)));
  const [row] = opts.lock ? await q.for("update") : await q;
  return row ?? null;
}

export async function billingAddressOf(db: DbOrTx, companyId: string, opts: { lock?: boolean } = {}): Promise<CompanyAddress | null> {
  const q = db.select().from(companyAddresses).where(and(eq(companyAddresses.companyId, companyId), eq(companyAddresses.kind, "billing")));
  const [row] = opts.lock ? await q.for("update") : await q;
  return row ?? null;
}

// Prepared (db/prepared.ts): every order submitted without a ship-to reads the default one.
const addressRow = tableRow(companyAddresses, "a");
const defaultShipToStatement = statement<Record<string, unknown>, { companyId: string }>(
  "addresses.default_ship_to",
  sql`select ${addressRow.list} from company_addresses a where a.company_id = ${sql.placeholder("companyId")} and a.kind = 'shipping' and a.is_default`,
);

export async function defaultShipToOf(db: DbOrTx, companyId: string): Promise<CompanyAddress | null> {
  const [row] = await defaultShipToStatement(db, { companyId });
  return row ? addressRow.map(row) : null;
}

export async function shipToCount(db: DbOrTx, companyId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(companyAddresses)
    .where(and(eq(companyAddresses.companyId, companyId), eq(companyAddresses.kind, "shipping")));
  return row?.n ?? 0;
}

export async function insertCompanyAddress(db: DbOrTx, values: NewCompanyAddress): Promise<CompanyAddress> {
  const [row] = await db.insert(companyAddresses).values(values).returning();
  return row!;
}

export async function updateCompanyAddressRow(db: DbOrTx, companyId: string, id: string, values: Partial<NewCompanyAddress>): Promise<CompanyAddress> {
  const [row] = await db
    .update(companyAddresses)
    .set({ ...values, updatedAt: new Date() })
    .where(and(eq(companyAddresses.id, id), eq(companyAddresses.companyId, companyId)))
    .returning();
  return row!;
}

/** Clears the company's default ship-to (before another becomes the default: the unique index allows one). */
export async function clearDefaultShipTo(db: DbOrTx, companyId: string, exceptId?: string): Promise<void> {
  await db
    .update(companyAddresses)
    .set({ isDefault: false, updatedAt: new Date() })
    .where(
      and(
        eq(companyAddresses.companyId, companyId),
        eq(companyAddresses.kind, "shipping"),
        eq(companyAddresses.isDefault, true),
        exceptId ? sql`${companyAddresses.id} <> ${exceptId}` : undefined,
      ),
    );
}

export async function deleteCompanyAddressRow(db: DbOrTx, companyId: string, id: string): Promise<void> {
  await db.delete(companyAddresses).where(and(eq(companyAddresses.id, id), eq(companyAddresses.companyId, companyId)));
}

/** The oldest other ship-to, to become the default when the default is deleted. */
export async function oldestShipTo(db: DbOrTx, companyId: string): Promise<CompanyAddress | null> {
  const [row] = await db
    .select()
    .from(companyAddresses)
    .where(and(eq(companyAddresses.companyId, companyId), eq(companyAddresses.kind, "shipping")))
    .orderBy(asc(companyAddresses.createdAt), asc(companyAddresses.id))
    .limit(1);
  return row ?? null;
}

/** Keeps companies.billing_address (read by statements and older code) the billing address's text. */
export async function setCompanyBillingText(db: DbOrTx, companyId: string, text: string): Promise<void> {
  await db.update(companies).set({ billingAddress: text, updatedAt: new Date() }).where(eq(companies.id, companyId));
}

/** The printable copy an order keeps (orders.ship_to). */
export function snapshotOf(a: CompanyAddress): AddressSnapshot {
  return { label: a.label, name: a.name, attention: a.attention, line1: a.line1, line2: a.line2, postalCode: a.postalCode, city: a.city, region: a.region, country: a.country };
}
