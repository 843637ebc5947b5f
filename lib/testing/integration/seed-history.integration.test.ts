import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { addDays } from "@/lib/domain/dates";
import { seedDemoHistory } from "@/lib/services/seed-history";
import { rows, setupTestDatabase } from "@/lib/testing/helpers";
import { sellerToday } from "@/lib/time-zone";

// The demo history of the quick start (npm start; npm run db:seed -- --history): through the real
// services, spread over the past year, once. Other files share the database: only the history's own
// orders (and their documents) are looked at.

setupTestDatabase();

describe("demo history", () => {
  it("adds a year of orders, invoices and payments once, with a few overdue invoices", async () => {
    const first = await seedDemoHistory({ orders: 40 });
    expect(first.orders).toBe(40);
    const again = await seedDemoHistory({ orders: 40 });
    expect(again.orders).toBe(0);

    const ids = sql`string_to_array(${first.orderIds.join(",")}, ',')::uuid[]`;
    const today = sellerToday();
    const [orders] = await rows<{ n: number; names: string }>(sql`select count(*)::int as n, string_agg(distinct c.name, ', ' order by c.name) as names
      from orders o join companies c on c.id = o.company_id where o.id = any(${ids})`);
    expect(orders).toEqual({ n: 40, names: "Acme Industrial Supply, Globex Manufacturing, Initech Components, Umbrella Facilities, Wayne Logistics" });
    const [marker] = await rows<{ n: number }>(sql`select count(*)::int as n from orders o join companies c on c.id = o.company_id where c.name = 'Initech Components'`);
    expect(marker!.n).toBe(first.orderIds.length - (await rows<{ n: number }>(sql`select count(*)::int as n from orders o join companies c on c.id = o.company_id
      where o.id = any(${ids}) and c.name <> 'Initech Components'`))[0]!.n);
    const [invoices] = await rows<{ months: number; future: number; first: string; overdue: number; currencies: string }>(sql`
      select count(distinct to_char(issue_date, 'YYYY-MM'))::int as months, count(*) filter (where issue_date > ${today}::date)::int as future,
        min(issue_date)::text as first, string_agg(distinct currency, ',' order by currency) as currencies,
        count(*) filter (where status = 'open' and due_date < ${today}::date
          and total_minor > coalesce((select sum(a.amount_minor) from payment_allocations a join payments p on p.id = a.payment_id
                                      where a.invoice_id = invoices.id and p.status = 'verified'), 0))::int as overdue
      from invoices where order_id = any(${ids})`);
    expect(invoices!.future).toBe(0);
    expect(invoices!.months).toBeGreaterThanOrEqual(6);
    expect(invoices!.first >= addDays(today, -366)).toBe(true);
    expect(invoices!.overdue).toBeGreaterThan(0);
    expect(invoices!.currencies).toBe("EUR,USD");
    const [payments] = await rows<{ future: number; verified: number }>(sql`select count(*) filter (where p.paid_on > ${today}::date)::int as future,
      count(*) filter (where p.status = 'verified')::int as verified
      from payments p where exists (select 1 from payment_allocations a join invoices i on i.id = a.invoice_id where a.payment_id = p.id and i.order_id = any(${ids}))`);
    expect(payments!.future).toBe(0);
    expect(payments!.verified).toBeGreaterThan(10);
  });
});
