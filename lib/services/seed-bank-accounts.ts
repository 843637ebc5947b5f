import "server-only";
import type { Tx } from "@/db/client";
import { insertBankAccountIfMissing } from "@/db/queries/reconciliation";
import { ibanOf, isValidIban, normaliseIban } from "@/lib/domain/iban";
import { env } from "@/lib/env";
import { recordAudit } from "./audit";

// The seller's demo bank accounts, so bank reconciliation lists accounts before the first statement
// is imported: the account invoices name (SELLER_BANK_NAME, SELLER_IBAN: a customer's transfer lands
// there, and a CAMT.053 statement of it is imported against it) and a Swiss franc account for the
// CHF customers (Helvetia). No statements: those come from the bank, through the import form.

/** The Swiss franc account: a Zurich bank's clearing number 00700 and an account number, check digits computed. */
export const demoChfAccount = { bankName: "Demo Bank (Schweiz) AG", iban: ibanOf("CH", "00700110004567890") } as const;

/** The demo accounts; the seller's own only when SELLER_IBAN is a valid IBAN (a typo there is not stored). */
export function demoBankAccounts(): { bankName: string; iban: string }[] {
  const seller = { bankName: env().SELLER_BANK_NAME, iban: normaliseIban(env().SELLER_IBAN) };
  return [...(isValidIban(seller.iban) ? [seller] : []), demoChfAccount];
}

/** Adds the demo accounts whose IBAN is not known yet (an import may have added it first); returns how many. */
export async function seedDemoBankAccounts(tx: Tx): Promise<number> {
  let added = 0;
  for (const account of demoBankAccounts()) {
    const row = await insertBankAccountIfMissing(tx, account);
    if (!row) continue;
    await recordAudit(tx, { actor: "system", request: null }, { action: "bank_account.create", entityType: "bank_account", entityId: row.id, after: { iban: row.iban, bankName: row.bankName, source: "demo seed" } });
    added++;
  }
  return added;
}
