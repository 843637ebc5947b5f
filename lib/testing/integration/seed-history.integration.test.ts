import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { seedDemoHistory } from "@/lib/services/seed-history";
import { rows, setupTestDatabase } from "@/lib/testing/helpers";
import { sellerToday } from "@/lib/time-zone";

// The demo history of the quick start (npm start; npm run db:seed -- --history): through the real
// services, spread over the past year, once.

setupTestDatabase();

describe("demo history", () => {
  it("adds a year of orders, invoices and payments once, with a few overdue invoices", async () => {
    const first = await seedDemoHistory({ orders: 40 });
    expect(first.orders).toBe(40);
    const again = await seedDemoHistory({ orders: 40 });
    expect(again.orders).toBe(0);

    const today = sellerToday();
    const [orders] = await rows<{ n: number; companies: number }>(sql`select count(*)::int as n, count(distinct o.company_id)::int as companies
      from orders o join companies c on c.id = o.company_id where o.status <> 'draft'
        and c.name in ('Acme Industrial Supply', 'Globex Manufacturing', 'Initech Components', 'Umbrella Facilities', 'Wayne Logistics')`);
    expect(orders).toEqual({ n: 40, companies: 5 });
    const [invoices] = await rows<{ months: number; future: number; first: string; overdue: number; currencies: string }>(sql`
      select count(distinct to_char(issue_date, 'YYYY-MM'))::int as months, count(*) filter (where issue_date > ${today}::date)::int as future,
        min(issue_date)::text as first, string_agg(distinct currency, ',' order by currency) as currencies,
        count(*) filter (where status = 'open' and due_date < ${today}::date
          and total_minor > coalesce((select sum(a.amount_minor) from payment_allocations a join payments p on p.id = a.payment_id
                                      where a.invoice_id = invoices.id and p.status = 'verified'), 0))::int as overdue
      from invoices`);
    expect(invoices!.future).toBe(0);
    expect(invoices!.months).toBeGreaterThanOrEqual(6);
    expect(invoices!.first < `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`).toBe(false);
    expect(invoices!.overdue).toBeGreaterThan(0);
    expect(invoices!.currencies).toBe("EUR,USD");
    const [payments] = await rows<{ future: number; verified: number }>(sql`select count(*) filter (where paid_on > ${today}::date)::int as future,
      count(*) filter (where status = 'verified')::int as verified from payments`);
    expect(payments).toMatchObject({ future: 0 });
    expect(payments!.verified).toBeGreaterThan(10);
  });
});
