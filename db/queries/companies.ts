import "server-only";
import { isUuid } from "@/lib/domain/ids";
import { and, asc, count, eq, ilike, ne, sql } from "drizzle-orm";
import { companies, type Company, type NewCompany } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { statement, tableRow } from "@/db/prepared";
import { PAGE_SIZE } from "./users";

export type CompanyRow = Company & { userCount: number };

/** Staff only: callers check companies.read before calling. */
export async function listCompanies(db: DbOrTx, params: { q?: string; page?: number }): Promise<{ rows: CompanyRow[]; total: number }> {
  const where = params.q ? ilike(companies.name, `%${params.q.replace(/[%_\\]/g, "\\$&")}%`) : undefined;
  const page = Math.max(1, params.page ?? 1);
  const rows = await db
    .select({
      id: companies.id,
      name: companies.name,
      billingAddress: companies.billingAddress,
      taxId: companies.taxId,
      paymentTermsDays: companies.paymentTermsDays,
      creditLimitMinor: companies.creditLimitMinor,
      currency: companies.currency,
      timeZone: companies.timeZone,
      active: companies.active,
      quoteValidityDays: companies.quoteValidityDays,
      requiresPoNumber: companies.requiresPoNumber,
      accountsPayableEmail: companies.accountsPayableEmail,
      createdAt: companies.createdAt,
      updatedAt: companies.updatedAt,
      // Qualified by hand: inside a single-table select drizzle prints columns without their table.
      userCount: sql<number>`(select count(*)::int from users u where u.company_id = "companies"."id")`,
    })
    .from(companies)
    .where(where)
    .orderBy(asc(companies.name), asc(companies.id))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(companies).where(where);
  return { rows, total: total?.n ?? 0 };
}

// Prepared (db/prepared.ts): an order's acceptance reads and locks its company on the hot path.
const companyRow = tableRow(companies, "companies");
const loadCompanyStatement = statement<Record<string, unknown>, { id: string }>("companies.load", sql`select ${companyRow.list} from companies where id = ${sql.placeholder("id")}`);
const lockCompanyStatement = statement<Record<string, unknown>, { id: string }>("companies.lock", sql`select ${companyRow.list} from companies where id = ${sql.placeholder("id")} for update`);

/** The company, or null (also for an id that is not a UUID); `lock` takes its row lock (a company edit, the credit check of an acceptance). */
export async function getCompany(db: DbOrTx, id: string, opts: { lock?: boolean } = {}): Promise<Company | null> {
  if (!isUuid(id)) return null;
  const [row] = await (opts.lock ? lockCompanyStatement : loadCompanyStatement)(db, { id });
  return row ? companyRow.map(row) : null;
}

export async function listCompanyOptions(db: DbOrTx): Promise<{ id: string; name: string }[]> {
  return db.select({ id: companies.id, name: companies.name }).from(companies).orderBy(asc(companies.name));
}

/** Id, name and invoicing currency of a company, or null. */
export async function companyBrief(db: DbOrTx, id: string): Promise<{ id: string; name: string; currency: string } | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select({ id: companies.id, name: companies.name, currency: companies.currency }).from(companies).where(eq(companies.id, id));
  return row ?? null;
}

/** The id of the company with this name (case-insensitive), other than `exceptId`, if any. */
export async function companyIdByName(db: DbOrTx, name: string, exceptId?: string): Promise<string | null> {
  const [row] = await db
    .select({ id: companies.id })
    .from(companies)
    .where(and(eq(sql`lower(${companies.name})`, name.toLowerCase()), exceptId ? ne(companies.id, exceptId) : undefined));
  return row?.id ?? null;
}

export async function insertCompanyRow(tx: DbOrTx, values: NewCompany): Promise<Company> {
  const [row] = await tx.insert(companies).values(values).returning();
  return row!;
}

export async function updateCompanyRow(tx: DbOrTx, id: string, set: Partial<NewCompany>): Promise<Company> {
  const [row] = await tx
    .update(companies)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(companies.id, id))
    .returning();
  return row!;
}
