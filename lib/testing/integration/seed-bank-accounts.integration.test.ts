import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { listBankAccounts } from "@/db/queries/reconciliation";
import { isValidIban } from "@/lib/domain/iban";
import { env } from "@/lib/env";
import { seedDemoData } from "@/lib/services/seed";
import { demoBankAccounts, demoChfAccount } from "@/lib/services/seed-bank-accounts";
import { rows, setupTestDatabase } from "@/lib/testing/helpers";

// The demo seed's bank accounts (npm run db:seed, and npm start's quick-start seed of an empty
// database): the seller's account as invoices print it and a Swiss franc account, each once however
// often the seed runs, listed on the reconciliation page with no statement yet.

setupTestDatabase();

describe("demo bank accounts", () => {
  it("seeds the seller's account and the CHF account once, audited, and lists them", async () => {
    // Run again on the already seeded database: nothing is added twice.
    await seedDemoData();
    await seedDemoData();

    const expected = [
      { iban: "DE89370400440532013000", bankName: "Demo Bank AG" },
      { iban: "CH5200700110004567890", bankName: "Demo Bank (Schweiz) AG" },
    ];
    // The test environment's seller is the default one; the CHF IBAN is the one ibanOf computed.
    expect(env().SELLER_IBAN).toBe("DE89370400440532013000");
    expect(demoChfAccount.iban).toBe("CH5200700110004567890");
    expect(demoBankAccounts()).toEqual(expected);
    for (const { iban } of expected) expect(isValidIban(iban)).toBe(true);

    const ibans = expected.map((a) => a.iban);
    const stored = await rows<{ iban: string; bank_name: string; n: number; audits: number }>(sql`
      select a.iban, a.bank_name, count(*) over (partition by a.iban)::int as n,
        (select count(*)::int from audit_events e where e.entity_type = 'bank_account' and e.entity_id = a.id::text and e.action = 'bank_account.create') as audits
      from bank_accounts a where a.iban in (${sql.join(ibans.map((i) => sql`${i}`), sql`, `)}) order by a.iban desc`);
    // One row per IBAN with one creation audit. (Another file of this run may delete accounts that
    // have no statement; the seed above then added them again, as a new row with its own audit.)
    expect(stored).toEqual([
      { iban: expected[0]!.iban, bank_name: "Demo Bank AG", n: 1, audits: 1 },
      { iban: expected[1]!.iban, bank_name: "Demo Bank (Schweiz) AG", n: 1, audits: 1 },
    ]);

    // The reconciliation page's list: both accounts, the CHF one without statements.
    const listed = await listBankAccounts(db);
    const listedChf = listed.find((a) => a.iban === expected[1]!.iban);
    expect(listedChf).toMatchObject({ bankName: "Demo Bank (Schweiz) AG", statements: 0, lastStatementAt: null });
    expect(listed.filter((a) => ibans.includes(a.iban))).toHaveLength(2);
  });
});
