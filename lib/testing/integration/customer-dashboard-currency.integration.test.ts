import { sql } from "drizzle-orm";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { CustomerDashboard } from "@/components/dashboard/customer-dashboard";
import { db } from "@/db/client";
import { customerDashboardData } from "@/db/queries/analytics/customer";
import type { Actor } from "@/lib/domain/actor";
import { monthOf } from "@/lib/domain/periods";
import { actorByEmail, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// Issue 15: a company buys in one currency, so its own dashboard (the customer admin's home) shows its
// figures in that currency and nothing in the seller's. Liberty Tool Works, the demo's USD customer,
// gets an invoice of €19.99 base price at the demo rate (1 EUR = 1.0832 USD): US$21.65; its spend,
// open invoices and the rendered dashboard are in US dollars only, with no euro sign anywhere.

setupTestDatabase();

describe("the customer dashboard of a USD customer", () => {
  it("spend and open invoices in USD only, exact; the rendered dashboard shows no euro amount", async () => {
    const clock = sellerClock();
    const [liberty] = await rows<{ id: string; currency: string }>(sql`select id, currency::text from companies where name = 'Liberty Tool Works'`);
    expect(liberty!.currency).toBe("USD");
    const buyer = (await actorByEmail("buyer@liberty.test")) as Actor & { companyId: string };
    const before = await customerDashboardData(db, liberty!.id, clock);

    const doc = await invoicedOrder("19.99", { buyer });
    const [invoice] = await rows<{ currency: string; total_minor: string; fx_rate: string }>(sql`select currency::text, total_minor::text, fx_rate::text from invoices where id = ${doc.invoice.id}`);
    expect(invoice).toEqual({ currency: "USD", total_minor: "2165", fx_rate: "1.0832000000" });

    const after = await customerDashboardData(db, liberty!.id, clock);
    const currencies = (d: typeof after) =>
      new Set([
        ...d.spendByMonth.map((s) => s.currency),
        ...d.spendByBuyer.map((s) => s.currency),
        ...d.spendByCategory.map((s) => s.currency),
        ...d.openInvoices.outstanding.map((s) => s.currency),
        ...d.openInvoices.items.map((s) => s.currency),
        ...d.awaitingApproval.items.map((s) => s.currency),
      ]);
    expect([...currencies(after)]).toEqual(["USD"]);
    const usd = (d: typeof after) => d.spendByMonth.find((s) => s.currency === "USD");
    const month = monthOf(clock.today);
    const thisMonth = (d: typeof after) => usd(d)?.months.find((m) => m.month === month)?.minor ?? 0n;
    expect(thisMonth(after) - thisMonth(before)).toBe(2165n);
    expect((usd(after)?.total ?? 0n) - (usd(before)?.total ?? 0n)).toBe(2165n);
    const outstanding = (d: typeof after) => d.openInvoices.outstanding.find((a) => a.currency === "USD")?.minor ?? 0n;
    expect(outstanding(after) - outstanding(before)).toBe(2165n);
    expect(after.openInvoices.count - before.openInvoices.count).toBe(1);
    const buyerSpend = (d: typeof after) => d.spendByBuyer.find((b) => b.buyerId === buyer.id)?.minor ?? 0n;
    expect(buyerSpend(after) - buyerSpend(before)).toBe(2165n);
    expect(after.openInvoices.items.find((i) => i.invoiceId === doc.invoice.id)).toMatchObject({ currency: "USD", totalMinor: 2165n, outstandingMinor: 2165n });

    // What the customer admin sees: the same component the portal home renders.
    const html = renderToStaticMarkup(await CustomerDashboard({ companyId: liberty!.id, clock, timeZone: "America/New_York" }));
    expect(html).not.toContain("€");
    expect(html).not.toContain("EUR");
    expect(html).toContain("US$21.65");
    expect(html).toContain('data-testid="spend-by-month-USD"');
    expect(html).toContain(`${after.openInvoices.count} open ${after.openInvoices.count === 1 ? "invoice" : "invoices"}`);
  });
});
