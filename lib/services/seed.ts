import "server-only";
import { db } from "@/db/client";
import { companyIdByName, insertCompanyRow } from "@/db/queries/companies";
import { countUsers, userByEmail } from "@/db/queries/users";
import type { Role } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import { recordAudit } from "./audit";
import { seedDemoCatalog } from "./seed-catalog";
import { insertUser } from "./users";

export const demoCompanies = [
  { name: "Acme Industrial Supply", taxId: "DE811907980", billingAddress: "Hafenstraße 12\n20457 Hamburg\nGermany", paymentTermsDays: 30, creditLimitMinor: 5_000_000n, timeZone: "Europe/Berlin" },
  { name: "Globex Manufacturing", taxId: "FR40303265045", billingAddress: "18 rue de la Paix\n75002 Paris\nFrance", paymentTermsDays: 45, creditLimitMinor: 2_500_000n, timeZone: "Europe/Paris" },
] as const;

export const demoUsers: { email: string; name: string; role: Role; company?: string }[] = [
  { email: "admin@demo.test", name: "Ada Admin", role: "admin" },
  { email: "sales@demo.test", name: "Sam Sales", role: "sales" },
  { email: "finance@demo.test", name: "Fiona Finance", role: "finance" },
  { email: "buyer@acme.test", name: "Bob Buyer", role: "buyer", company: "Acme Industrial Supply" },
  { email: "approver@acme.test", name: "Alice Approver", role: "customer_admin", company: "Acme Industrial Supply" },
  { email: "buyer@globex.test", name: "Greta Globex", role: "buyer", company: "Globex Manufacturing" },
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
        continue;
      }
      const row = await insertCompanyRow(tx, { ...c, currency: env().DEFAULT_CURRENCY });
      ids.set(c.name, row.id);
      await recordAudit(tx, { actor: "system", request: null }, { action: "company.create", entityType: "company", entityId: row.id, companyId: row.id, after: row });
    }
    for (const u of demoUsers) {
      if (await userByEmail(tx, u.email)) continue;
      const user = await insertUser(tx, { email: u.email, name: u.name, role: u.role, companyId: u.company ? ids.get(u.company)! : null, password });
      await recordAudit(tx, { actor: "system", request: null }, { action: "user.create", entityType: "user", entityId: user.id, companyId: user.companyId, after: user });
      created++;
    }
    products = await seedDemoCatalog(tx, env().DEFAULT_CURRENCY, ids, null);
  });
  return { created, products, password };
}
