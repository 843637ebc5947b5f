import { randomUUID } from "node:crypto";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import type postgres from "postgres";
import { baseURL, secondURL } from "../playwright.config";
import { createProduct, openAs, openAsNewBuyer, receiveStock, uid, visit } from "./admin-helpers";
import { e2eDatabase, waitForHealth } from "./db";
import { storageState } from "./fixtures";
import { ibanOf } from "@/lib/domain/iban";

// Several app instances on one database (e2e/serve.ts runs `next start` on baseURL and, on
// secondURL, standalone's server.js): the races that single-process tests run against the services
// are run here across the two processes, through their HTTP endpoints and forms. Every invariant is
// checked in SQL afterwards. All state is in PostgreSQL, so nothing may depend on which instance
// answered.

let sql: postgres.Sql;

test.beforeAll(async () => {
  const db = await e2eDatabase();
  test.skip(db === null, "needs PostgreSQL: on PGlite there is one instance only");
  sql = db!;
  await waitForHealth(secondURL);
});

test.afterAll(async () => {
  await sql?.end({ timeout: 2 });
});

test.use({ storageState: storageState("admin") });

/** Waits for the server action POST a click starts (its response means the action has run). */
function actionDone(page: Page): Promise<unknown> {
  return page.waitForResponse((r) => r.request().method() === "POST" && r.request().headers()["next-action"] !== undefined);
}

test("one Idempotency-Key posted to both instances at once imports the statement once, and both answers name it", async ({ playwright }) => {
  const contexts = await Promise.all([baseURL, secondURL].map((url) => playwright.request.newContext({ baseURL: url, storageState: storageState("finance") })));
  const mapping = { date: "Date", amount: "Amount", reference: ["Reference"], dateFormat: "DD.MM.YYYY", decimalSeparator: ",", defaultCurrency: "EUR" };
  try {
    for (let round = 0; round < 3; round++) {
      const key = `instances-${randomUUID()}`;
      const bank = `Race Bank ${uid()}`;
      // Big enough (1,000 lines) that the two requests overlap in the database.
      const rows = Array.from({ length: 1000 }, (_, i) => `0${1 + (i % 9)}.11.2026;${i + 1},00;RACE-${round}-${i}`);
      const iban = ibanOf("DE", `${Date.now()}${round}`.padStart(18, "0").slice(-18));
      const body = { bankName: bank, iban, fileName: "race.csv", content: ["Date;Amount;Reference", ...rows].join("\n"), mapping };
      const post = (i: number): Promise<APIResponse> =>
        contexts[i]!.post("/api/admin/bank-statements", { data: body, headers: { "Idempotency-Key": key, "content-type": "application/json" } });
      const answers = await Promise.all([post(0), post(1)]);
      const results = await Promise.all(answers.map(async (a) => ({ status: a.status(), body: (await a.json()) as { ok: boolean; code?: string; data?: { statementId: string; newLines: number } } })));
      const ok = results.filter((r) => r.body.ok);
      // Either both answer with the one import (the second replayed the first), or the second
      // arrived while the first ran and was told so.
      expect(ok.length, JSON.stringify(results)).toBeGreaterThanOrEqual(1);
      for (const r of results) {
        if (r.body.ok) expect(r.status).toBe(200);
        else expect(r).toEqual({ status: 409, body: expect.objectContaining({ ok: false, code: "idempotency_in_progress" }) });
      }
      const statements = await sql<{ id: string }[]>`select id from bank_statements where bank_name = ${bank}`;
      expect(statements).toHaveLength(1);
      const statementId = statements[0]!.id;
      for (const r of ok) expect(r.body.data).toMatchObject({ statementId, newLines: 1000 });
      const [lines] = await sql<{ n: number }[]>`select count(*)::int as n from bank_statement_lines where bank_name = ${bank}`;
      expect(lines!.n).toBe(1000);
      const [audit] = await sql<{ n: number }[]>`select count(*)::int as n from audit_events where entity_id = ${statementId} and action = 'bank_statement.import'`;
      expect(audit!.n).toBe(1);
      const [keys] = await sql<{ n: number }[]>`select count(*)::int as n from idempotency_keys where key = ${key}`;
      expect(keys!.n).toBe(1);
    }
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
});

test("the last unit, accepted by two buyers on the two instances at once, is reserved once; the same approval stage approved on both is recorded once", async ({ page: admin, browser }) => {
  test.slow();
  const sku = `INST-${uid()}`;
  const productId = await createProduct(admin, { sku, name: `Instances ${sku}`, basePrice: "20.00", taxRate: "0" });
  await receiveStock(admin, productId, 1);

  // Two new buyers of Acme, one on each instance, each with a quotation for the one unit.
  const buyers = [await openAsNewBuyer(browser, baseURL, admin), await openAsNewBuyer(browser, secondURL, admin)];
  try {
    const orderIds: string[] = [];
    for (const b of buyers) {
      await visit(b.page, "/cart");
      await b.page.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 1`);
      await b.page.getByRole("button", { name: "Add lines" }).click();
      await expect(b.page.getByTestId("cart-total")).toHaveText("€20.00");
      await b.page.getByRole("button", { name: "Request quotation" }).click();
      await expect(b.page.getByTestId("order-status")).toHaveText("Quotation issued");
      orderIds.push(/\/orders\/([0-9a-f-]{36})/.exec(b.page.url())![1]!);
    }
    for (const [i, b] of buyers.entries()) {
      await visit(b.page, `/orders/${orderIds[i]}`);
      await expect(b.page.getByRole("button", { name: "Accept quotation" })).toBeEnabled();
    }
    const accepted = buyers.map((b) => actionDone(b.page));
    await Promise.all(buyers.map((b) => b.page.getByRole("button", { name: "Accept quotation" }).click()));
    await Promise.all(accepted);

    const statuses = await sql<{ id: string; status: string }[]>`select id, status::text from orders where id in ${sql(orderIds)}`;
    const winners = statuses.filter((o) => o.status === "awaiting_seller_approval");
    expect(statuses.map((o) => o.status).sort()).toEqual(["awaiting_seller_approval", "quoted"]);
    const [stock] = await sql<{ on_hand: number; reserved: number }[]>`select on_hand, reserved from inventory where product_id = ${productId}`;
    expect(stock).toEqual({ on_hand: 1, reserved: 1 });
    const [moved] = await sql<{ reserved: number }[]>`select coalesce(sum(reserved_delta), 0)::int as reserved from stock_movements where product_id = ${productId}`;
    expect(moved!.reserved).toBe(1);
    const loser = buyers[orderIds.indexOf(statuses.find((o) => o.status === "quoted")!.id)]!;
    await expect(loser.page.getByText(`Not enough stock for ${sku}`)).toBeVisible();

    // The winner's order, approved by sales on one instance and an admin on the other at once.
    const orderId = winners[0]!.id;
    const staff = [await openAs(browser, baseURL, "sales"), await openAs(browser, secondURL, "admin")];
    try {
      for (const s of staff) {
        await visit(s.page, `/admin/orders/${orderId}`);
        await expect(s.page.getByRole("button", { name: "Approve order" })).toBeEnabled();
      }
      const approved = staff.map((s) => actionDone(s.page));
      await Promise.all(staff.map((s) => s.page.getByRole("button", { name: "Approve order" }).click()));
      await Promise.all(approved);
      const [state] = await sql<{ status: string; approvals: number; audits: number; invoices: number }[]>`
        select o.status::text,
          (select count(*)::int from order_approvals where order_id = o.id) as approvals,
          (select count(*)::int from audit_events where entity_id = o.id::text and action = 'order.final_approve') as audits,
          (select count(*)::int from invoices where order_id = o.id) as invoices
        from orders o where o.id = ${orderId}`;
      expect(state).toEqual({ status: "approved", approvals: 1, audits: 1, invoices: 1 });
    } finally {
      await Promise.all(staff.map((s) => s.context.close()));
    }
  } finally {
    await Promise.all(buyers.map((b) => b.context.close()));
  }
});
