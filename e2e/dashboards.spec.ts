import { expect, test, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { createCompany, createProduct, createUser, expectStock, labelled, openAs, openAsNewBuyer, receiveStock, strongPassword, uid, visit } from "./admin-helpers";
import { login, sellerDay } from "./fixtures";

// Each role's dashboard after a journey through the pages shows exactly the figures the journey
// produced. Staff figures are platform-wide, so this file runs in its own Playwright project after
// every other spec has finished (playwright.config.ts, project "dashboards") and serially: nothing
// else moves a figure between a read before a step and a read after it, and every delta below is
// asserted exactly. The company is new, so its own (customer admin) figures are exact absolutes.

test.describe.configure({ mode: "serial" });

/** The euro amount in a text ("€1,234.56", "-€20.00") in minor units; 0 when it shows none (e.g. "Nothing yet"). */
function eurMinor(text: string): bigint {
  const m = /(-?)€(\d{1,3}(?:,\d{3})*)\.(\d{2})/.exec(text);
  if (!m) return 0n;
  const minor = BigInt(m[2]!.replaceAll(",", "")) * 100n + BigInt(m[3]!);
  return m[1] ? -minor : minor;
}

/** A count as formatCount shows it ("1,234"). */
function count(text: string): number {
  const n = Number(text.trim().replaceAll(",", ""));
  expect(Number.isInteger(n), `a count, not "${text}"`).toBe(true);
  return n;
}

/** The element's text, or "" when the page does not show it (an empty figure renders no amount). */
async function textOf(locator: Locator): Promise<string> {
  return (await locator.count()) === 0 ? "" : locator.innerText();
}

/** The sales section's figures on a freshly loaded /admin. */
async function salesFigures(page: Page) {
  await visit(page, "/admin");
  return {
    openCount: count(await page.getByTestId("sales-open-quotations").innerText()),
    openValue: eurMinor(await textOf(page.getByTestId("sales-open-quotations-value"))),
    bookedCount: count(await page.getByTestId("sales-booked-this-month").innerText()),
    bookedValue: eurMinor(await textOf(page.getByTestId("sales-booked-this-month-value"))),
  };
}

/** The finance section's figures on a freshly loaded /admin (EUR only). */
async function financeFigures(page: Page) {
  await visit(page, "/admin");
  return {
    invoiced: eurMinor(await page.getByTestId("finance-invoiced-this-month").innerText()),
    collected: eurMinor(await page.getByTestId("finance-collected-this-month").innerText()),
    current: eurMinor(await textOf(page.getByTestId("finance-ageing-EUR-current"))),
    awaitingCount: count(await page.getByTestId("finance-awaiting-verification").innerText()),
    awaitingValue: eurMinor(await textOf(page.getByTestId("finance-awaiting-amounts"))),
  };
}

/** The administration section's figures on a freshly loaded /admin. */
async function adminFigures(page: Page) {
  await visit(page, "/admin");
  return {
    activeUsers: count(await page.getByTestId("stat-active-users-admin").innerText()),
    lowStock: count(await page.getByTestId("stat-low-stock").innerText()),
  };
}

/** No horizontal page scroll at 375 px on `path`. */
async function expectNoHorizontalScroll(page: Page, path: string): Promise<void> {
  await page.setViewportSize({ width: 375, height: 812 });
  await visit(page, path);
  const { scrollWidth, clientWidth, wide } = await page.evaluate(() => {
    const clientWidth = document.documentElement.clientWidth;
    // The innermost elements reaching past the right edge, to name the culprit in the failure message.
    const past = (el: Element) => el.getBoundingClientRect().right > clientWidth + 0.5;
    const scrolled = (el: Element) => {
      for (let a = el.parentElement; a; a = a.parentElement) if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(a).overflowX)) return true;
      return false;
    };
    const wide = [...document.body.querySelectorAll("*")]
      .filter((el) => past(el) && !scrolled(el) && ![...el.children].some(past))
      .slice(0, 5)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute("class") ?? ""}"> right ${Math.round(el.getBoundingClientRect().right)}: ${(el.textContent ?? "").trim().slice(0, 60)}`);
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth, wide };
  });
  expect(scrollWidth, `${path} scrolls sideways at 375 px; past the edge:\n${wide.join("\n")}`).toBeLessThanOrEqual(clientWidth);
  await page.setViewportSize({ width: 1280, height: 720 });
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

type Session = { context: BrowserContext; page: Page };

// The journey's state, filled in step by step (the tests run in order, and a failure skips the rest).
const j = {
  id: "",
  companyName: "",
  sku: "",
  productName: "",
  category: "",
  productId: "",
  orderId: "",
  reference: "",
  invoiceNumber: "",
  paymentReference: "",
  dueDate: "",
};
let admin: Session, sales: Session, finance: Session, buyer: Session & { name: string }, customerAdmin: Session;
let adminBefore: Awaited<ReturnType<typeof adminFigures>>;
let salesBefore: Awaited<ReturnType<typeof salesFigures>>;
let financeBefore: Awaited<ReturnType<typeof financeFigures>>;

test.beforeAll(async ({ browser, baseURL }) => {
  [admin, sales, finance] = await Promise.all([openAs(browser, baseURL, "admin"), openAs(browser, baseURL, "sales"), openAs(browser, baseURL, "finance")]);
});

test.afterAll(async () => {
  await Promise.all([admin, sales, finance, buyer, customerAdmin].filter(Boolean).map((s) => s.context.close()));
});

test("set-up: a new company with its own product (stock 6, reorder point 5), customer admin and buyer; active users +2", async ({ browser, baseURL }) => {
  test.slow(); // several admin forms on a busy machine
  const a = admin.page;
  adminBefore = await adminFigures(a);
  j.id = uid();
  j.companyName = `Dashboard Co ${j.id}`;
  j.sku = `DASH-${j.id}`;
  j.productName = `Dashboard widget ${j.id}`;
  j.category = `Dashboard category ${j.id}`;
  await createCompany(a, j.companyName);
  j.productId = await createProduct(a, { sku: j.sku, name: j.productName, category: j.category, basePrice: "250.00", taxRate: "0", reorderPoint: "5" });
  await receiveStock(a, j.productId, 6);
  // 6 available, reorder point 5: not low yet.
  expect((await adminFigures(a)).lowStock).toBe(adminBefore.lowStock);

  const adminEmail = `e2e-custadmin-${j.id.toLowerCase()}@example.test`;
  await createUser(a, { email: adminEmail, name: `Carla Controller ${j.id}`, role: "Customer admin", company: j.companyName, password: strongPassword });
  buyer = await openAsNewBuyer(browser, baseURL, a, j.companyName);
  const ca = await openAs(browser, baseURL, null);
  await login(ca.page, adminEmail, strongPassword);
  await expect(ca.page.getByTestId("current-user")).toContainText(`Carla Controller ${j.id}`);
  customerAdmin = ca;

  const after = await adminFigures(a);
  expect(after.activeUsers - adminBefore.activeUsers).toBe(2);
});

test("sales: a submitted cart adds one open quotation of €1,000.00, and the figure's link lists it", async () => {
  test.slow();
  salesBefore = await salesFigures(sales.page);
  financeBefore = await financeFigures(finance.page);

  // 4 × €250.00, tax 0: €1,000.00.
  const b = buyer.page;
  await visit(b, "/cart");
  await b.getByLabel("Paste lines: SKU, quantity").fill(`${j.sku}, 4`);
  await b.getByRole("button", { name: "Add lines" }).click();
  await expect(b.getByTestId("cart-total")).toHaveText("€1,000.00");
  await b.getByRole("button", { name: "Request quotation" }).click();
  await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
  j.orderId = /\/orders\/([0-9a-f-]{36})/.exec(b.url())![1]!;
  j.reference = (await b.getByRole("heading", { level: 1 }).innerText()).trim();
  expect(j.reference).toMatch(/^ORD-[A-Z2-9]{8}$/);

  const s = await salesFigures(sales.page);
  expect(s.openCount - salesBefore.openCount).toBe(1);
  expect(s.openValue - salesBefore.openValue).toBe(100_000n);
  expect([s.bookedCount, s.bookedValue]).toEqual([salesBefore.bookedCount, salesBefore.bookedValue]);

  const p = sales.page;
  await p.getByRole("link", { name: "View open quotations" }).click();
  await expect(p).toHaveURL((u) => u.pathname === "/admin/orders" && u.searchParams.get("status") === "quoted");
  const row = p.getByTestId(`order-row-${j.reference}`);
  await expect(row).toContainText(j.companyName);
  await expect(row).toContainText("€1,000.00");
});

test("sales: after acceptance and both approvals the quotation is booked this month, and the company and product rank by booked value", async () => {
  test.slow();
  const b = buyer.page;
  await b.getByRole("button", { name: "Accept quotation" }).click();
  await expect(b.getByTestId("order-status")).toHaveText("Waiting for seller approval");
  await visit(sales.page, `/admin/orders/${j.orderId}`);
  await sales.page.getByRole("button", { name: "Approve order" }).click();
  // A new company has no credit limit, so finance approves as well.
  await expect(sales.page.getByText("Your sales approval is recorded. The order still needs the finance approval.")).toBeVisible();
  await visit(finance.page, `/admin/orders/${j.orderId}`);
  await finance.page.getByRole("button", { name: "Approve order" }).click();
  await expect(finance.page.getByTestId("order-status")).toHaveText("Approved and invoiced");
  j.invoiceNumber = (await finance.page.getByTestId("invoice-number").innerText()).trim();
  // Issued today on the seller's calendar; a new company pays in 30 days.
  j.dueDate = addDays(sellerDay(), 30);

  // 4 of the 6 are reserved for the order: 2 available, below the reorder point of 5.
  await expectStock(admin.page, j.productId, { onHand: 6, reserved: 4, available: 2 });

  const s = await salesFigures(sales.page);
  expect([s.openCount, s.openValue]).toEqual([salesBefore.openCount, salesBefore.openValue]);
  expect(s.bookedCount - salesBefore.bookedCount).toBe(1);
  expect(s.bookedValue - salesBefore.bookedValue).toBe(100_000n);

  // Top customers and products (this month and the two before, the first 5 by booked value; with other currencies
  // booked, e.g. by currency.spec.ts, ranked in EUR with each foreign row's converted amount "≈ €… converted"): the new
  // company and product, at €1,000.00, rank unless 5 others booked more.
  const p = sales.page;
  const ranked = async (caption: RegExp, name: string, cells: (string | RegExp)[]) => {
    const table = p.getByRole("table", { name: caption });
    await expect(table).toBeVisible();
    const rows = await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((c) => (c as HTMLElement).innerText.trim())));
    const eur = rows.filter((r) => /€/.test(r[r.length - 1]!));
    const ours = table.locator("tbody tr").filter({ hasText: name });
    if (eur.length < 5 || eur.some((r) => eurMinor(r[r.length - 1]!) < 100_000n)) {
      await expect(ours).toHaveCount(1);
      await expect(ours.locator("td")).toHaveText(cells);
    } else {
      console.log(`[dashboards] ${caption}: 5 customers or products booked more than €1,000.00; ${name} is not expected among them`);
    }
  };
  const months = /by booked value, [A-Z][a-z]+ \d{4} to [A-Z][a-z]+ \d{4}$/;
  await ranked(new RegExp(`^Top customers ${months.source}`), j.companyName, [j.companyName, "1", "€1,000.00"]);
  await ranked(new RegExp(`^Top products ${months.source}`), j.productName, [new RegExp(`^${j.productName}\\s*${j.sku}$`), "4", "1", "€1,000.00"]);

  await p.getByRole("link", { name: "View orders booked this month" }).click();
  await expect(p).toHaveURL((u) => u.pathname === "/admin/orders" && u.searchParams.get("booked") === sellerDay().slice(0, 7));
  await expect(p.getByTestId(`order-row-${j.reference}`)).toContainText("€1,000.00");
});

test("finance: the invoice adds €1,000.00 to invoiced this month and to current receivables; a remittance of €400.00 awaits verification, then counts as collected", async () => {
  test.slow();
  const f = finance.page;
  const issued = await financeFigures(f);
  expect(issued.invoiced - financeBefore.invoiced).toBe(100_000n);
  expect(issued.current - financeBefore.current).toBe(100_000n);
  expect(issued.collected).toBe(financeBefore.collected);
  expect([issued.awaitingCount, issued.awaitingValue]).toEqual([financeBefore.awaitingCount, financeBefore.awaitingValue]);

  // The buyer records a bank transfer of €400.00 against the invoice.
  const b = buyer.page;
  await visit(b, "/invoices");
  const invoiceRow = b.getByTestId(`invoice-row-${j.invoiceNumber}`);
  await expect(invoiceRow).toContainText("€1,000.00");
  await expect(invoiceRow).toContainText(j.dueDate);
  j.paymentReference = (await invoiceRow.getByText(/^RF\d{2}/).innerText()).trim();
  await labelled(b, "Amount").fill("400.00");
  await labelled(b, `Amount for ${j.invoiceNumber}`).fill("400.00");
  await labelled(b, "Payment reference").fill(j.paymentReference);
  await b.getByRole("button", { name: "Record payment" }).click();
  await expect(b.getByRole("status").filter({ hasText: /\S/ })).toHaveText("Payment of €400.00 recorded; we will verify it against our bank account.");

  const recorded = await financeFigures(f);
  expect(recorded.awaitingCount - issued.awaitingCount).toBe(1);
  expect(recorded.awaitingValue - issued.awaitingValue).toBe(40_000n);
  // A payment awaiting verification is not collected, and the receivable stays whole.
  expect([recorded.collected, recorded.current]).toEqual([issued.collected, issued.current]);

  // The figure's link: the remittance is in the list of payments awaiting verification; verify it there.
  await f.getByRole("link", { name: "Verify payments" }).click();
  await expect(f).toHaveURL((u) => u.pathname === "/admin/payments" && u.searchParams.get("status") === "pending_verification");
  const payment = f.getByTestId("payment-row").filter({ hasText: j.invoiceNumber });
  await expect(payment).toHaveCount(1);
  await expect(payment).toContainText("€400.00");
  await payment.getByRole("button", { name: "Verify payment" }).click();
  await expect(f.getByTestId("payment-row").filter({ hasText: j.invoiceNumber })).toHaveCount(0);

  const verified = await financeFigures(f);
  expect(verified.collected - issued.collected).toBe(40_000n);
  expect(verified.current - issued.current).toBe(-40_000n);
  expect([verified.awaitingCount, verified.awaitingValue]).toEqual([issued.awaitingCount, issued.awaitingValue]);
  expect(verified.invoiced).toBe(issued.invoiced);
});

test("admin: every section, the product in low stock with 2 available, and the low-stock link lists it", async () => {
  test.slow();
  const a = admin.page;
  const after = await adminFigures(a);
  expect(after.lowStock - adminBefore.lowStock).toBe(1);
  expect(after.activeUsers - adminBefore.activeUsers).toBe(2);
  for (const name of ["Sales", "Finance", "Administration"]) await expect(a.getByRole("heading", { level: 2, name, exact: true })).toBeVisible();

  // The card lists the 5 least available (then by SKU): ours (2 available) is among them unless 5
  // others have fewer, or as few and an earlier SKU (the demo data has such products).
  const ours = a.getByTestId(`low-stock-${j.sku}`);
  const available = (await a.locator("[data-testid^=low-stock-]").allInnerTexts()).map((t) => Number(/(\d[\d,]*) available/.exec(t)![1]!.replaceAll(",", "")));
  if (available.length < 5 || available.some((n) => n > 2)) {
    await expect(ours).toContainText(`${j.sku} · 2 available, reorder point 5`);
    await expect(ours.getByRole("link", { name: j.productName })).toBeVisible();
  } else if (available.every((n) => n < 2)) {
    await expect(ours).toHaveCount(0);
  } else {
    console.log(`[dashboards] low stock lists 5 products with ${available.join(", ")} available; ${j.sku} (2) ranks by SKU among the ties`);
  }
  // The figure's link: the filtered product list shows it with its stock figures.
  await a.getByRole("link", { name: "View low-stock products" }).click();
  await expect(a).toHaveURL((u) => u.pathname === "/admin/products" && u.searchParams.get("lowStock") === "1");
  const row = a.getByTestId(`product-row-${j.sku}`);
  await expect(row.getByRole("link", { name: j.productName })).toBeVisible();
  // On hand, reserved, available (with the low-stock mark).
  await expect(row.locator("td").nth(4)).toHaveText("6");
  await expect(row.locator("td").nth(5)).toHaveText("4");
  await expect(row.locator("td").nth(6)).toHaveText("2 · low");
});

test("sales and finance see only their own section", async () => {
  await visit(sales.page, "/admin");
  await expect(sales.page.getByRole("heading", { level: 2, name: "Sales", exact: true })).toBeVisible();
  await expect(sales.page.getByRole("heading", { level: 2, name: "Finance", exact: true })).toHaveCount(0);
  await expect(sales.page.getByRole("heading", { level: 2, name: "Administration", exact: true })).toHaveCount(0);
  await visit(finance.page, "/admin");
  await expect(finance.page.getByRole("heading", { level: 2, name: "Finance", exact: true })).toBeVisible();
  await expect(finance.page.getByRole("heading", { level: 2, name: "Sales", exact: true })).toHaveCount(0);
  await expect(finance.page.getByRole("heading", { level: 2, name: "Administration", exact: true })).toHaveCount(0);
});

test("customer admin: the portal home shows the company's spend, by buyer and category, and the open invoice with €600.00 outstanding; a buyer sees no dashboard", async () => {
  test.slow();
  const c = customerAdmin.page;
  await visit(c, "/");
  await expect(c.getByTestId("customer-dashboard")).toBeVisible();
  // A new company: its figures are the journey's alone.
  const month = sellerDay().slice(0, 7);
  await expect(c.getByTestId(`spend-month-${month}`).locator("td").first()).toHaveText("€1,000.00");
  await expect(c.getByTestId("spend-total-EUR")).toHaveText("€1,000.00");
  const rows = (caption: string) => c.getByRole("table", { name: caption }).locator("tbody tr");
  await expect(rows("Spend by buyer, last 12 months")).toHaveCount(1);
  await expect(rows("Spend by buyer, last 12 months").locator("td")).toHaveText([buyer.name, "€1,000.00"]);
  await expect(rows("Spend by category, last 12 months")).toHaveCount(1);
  await expect(rows("Spend by category, last 12 months").locator("td")).toHaveText([j.category, "€1,000.00"]);
  await expect(c.getByTestId("open-invoices-summary")).toHaveText("1 open invoice, €600.00 outstanding.");
  const open = c.getByTestId(`open-invoice-${j.invoiceNumber}`);
  await expect(open.locator("td")).toHaveText([j.invoiceNumber, j.dueDate, "€600.00"]);
  await expect(c.getByTestId("approvals-empty")).toBeVisible();

  // The invoice's link goes to it on the invoices page.
  await open.getByRole("link", { name: j.invoiceNumber }).click();
  await expect(c).toHaveURL((u) => u.pathname === "/invoices" && u.hash === `#invoice-${j.invoiceNumber}`);
  await expect(c.getByTestId(`invoice-row-${j.invoiceNumber}`)).toContainText("€600.00");

  // A buyer of the same company keeps the buyer's home: no company dashboard.
  await visit(buyer.page, "/");
  await expect(buyer.page.getByTestId("current-user")).toContainText(buyer.name);
  await expect(buyer.page.getByTestId("customer-dashboard")).toHaveCount(0);
  await expect(buyer.page.getByText("Spend by buyer")).toHaveCount(0);
});

test("at 375 px no role's dashboard scrolls sideways", async () => {
  test.slow();
  await expectNoHorizontalScroll(admin.page, "/admin");
  await expectNoHorizontalScroll(sales.page, "/admin");
  await expectNoHorizontalScroll(finance.page, "/admin");
  await expectNoHorizontalScroll(customerAdmin.page, "/");
});
