import { sql } from "drizzle-orm";
import { runMutation } from "@/lib/mutation";
import type { Actor } from "@/lib/domain/actor";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createProduct } from "@/lib/services/products";
import { actorByEmail, request, rows } from "./helpers";

let n = 0;
export const testKey = (prefix = "t") => `${prefix}-${Date.now()}-${n++}`;

export type InvoicedOrder = { buyer: Actor & { companyId: string }; companyName: string; orderId: string; invoice: { id: string; number: string; payment_reference: string } };

/**
 * An approved order with its invoice (tax 0, so the total is the price) for a fresh customer
 * company, so the invoice and its amounts are the calling test's alone. Pass `companyId` to add
 * another invoice for the same company.
 */
export async function invoicedOrder(price: string, opts: { companyName?: string; buyer?: InvoicedOrder["buyer"] } = {}): Promise<InvoicedOrder> {
  const admin = await actorByEmail("admin@demo.test");
  const sales = await actorByEmail("sales@demo.test");
  const suffix = `${Date.now()}${n++}`;
  let buyer = opts.buyer;
  let companyName = opts.companyName ?? `Payer ${suffix}`;
  if (!buyer) {
    const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${companyName}, 'EUR', 100000000) returning id`);
    const [user] = await rows<{ id: string }>(sql`insert into users (email, name, password_hash, role, company_id) values (${`payer-${suffix}@example.test`}, 'Payer', 'x', 'buyer', ${company!.id}) returning id`);
    buyer = { id: user!.id, email: `payer-${suffix}@example.test`, name: "Payer", role: "buyer", companyId: company!.id };
  } else {
    companyName = (await rows<{ name: string }>(sql`select name from companies where id = ${buyer.companyId}`))[0]!.name;
  }
  const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("inv") });
  const p = await runMutation(createProduct, as(admin), { sku: `PAY-${suffix}`, name: "Payable", category: "Pay", basePrice: price, taxRate: "0" });
  if (!p.ok) throw new Error(p.error);
  await runMutation(receiveStock, as(admin), { productId: p.data.id, quantity: "10" });
  await runMutation(addToCart, as(buyer), { productId: p.data.id, quantity: "1" });
  const q = await runMutation(submitCart, as(buyer), {});
  if (!q.ok) throw new Error(q.error);
  const accepted = await runMutation(acceptQuotation, as(buyer), { orderId: q.data.orderId });
  if (!accepted.ok) throw new Error(accepted.error);
  const ok = await runMutation(approveOrder, { actor: sales, request: request() }, { orderId: q.data.orderId });
  if (!ok.ok) throw new Error(ok.error);
  const [invoice] = await rows<InvoicedOrder["invoice"]>(sql`select id, number, payment_reference from invoices where order_id = ${q.data.orderId}`);
  return { buyer, companyName, orderId: q.data.orderId, invoice: invoice! };
}

/**
 * A fresh customer company (with an accounts-payable address when given) and its one buyer, named
 * after the test (`who`: "Notified", "Reminded" …), in the shape invoicedOrder takes.
 */
export async function freshBuyer(ap: string | null, who: { company: string; name: string }): Promise<InvoicedOrder["buyer"]> {
  const suffix = `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor, accounts_payable_email) values (${`${who.company} ${suffix}`}, 'EUR', 100000000, ${ap}) returning id`);
  const email = `${who.company.toLowerCase()}-${suffix}@example.test`;
  await rows(sql`insert into users (email, name, password_hash, role, company_id) values (${email}, ${who.name}, 'x', 'buyer', ${company!.id})`);
  return (await actorByEmail(email)) as InvoicedOrder["buyer"];
}
