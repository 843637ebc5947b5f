import { sql } from "drizzle-orm";
import { pdfText } from "@/lib/testing/pdf-text";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import type { Actor } from "@/lib/domain/actor";
import { runMutation } from "@/lib/mutation";
import { closePdfPool } from "@/lib/pdf/render";
import { createCompanyAddress, deleteCompanyAddress, updateCompanyAddress } from "@/lib/services/addresses";
import { createCompany } from "@/lib/services/companies";
import { documentPdf } from "@/lib/services/documents";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { acceptQuotation, placeOrder, submitCart } from "@/lib/services/orders/quotations";
import { createProduct } from "@/lib/services/products";
import { insertUser } from "@/lib/services/users";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";

// Address books (issue 14): the database allows one billing address and one default ship-to per
// company; the service scopes a customer admin to their own company's ship-to addresses and audits
// every change; an order copies the ship-to it was placed with, and its quotation and invoice PDFs
// print that copy, whatever happens to the address book afterwards.

setupTestDatabase();
afterAll(() => closePdfPool());

let seq = 0;
const key = () => `addr-${Date.now()}-${seq++}`;
const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: key() });
const one = async <T>(q: ReturnType<typeof sql>) => (await rows<T>(q))[0]!;

async function newCompany(name: string) {
  const admin = await actorByEmail("admin@demo.test");
  const created = await runMutation(createCompany, as(admin), { name, paymentTermsDays: "30", creditLimit: "1000000.00", currency: "EUR", timeZone: "Europe/Berlin" });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.data.id;
}

async function userOf(companyId: string, role: "buyer" | "customer_admin"): Promise<Actor> {
  const user = await db.transaction((tx) => insertUser(tx, { email: uniqueEmail(role), name: `Test ${role}`, role, companyId, password: "a-long-test-password-1" }));
  return { id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId };
}

const street = (label: string, line1: string, city: string, country = "DE") => ({ kind: "shipping", label, name: "Addr Test GmbH", attention: "", line1, line2: "", postalCode: "10115", city, region: "", country });

describe("address book constraints", () => {
  it("seeds each demo company with a billing address and two ship-to addresses, one the default", async () => {
    expect(await rows(sql`
      select c.name, count(*) filter (where a.kind = 'billing')::int as billing, count(*) filter (where a.kind = 'shipping')::int as ship_to,
        count(*) filter (where a.is_default)::int as defaults, c.billing_address
      from companies c join company_addresses a on a.company_id = c.id
      where c.name in ('Acme Industrial Supply', 'Globex Manufacturing') group by c.id order by c.name`)).toEqual([
      { name: "Acme Industrial Supply", billing: 1, ship_to: 2, defaults: 1, billing_address: "Acme Industrial Supply\nAttn. Accounts payable\nHafenstraße 12\n20457 Hamburg\nGermany" },
      { name: "Globex Manufacturing", billing: 1, ship_to: 2, defaults: 1, billing_address: "Globex Manufacturing\nAttn. Comptabilité fournisseurs\n18 rue de la Paix\n75002 Paris\nFrance" },
    ]);
  });

  it("holds one billing address and one default ship-to per company in the database itself", async () => {
    const companyId = await newCompany("Addr Constraints GmbH");
    const insert = (kind: string, isDefault: boolean) =>
      db.execute(sql`insert into company_addresses (company_id, kind, name, line1, city, country, is_default) values (${companyId}, ${kind}::address_kind, 'X', 'Street 1', 'Berlin', 'DE', ${isDefault})`);
    await insert("billing", false);
    await expect(insert("billing", false)).rejects.toMatchObject({ cause: { code: "23505", constraint_name: "company_addresses_one_billing_key" } });
    await insert("shipping", true);
    await insert("shipping", false);
    await expect(insert("shipping", true)).rejects.toMatchObject({ cause: { code: "23505", constraint_name: "company_addresses_one_default_ship_to_key" } });
    await expect(insert("billing", true)).rejects.toMatchObject({ cause: { code: "23514" } });
    await expect(db.execute(sql`insert into company_addresses (company_id, kind, name, line1, city, country) values (${companyId}, 'shipping', 'X', 'S 1', 'B', 'de')`)).rejects.toMatchObject({ cause: { code: "23514" } });
    expect(await one<{ billing: number; defaults: number; shipping: number }>(sql`
      select count(*) filter (where kind = 'billing')::int as billing, count(*) filter (where is_default)::int as defaults, count(*) filter (where kind = 'shipping')::int as shipping
      from company_addresses where company_id = ${companyId}`)).toEqual({ billing: 1, defaults: 1, shipping: 2 });
  });

  it("keeps one default under parallel 'make default' edits", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const companyId = await newCompany("Addr Parallel GmbH");
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await runMutation(createCompanyAddress, as(admin), { companyId, ...street(`Site ${i}`, `Street ${i}`, "Berlin") });
      if (!r.ok) throw new Error(JSON.stringify(r));
      ids.push(r.data.id);
    }
    const results = await Promise.all(ids.map((addressId, i) => runMutation(updateCompanyAddress, as(admin), { companyId, addressId, ...street(`Site ${i}`, `Street ${i}`, "Berlin"), isDefault: "on" })));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true]);
    expect(await one<{ defaults: number }>(sql`select count(*)::int as defaults from company_addresses where company_id = ${companyId} and is_default`)).toEqual({ defaults: 1 });
  });
});

describe("address book service", () => {
  it("lets staff set the billing address (one, kept in companies.billing_address too) and ship-to addresses, audited", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const companyId = await newCompany("Addr Staff GmbH");
    const billing = { companyId, kind: "billing", name: "Addr Staff GmbH", attention: "Accounts payable", line1: "Ringstraße 7", line2: "", postalCode: "10115", city: "Berlin", region: "", country: "de" };
    const first = await runMutation(createCompanyAddress, as(sales), billing);
    expect(first).toMatchObject({ ok: true, data: { kind: "billing" } });
    // A second "new" billing address replaces the fields of the one there is.
    const second = await runMutation(createCompanyAddress, as(sales), { ...billing, line1: "Ringstraße 9" });
    expect(second.ok && first.ok && second.data.id === first.data.id).toBe(true);
    expect(await one<{ text: string; n: number }>(sql`select billing_address as text, (select count(*)::int from company_addresses where company_id = c.id) as n from companies c where id = ${companyId}`)).toEqual({
      text: "Addr Staff GmbH\nAttn. Accounts payable\nRingstraße 9\n10115 Berlin\nGermany",
      n: 1,
    });

    const bad = await runMutation(createCompanyAddress, as(sales), { ...street("", "", ""), companyId, country: "ZZ" });
    expect(bad).toMatchObject({ ok: false, code: "validation_failed" });
    if (!bad.ok) expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["city", "country", "line1"]);
    expect(await runMutation(createCompanyAddress, as(sales), { ...street("", "Dock 1", "Kiel"), companyId })).toMatchObject({ ok: false, fieldErrors: { label: [expect.stringContaining("short name")] } });

    const a = await runMutation(createCompanyAddress, as(sales), { ...street("Kiel dock", "Dock 1", "Kiel"), companyId });
    const b = await runMutation(createCompanyAddress, as(sales), { ...street("Bonn office", "Markt 2", "Bonn"), companyId });
    if (!a.ok || !b.ok) throw new Error("not created");
    const defaults = () => rows<{ label: string }>(sql`select label from company_addresses where company_id = ${companyId} and is_default`);
    expect(await defaults()).toEqual([{ label: "Kiel dock" }]); // the first ship-to is the default
    expect(await runMutation(updateCompanyAddress, as(sales), { companyId, addressId: a.data.id, ...street("Kiel dock", "Dock 1", "Kiel") })).toMatchObject({
      ok: false,
      fieldErrors: { isDefault: [expect.stringContaining("make another one the default")] },
    });
    expect(await runMutation(updateCompanyAddress, as(sales), { companyId, addressId: b.data.id, ...street("Bonn office", "Markt 2", "Bonn"), isDefault: "on" })).toMatchObject({ ok: true });
    expect(await defaults()).toEqual([{ label: "Bonn office" }]);
    // Deleting the default hands the role to the oldest remaining ship-to; the billing address cannot go.
    expect(await runMutation(deleteCompanyAddress, as(sales), { companyId, addressId: b.data.id })).toMatchObject({ ok: true, data: { newDefaultId: a.data.id } });
    expect(await defaults()).toEqual([{ label: "Kiel dock" }]);
    if (first.ok) expect(await runMutation(deleteCompanyAddress, as(sales), { companyId, addressId: first.data.id })).toMatchObject({ ok: false, code: "conflict" });

    const audit = await rows<{ action: string; actor: string; entity_id: string }>(sql`
      select action, actor_role as actor, entity_id::text from audit_events where company_id = ${companyId} and entity_type = 'company_address' and outcome = 'success' order by id`);
    expect(audit.map((r) => r.action)).toEqual([
      "company_address.create",
      "company_address.update",
      "company_address.create",
      "company_address.create",
      "company_address.update",
      "company_address.delete",
    ]);
    expect(new Set(audit.map((r) => r.actor))).toEqual(new Set(["sales"]));
  });

  it("lets a customer admin keep their own company's ship-to addresses only; buyers and finance only read", async () => {
    const ownId = await newCompany("Addr Own GmbH");
    const otherId = await newCompany("Addr Other GmbH");
    const admin = await userOf(ownId, "customer_admin");
    const buyer = await userOf(ownId, "buyer");
    const finance = await actorByEmail("finance@demo.test");
    const other = await runMutation(createCompanyAddress, as(await actorByEmail("admin@demo.test")), { ...street("Other site", "Weg 1", "Essen"), companyId: otherId });
    if (!other.ok) throw new Error("not created");

    expect(await runMutation(createCompanyAddress, as(admin), { ...street("Own site", "Weg 2", "Essen"), companyId: ownId })).toMatchObject({ ok: true });
    expect(await runMutation(createCompanyAddress, as(admin), { ...street("Sneaky", "Weg 3", "Essen"), companyId: otherId })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runMutation(updateCompanyAddress, as(admin), { ...street("Mine now", "Weg 3", "Essen"), companyId: ownId, addressId: other.data.id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runMutation(deleteCompanyAddress, as(admin), { companyId: otherId, addressId: other.data.id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runMutation(createCompanyAddress, as(admin), { ...street("", "Weg 4", "Essen"), kind: "billing", companyId: ownId })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runMutation(createCompanyAddress, as(buyer), { ...street("Buyer site", "Weg 5", "Essen"), companyId: ownId })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runMutation(createCompanyAddress, as(finance), { ...street("Finance site", "Weg 6", "Essen"), companyId: ownId })).toMatchObject({ ok: false, code: "forbidden" });

    expect(await one<{ label: string }>(sql`select label from company_addresses where id = ${other.data.id}`)).toEqual({ label: "Other site" });
    expect(await rows(sql`select label from company_addresses where company_id = ${ownId} order by label`)).toEqual([{ label: "Own site" }]);
    const denied = await rows<{ action: string; actor: string }>(sql`
      select action, actor_role as actor from audit_events where entity_type = 'company_address' and outcome = 'denied' and actor_id in (${admin.id}, ${buyer.id}) order by id`);
    expect(denied).toEqual([
      { action: "company_address.create", actor: "customer_admin" },
      { action: "company_address.update", actor: "customer_admin" },
      { action: "company_address.delete", actor: "customer_admin" },
      { action: "company_address.create", actor: "customer_admin" },
      { action: "company_address.create", actor: "buyer" },
    ]);
  });
});

describe("ship-to on orders", () => {
  it("copies the picked ship-to onto the order, refuses another company's, and prints billing and ship-to on the quotation and invoice", async () => {
    const staff = await actorByEmail("admin@demo.test");
    const companyId = await newCompany("Addr Orders GmbH");
    const buyer = await userOf(companyId, "buyer");
    const billing = await runMutation(createCompanyAddress, as(staff), { companyId, kind: "billing", name: "Addr Orders GmbH", attention: "", line1: "Billweg 1", line2: "", postalCode: "20095", city: "Hamburg", region: "", country: "DE" });
    const main = await runMutation(createCompanyAddress, as(staff), { ...street("Main yard", "Hofweg 1", "Hamburg"), companyId });
    const side = await runMutation(createCompanyAddress, as(staff), { ...street("Side depot", "Depotstraße 5", "Wien", "AT"), companyId, postalCode: "1100" });
    if (!billing.ok || !main.ok || !side.ok) throw new Error("not created");
    const acme = await actorByEmail("buyer@acme.test");
    const acmeShipTo = await one<{ id: string }>(sql`select a.id from company_addresses a join companies c on c.id = a.company_id where c.name = 'Acme Industrial Supply' and a.kind = 'shipping' limit 1`);

    const product = await runMutation(createProduct, as(staff), { sku: "ADDR-1", name: "Address test item", category: "Addresses", basePrice: "10.00", taxRate: "19", minOrderQuantity: "1", orderMultiple: "1", tiers: "" });
    if (!product.ok) throw new Error(JSON.stringify(product));
    await runMutation(receiveStock, as(staff), { productId: product.data.id, quantity: "100" });
    expect(await runMutation(addToCart, as(buyer), { productId: product.data.id, quantity: "2" })).toMatchObject({ ok: true });

    // Another company's address (Acme's, which exists) is not found for this buyer; nothing is submitted.
    expect(await runMutation(submitCart, as(buyer), { shipToAddressId: acmeShipTo.id })).toMatchObject({ ok: false, code: "not_found", fieldErrors: { shipToAddressId: [expect.any(String)] } });
    expect(await runMutation(submitCart, as(acme), { shipToAddressId: side.data.id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runMutation(submitCart, as(buyer), { shipToAddressId: billing.data.id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await one<{ n: number }>(sql`select count(*)::int as n from orders where company_id = ${companyId} and status <> 'draft'`)).toEqual({ n: 0 });

    const submitted = await runMutation(submitCart, as(buyer), { shipToAddressId: side.data.id });
    if (!submitted.ok) throw new Error(JSON.stringify(submitted));
    const orderId = submitted.data.orderId;
    // The API's POST /orders path: no ship-to given → the company's default.
    const placed = await runMutation(placeOrder, as(buyer), { lines: [{ sku: "ADDR-1", quantity: 1 }], poNumber: "", notes: "" });
    if (!placed.ok) throw new Error(JSON.stringify(placed));
    expect(await runMutation(placeOrder, as(buyer), { lines: [{ sku: "ADDR-1", quantity: 1 }], poNumber: "", notes: "", shipToAddressId: acmeShipTo.id })).toMatchObject({ ok: false, code: "not_found" });

    const shipTo = (id: string) => one<{ ship_to: Record<string, string>; ship_to_address_id: string; quoted: string }>(sql`
      select o.ship_to, o.ship_to_address_id, q.customer->>'shipTo' as quoted from orders o join quotations q on q.order_id = o.id where o.id = ${id}`);
    const before = await shipTo(orderId);
    expect(before).toEqual({
      ship_to: { label: "Side depot", name: "Addr Test GmbH", attention: "", line1: "Depotstraße 5", line2: "", postalCode: "1100", city: "Wien", region: "", country: "AT" },
      ship_to_address_id: side.data.id,
      quoted: "Addr Test GmbH\nDepotstraße 5\n1100 Wien\nAustria",
    });
    expect(await shipTo(placed.data.orderId)).toMatchObject({ ship_to: { label: "Main yard", line1: "Hofweg 1" }, ship_to_address_id: main.data.id });

    expect(await runMutation(acceptQuotation, as(buyer), { orderId })).toMatchObject({ ok: true });
    expect(await runMutation(approveOrder, { actor: staff, request: request() }, { orderId, comment: "" })).toMatchObject({ ok: true, data: { status: "approved" } });

    // Editing and then deleting the address book entry leaves the order, quotation and invoice as issued.
    expect(await runMutation(updateCompanyAddress, as(staff), { ...street("Side depot", "Neue Gasse 9", "Graz", "AT"), companyId, addressId: side.data.id })).toMatchObject({ ok: true });
    expect(await runMutation(updateCompanyAddress, as(staff), { companyId, addressId: billing.data.id, name: "Addr Orders GmbH", attention: "", line1: "Neuer Billweg 2", line2: "", postalCode: "20095", city: "Hamburg", region: "", country: "DE" })).toMatchObject({ ok: true });
    expect(await shipTo(orderId)).toEqual(before);
    expect(await runMutation(deleteCompanyAddress, as(staff), { companyId, addressId: side.data.id })).toMatchObject({ ok: true });
    expect(await shipTo(orderId)).toEqual({ ...before, ship_to_address_id: null });

    const quotation = await one<{ id: string }>(sql`select id from quotations where order_id = ${orderId}`);
    const invoice = await one<{ id: string; ship_to: string }>(sql`select id, customer->>'shipTo' as ship_to from invoices where order_id = ${orderId}`);
    expect(invoice.ship_to).toBe("Addr Test GmbH\nDepotstraße 5\n1100 Wien\nAustria");
    for (const [kind, id] of [["quotation", quotation.id], ["invoice", invoice.id]] as const) {
      const doc = await documentPdf(buyer, kind, id);
      const text = await pdfText(doc!.pdf);
      expect(text, kind).toContain("SHIP TO");
      expect(text, kind).toContain("Depotstraße 5");
      expect(text, kind).toContain("1100 Wien");
      expect(text, kind).toContain("Austria");
      expect(text, kind).toContain("Billweg 1"); // the billing address as it was when issued
      expect(text, kind).toContain("20095 Hamburg");
      expect(text, kind).not.toContain("Neue Gasse 9");
      expect(text, kind).not.toContain("Neuer Billweg 2");
    }
  });
});
