import { randomUUID } from "node:crypto";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEventBatches, listAuditEvents, type AuditListFilter, type AuditListRow } from "@/db/queries/audit";
import { db, type DbOrTx } from "@/db/client";
import { parseAuditQuery } from "@/lib/domain/audit-filter";
import type { Actor } from "@/lib/domain/actor";
import { runMutation } from "@/lib/mutation";
import { recordAudit } from "@/lib/services/audit";
import { auditCsvStream, resolveAuditFilter } from "@/lib/services/audit-viewer";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { recordManualPayment } from "@/lib/services/payments";
import { createPriceList } from "@/lib/services/price-lists";
import { createProduct } from "@/lib/services/products";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { sellerToday } from "@/lib/time-zone";

setupTestDatabase();

const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("audit") });
const run = () => randomUUID().slice(0, 8).replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)]!);

/** The viewer's path from raw query parameters to rows: parse, resolve, list (one page). */
async function view(params: Record<string, string>, timeZone = "Europe/Berlin", limit = 50, executor: DbOrTx = db) {
  const parsed = parseAuditQuery(params);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const { filter } = await resolveAuditFilter(executor, parsed.query, timeZone);
  return listAuditEvents(executor, filter, { before: parsed.query.before, after: parsed.query.after }, limit);
}

const entityOf = (r: AuditListRow) => `${r.entityType}:${r.entity?.reference ?? "?"}`;

async function write(actor: Actor | "system" | "anonymous", action: string, opts: { entityType?: string; entityId?: string; outcome?: "success" | "denied" } = {}) {
  await db.transaction((tx) =>
    recordAudit(tx, { actor: actor === "anonymous" ? null : actor, request: request() }, { action, entityType: opts.entityType ?? "test", entityId: opts.entityId, outcome: opts.outcome }),
  );
}

describe("audit viewer references", () => {
  it("shows every entity type by its business reference, linked to its page", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const finance = await actorByEmail("finance@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const suffix = run();

    const inv = await invoicedOrder("25.00");
    const [order] = await rows<{ reference: string }>(sql`select reference from orders where id = ${inv.orderId}`);
    const [quotation] = await rows<{ id: string; number: string }>(sql`select id, number from quotations where order_id = ${inv.orderId}`);
    const paid = await runMutation(recordManualPayment, as(finance), { companyId: inv.buyer.companyId, amount: "5.00", paidOn: sellerToday(), reference: `REF-${suffix}` });
    if (!paid.ok) throw new Error(paid.error);
    const cancelled = await runMutation(cancelOrderByStaff, as(sales), { orderId: inv.orderId, reason: "audit viewer test" });
    if (!cancelled.ok) throw new Error(cancelled.error);
    const [creditNote] = await rows<{ id: string; number: string }>(sql`select id, number from credit_notes where order_id = ${inv.orderId}`);
    const product = await runMutation(createProduct, as(admin), { sku: `AUD-${suffix}`, name: "Audited", category: "Audit", basePrice: "1.00", taxRate: "19" });
    if (!product.ok) throw new Error(product.error);
    const list = await runMutation(createPriceList, as(admin), { name: `Audit list ${suffix}`, validFrom: "2026-01-01" });
    if (!list.ok) throw new Error(list.error);
    const listId = list.data.id;
    // A statement and a line written directly (the import's parsing is tested elsewhere), audited like the import.
    const [statement] = await rows<{ id: string }>(
      sql`insert into bank_statements (bank_name, format, file_name, file_sha256, line_count, new_line_count) values (${`Bank ${suffix}`}, 'csv', 'march.csv', ${"0".repeat(64)}, 1, 1) returning id`,
    );
    const [line] = await rows<{ id: string }>(
      sql`insert into bank_statement_lines (statement_id, bank_name, account_key, identity, line_no, booked_on, amount_minor, currency, reference, status)
          values (${statement!.id}, ${`Bank ${suffix}`}, ${`bank ${suffix}`}, ${suffix}, 1, '2026-03-02', 500, 'EUR', ${`RF-${suffix}`}, 'unmatched') returning id`,
    );
    await write(finance, "bank_statement.import", { entityType: "bank_statement", entityId: statement!.id });
    await write(finance, "bank_statement.ignore", { entityType: "bank_statement_line", entityId: line!.id });
    const acme = (await rows<{ id: string }>(sql`select id from companies where name = 'Acme Industrial Supply'`))[0]!;
    const [acmeName] = await rows<{ name: string }>(sql`select name from companies where id = ${acme.id}`);

    const expectations: [string, string, { reference: string; linkId: string }][] = [
      ["order", inv.orderId, { reference: order!.reference, linkId: inv.orderId }],
      ["quotation", quotation!.id, { reference: `${quotation!.number} v1`, linkId: inv.orderId }],
      ["invoice", inv.invoice.id, { reference: inv.invoice.number, linkId: inv.orderId }],
      ["credit_note", creditNote!.id, { reference: creditNote!.number, linkId: inv.orderId }],
      ["payment", paid.data.paymentId, { reference: `REF-${suffix}`, linkId: paid.data.paymentId }],
      ["bank_statement", statement!.id, { reference: `Bank ${suffix}: march.csv`, linkId: statement!.id }],
      ["bank_statement_line", line!.id, { reference: `Bank ${suffix} line RF-${suffix}`, linkId: statement!.id }],
      ["product", product.data.id, { reference: `AUD-${suffix}`, linkId: product.data.id }],
      ["price_list", listId, { reference: `Audit list ${suffix}`, linkId: listId }],
      ["user", admin.id, { reference: "admin@demo.test", linkId: admin.id }],
      ["company", acme.id, { reference: acmeName!.name, linkId: acme.id }],
    ];
    expect(order!.reference).toMatch(/^ORD-/);
    expect(inv.invoice.number).toMatch(/^INV-/);
    expect(creditNote!.number).toMatch(/^CN-/);
    expect(quotation!.number).toMatch(/^Q-/);
    for (const [type, id, expected] of expectations) {
      // The entity filter alone: an order's or invoice's history spans more types, so pick its own rows.
      const page = await listAuditEvents(db, { entities: [{ type, id }] });
      expect(page.rows.length, type).toBeGreaterThan(0);
      for (const r of page.rows) expect({ type: r.entityType, entity: r.entity }, type).toEqual({ type, entity: expected });
    }

    // A whole page of mixed types resolves in one lookup: every row of these entities has its reference.
    const mixed = await listAuditEvents(db, { entities: expectations.map(([type, id]) => ({ type, id })) }, {}, 500);
    expect(new Set(mixed.rows.map((r) => r.entityType))).toEqual(new Set(expectations.map(([t]) => t)));
    expect(mixed.rows.filter((r) => r.entity === null)).toEqual([]);
  });

  it("an order's History includes its quotations', invoice's and credit note's events, and nothing else", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const inv = await invoicedOrder("12.00");
    const other = await invoicedOrder("13.00");
    const cancelled = await runMutation(cancelOrderByStaff, as(sales), { orderId: inv.orderId, reason: "history test" });
    if (!cancelled.ok) throw new Error(cancelled.error);

    const page = await view({ entityType: "order", entityId: inv.orderId });
    const [expected] = await rows<{ n: number }>(sql`
      select count(*)::int as n from audit_events a where (a.entity_type = 'order' and a.entity_id = ${inv.orderId})
        or (a.entity_type = 'quotation' and a.entity_id in (select id::text from quotations where order_id = ${inv.orderId}))
        or (a.entity_type = 'invoice' and a.entity_id in (select id::text from invoices where order_id = ${inv.orderId}))
        or (a.entity_type = 'credit_note' and a.entity_id in (select id::text from credit_notes where order_id = ${inv.orderId}))`);
    expect(page.rows).toHaveLength(expected!.n);
    expect(new Set(page.rows.map((r) => r.entityType))).toEqual(new Set(["order", "quotation", "invoice", "credit_note"]));
    expect(page.rows.map((r) => r.action)).toEqual(expect.arrayContaining(["quotation.issue", "invoice.issue", "credit_note.issue", "order.cancel_by_staff"]));
    // Every row links to this order's page; none of the other order's events is there.
    expect(new Set(page.rows.map((r) => r.entity?.linkId))).toEqual(new Set([inv.orderId]));
    expect(page.rows.some((r) => r.entity?.linkId === other.orderId)).toBe(false);
    // Newest first.
    const ids = page.rows.map((r) => r.id);
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);

    // An invoice's history: the invoice and its credit note.
    const invoicePage = await view({ entityType: "invoice", entityId: inv.invoice.id });
    expect(new Set(invoicePage.rows.map(entityOf))).toEqual(new Set([`invoice:${inv.invoice.number}`, `credit_note:${(await rows<{ number: string }>(sql`select number from credit_notes where order_id = ${inv.orderId}`))[0]!.number}`]));
    expect(new Set(invoicePage.rows.map((r) => r.entityType))).toEqual(new Set(["invoice", "credit_note"]));
  });
});

describe("audit viewer filters", () => {
  it("combine: actor (exact email, part of one, system, anonymous), action prefix, outcome, entity type", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const finance = await actorByEmail("finance@demo.test");
    const p = run();
    const productId = randomUUID();
    await write(sales, `${p}.alpha`, { entityType: "product", entityId: productId });
    await write(sales, `${p}.alpha`, { outcome: "denied" });
    await write(finance, `${p}.beta`);
    await write("system", `${p}.alpha`);
    await write("anonymous", `${p}.beta`, { outcome: "denied" });
    const actions = async (params: Record<string, string>) => (await view({ action: `${p}.`, ...params })).rows.map((r) => `${r.actorType}:${r.actorEmail ?? "-"}:${r.action}:${r.outcome}`);

    expect(await actions({})).toEqual([
      `anonymous:-:${p}.beta:denied`,
      `system:-:${p}.alpha:success`,
      `user:finance@demo.test:${p}.beta:success`,
      `user:sales@demo.test:${p}.alpha:denied`,
      `user:sales@demo.test:${p}.alpha:success`,
    ]);
    expect(await actions({ actor: "SALES@demo.test" })).toEqual([`user:sales@demo.test:${p}.alpha:denied`, `user:sales@demo.test:${p}.alpha:success`]);
    expect(await actions({ actor: "sales@demo.test", outcome: "denied" })).toEqual([`user:sales@demo.test:${p}.alpha:denied`]);
    expect(await actions({ actor: "sales@demo.test", outcome: "success", entityType: "product" })).toEqual([`user:sales@demo.test:${p}.alpha:success`]);
    expect(await actions({ actor: "@demo.test" })).toEqual([`user:finance@demo.test:${p}.beta:success`, `user:sales@demo.test:${p}.alpha:denied`, `user:sales@demo.test:${p}.alpha:success`]);
    expect(await actions({ actor: "system" })).toEqual([`system:-:${p}.alpha:success`]);
    expect(await actions({ actor: "anonymous", outcome: "denied" })).toEqual([`anonymous:-:${p}.beta:denied`]);
    expect(await actions({ action: `${p}.beta`, outcome: "success" })).toEqual([`user:finance@demo.test:${p}.beta:success`]);
    expect(await actions({ actor: "nobody-at-all@example.test" })).toEqual([]);
    // A LIKE wildcard in the prefix is literal: "_" matches no other character.
    expect(await actions({ action: `${p}_` })).toEqual([]);
  });

  it("a date range is whole days in the viewer's zone", async () => {
    // Rows far in the future, inserted in time order as the app writes them (occurred_at is the
    // transaction's start), in a REPEATABLE READ transaction so rows other test files insert meanwhile
    // (earlier times, higher ids) are not seen, and rolled back at the end.
    const p = run();
    const times = ["2090-01-01T22:30:00Z", "2090-01-01T23:30:00Z", "2090-01-02T12:00:00Z", "2090-01-03T23:30:00Z"];
    class Done extends Error {}
    const seen: Record<string, string[]> = {};
    try {
      await db.transaction(
        async (tx) => {
          for (const [i, t] of times.entries()) {
            await tx.execute(sql`insert into audit_events (occurred_at, actor_type, action, entity_type, outcome) values (${t}::timestamptz, 'system', ${`${p}.r${i + 1}`}, 'test', 'success')`);
          }
          const names = async (params: Record<string, string>, tz: string) =>
            (await view({ action: `${p}.`, ...params }, tz, 50, tx)).rows.map((r) => r.action.slice(p.length + 1));
          seen.berlinDay2 = await names({ from: "2090-01-02", to: "2090-01-02" }, "Europe/Berlin");
          seen.utcDay2 = await names({ from: "2090-01-02", to: "2090-01-02" }, "UTC");
          seen.berlinFrom3 = await names({ from: "2090-01-03" }, "Europe/Berlin");
          seen.berlinTo1 = await names({ to: "2090-01-01" }, "Europe/Berlin");
          seen.utcTo3 = await names({ from: "2090-01-01", to: "2090-01-03" }, "UTC");
          throw new Done();
        },
        { isolationLevel: "repeatable read" },
      );
    } catch (error) {
      if (!(error instanceof Done)) throw error;
    }
    expect(seen).toEqual({
      // 2090-01-01T23:30Z is 00:30 on the 2nd in Berlin.
      berlinDay2: ["r3", "r2"],
      utcDay2: ["r3"],
      // 2090-01-03T23:30Z is 00:30 on the 4th in Berlin.
      berlinFrom3: ["r4"],
      berlinTo1: ["r1"],
      utcTo3: ["r4", "r3", "r2", "r1"],
    });
  });
});

describe("audit viewer keyset pages", () => {
  it("do not skip or repeat rows while events are inserted concurrently, and Newer goes back exactly", async () => {
    const p = run();
    for (let i = 0; i < 30; i++) await write("system", `${p}.row`);
    const [{ ids: initial } = { ids: [] }] = await rows<{ ids: string[] }>(
      sql`select array_agg(id::text order by id desc) as ids from audit_events where action = ${`${p}.row`}`,
    );
    expect(initial).toHaveLength(30);

    let inserting = true;
    let inserted = 0;
    const inserter = (async () => {
      // New matching events keep arriving (newest ids) while the pages are read.
      while (inserting && inserted < 200) {
        await write("system", `${p}.row`);
        inserted++;
      }
    })();
    const filter: AuditListFilter = { action: `${p}.row` };
    const pages: bigint[][] = [];
    let before: bigint | undefined = BigInt(initial[0]!) + 1n;
    try {
      for (;;) {
        const page = await listAuditEvents(db, filter, { before }, 7);
        pages.push(page.rows.map((r) => r.id));
        if (isPostgres()) await new Promise((r) => setImmediate(r));
        if (!page.hasOlder) break;
        before = page.rows.at(-1)!.id;
      }
    } finally {
      inserting = false;
      await inserter;
    }
    const seen = pages.flat().map(String);
    expect(seen).toEqual(initial);
    expect(pages.map((pg) => pg.length)).toEqual([7, 7, 7, 7, 2]);
    if (isPostgres()) expect(inserted).toBeGreaterThan(0);

    // Newer from the last page returns the page before it, row for row.
    for (let i = pages.length - 1; i > 0; i--) {
      const newer = await listAuditEvents(db, filter, { after: pages[i]![0]! }, 7);
      expect(newer.rows.map((r) => r.id)).toEqual(pages[i - 1]);
      expect(newer.hasOlder).toBe(true);
    }
    // The newest page (no cursor) has the concurrent inserts on top and says nothing newer exists.
    const top = await listAuditEvents(db, filter, {}, 7);
    expect(top.hasNewer).toBe(false);
    expect(top.rows[0]!.id >= BigInt(initial[0]!)).toBe(true);
  });
});

describe("audit CSV export", () => {
  it("streams batches read by keyset: the next batch is read only when the client asks", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const p = run();
    for (let i = 0; i < 45; i++) await write(finance, `${p}.csv`, { outcome: i % 9 === 0 ? "denied" : "success" });
    const { filter } = await resolveAuditFilter(db, { action: `${p}.` }, "Europe/Berlin");
    let reads = 0;
    async function* counted() {
      for await (const batch of auditEventBatches(db, filter, 10)) {
        reads++;
        yield batch;
      }
    }
    const stream = auditCsvStream(counted(), "Europe/Berlin");
    const reader = stream.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const first = await reader.read();
    text += decoder.decode(first.value);
    const second = await reader.read();
    text += decoder.decode(second.value);
    // The header and one batch taken. Time enough for a stream that reads ahead (a large
    // highWaterMark, or a handler that collects every row first) to read all five batches:
    // this one has read at most one batch ahead.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(reads).toBeLessThanOrEqual(2);
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      text += decoder.decode(next.value);
    }
    expect(reads).toBe(5);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(45);
    expect(records.map((r) => BigInt(r.id!))).toEqual(records.map((r) => BigInt(r.id!)).sort((a, b) => (a > b ? -1 : 1)));
    expect(records.filter((r) => r.outcome === "denied")).toHaveLength(5);
    expect(new Set(records.map((r) => r.actor_email))).toEqual(new Set(["finance@demo.test"]));
    expect(Object.keys(records[0]!)).toEqual([
      "id",
      "occurred_at_utc",
      "occurred_at_local",
      "actor_type",
      "actor_email",
      "actor_role",
      "action",
      "entity_type",
      "entity_reference",
      "entity_id",
      "outcome",
      "ip",
      "request_id",
      "diff",
    ]);
  });

  it("a filter that matches nothing streams the header alone", async () => {
    const { filter } = await resolveAuditFilter(db, { actor: "no-such-user@example.test" }, "UTC");
    const text = await new Response(auditCsvStream(auditEventBatches(db, filter), "UTC")).text();
    expect(text.trim().split("\n")).toHaveLength(1);
  });
});
