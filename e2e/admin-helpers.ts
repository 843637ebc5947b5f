import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { gotoHydrated, login, storageState, type RoleKey } from "./fixtures";

// Staff-side set-up steps shared by the catalogue and user specs. Every step goes through the real
// pages and asserts the confirmation it expects, so a broken form fails here, at the step, not later.

export const demoYear = new Date().getUTCFullYear();
export const acmeList = `Acme ${demoYear}`;
export const globexList = `Globex ${demoYear}`;
/** Where the tests' own products go, away from the demo categories other tests count. */
export const e2eCategory = "E2E Test Products";

let counter = 0;
/** Unique across runs, both workers and repeated calls: letters, digits and "-" only (valid in SKUs and emails). */
export function uid(): string {
  return `${Date.now().toString(36)}-${test.info().workerIndex}-${++counter}`.toUpperCase();
}

/** A context signed in as a demo role (saved by the setup project), or anonymous with `null`. */
export async function openAs(browser: Browser, baseURL: string | undefined, role: RoleKey | null): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    storageState: role ? storageState(role) : { cookies: [], origins: [] },
  });
  return { context, page: await context.newPage() };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The field whose label is exactly `text`. Required fields' labels end in an aria-hidden " *",
 * which getByLabel's exact match would need, so the star is allowed here.
 */
export function labelled(scope: Page | Locator, text: string): Locator {
  return scope.getByLabel(new RegExp(`^${escapeRegExp(text)}\\s*\\*?$`));
}

/** page.goto, then wait for hydration: a click before it would be lost (the same as fixtures' gotoHydrated). */
export const visit = gotoHydrated;

export type NewProduct = {
  sku: string;
  name: string;
  basePrice: string;
  category?: string;
  description?: string;
  unit?: string;
  taxRate?: string;
  tiers?: string;
  /** The "Reorder point" field (low-stock alert below it); left at the form's default when absent. */
  reorderPoint?: string;
};

/** Creates a product on /admin/products/new and returns its id. */
export async function createProduct(admin: Page, p: NewProduct): Promise<string> {
  await visit(admin, "/admin/products/new");
  await labelled(admin, "SKU").fill(p.sku);
  await labelled(admin, "Name").fill(p.name);
  if (p.description) await labelled(admin, "Description").fill(p.description);
  await labelled(admin, "Category").fill(p.category ?? e2eCategory);
  if (p.unit) await labelled(admin, "Unit").fill(p.unit);
  await labelled(admin, "Base price").fill(p.basePrice);
  if (p.taxRate) await labelled(admin, "Tax rate (%)").fill(p.taxRate);
  if (p.tiers) await labelled(admin, "Volume tiers").fill(p.tiers);
  if (p.reorderPoint) await labelled(admin, "Reorder point").fill(p.reorderPoint);
  await admin.getByRole("button", { name: "Create product" }).click();
  await expect(admin).toHaveURL(/\/admin\/products\/[0-9a-f-]{36}\?created=1$/);
  await expect(admin.getByText("Product created.")).toBeVisible();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(p.name);
  return new URL(admin.url()).pathname.split("/").pop()!;
}

/** Opens a price list from /admin/price-lists by its name. */
export async function openPriceList(admin: Page, name: string): Promise<void> {
  await visit(admin, "/admin/price-lists");
  await admin.getByRole("link", { name, exact: true }).click();
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(name);
}

/** On an open price list page: adds or replaces the contract price of one SKU. */
export async function savePriceListEntry(admin: Page, sku: string, price: string, tiers = ""): Promise<void> {
  await labelled(admin, "SKU").fill(sku);
  await labelled(admin, "Contract price").fill(price);
  await labelled(admin, "Volume tiers").fill(tiers);
  await admin.getByRole("button", { name: "Save price" }).click();
  await expect(admin.getByText(`Price saved for ${sku}.`)).toBeVisible();
}

/** Creates a customer company with the form's defaults (EUR, UTC unless `timeZone` is given) and returns its id. */
export async function createCompany(admin: Page, name: string, options: { timeZone?: string } = {}): Promise<string> {
  await visit(admin, "/admin/customers/new");
  await labelled(admin, "Name").fill(name);
  if (options.timeZone) await labelled(admin, "Time zone").fill(options.timeZone);
  await admin.getByRole("button", { name: "Create company" }).click();
  await expect(admin).toHaveURL(/\/admin\/customers\/[0-9a-f-]{36}\?created=1$/);
  await expect(admin.getByText("Company created.")).toBeVisible();
  return new URL(admin.url()).pathname.split("/").pop()!;
}

export type NewUser = { email: string; name: string; role: "Buyer" | "Customer admin" | "Sales" | "Finance" | "Administrator"; company?: string; password: string };

/** Creates a user on /admin/users/new (admin only) and returns its id. */
export async function createUser(admin: Page, u: NewUser): Promise<string> {
  await visit(admin, "/admin/users/new");
  await fillUserForm(admin, u);
  await admin.getByRole("button", { name: "Create user" }).click();
  await expect(admin).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}\?created=1$/);
  await expect(admin.getByText("User created.")).toBeVisible();
  return new URL(admin.url()).pathname.split("/").pop()!;
}

export async function fillUserForm(admin: Page, u: NewUser): Promise<void> {
  await labelled(admin, "Email").fill(u.email);
  await labelled(admin, "Name").fill(u.name);
  await labelled(admin, "Role").selectOption({ label: u.role });
  await labelled(admin, "Company").selectOption({ label: u.company ?? "— none (staff) —" });
  await labelled(admin, "Initial password").fill(u.password);
}

/** A password the policy accepts (long, not common, not the email). */
export const strongPassword = "Tq7-velvet-Harbor-91";

/** On /admin/products/<id>: books `quantity` units in with the "Receive stock" form and checks the new on-hand figure. */
export async function receiveStock(admin: Page, productId: string, quantity: number, expectedOnHand = quantity): Promise<void> {
  await visit(admin, `/admin/products/${productId}`);
  await labelled(admin, "Quantity received").fill(String(quantity));
  await admin.getByRole("button", { name: "Receive stock" }).click();
  await expect(admin.getByText(`Stock received. On hand is now ${expectedOnHand}.`)).toBeVisible();
  await expect(admin.getByTestId("stock-on-hand")).toHaveText(String(expectedOnHand));
}

/** The three stock figures on /admin/products/<id>, freshly loaded. */
export async function expectStock(admin: Page, productId: string, stock: { onHand: number; reserved: number; available: number }): Promise<void> {
  await visit(admin, `/admin/products/${productId}`);
  await expect(admin.getByTestId("stock-on-hand")).toHaveText(String(stock.onHand));
  await expect(admin.getByTestId("stock-reserved")).toHaveText(String(stock.reserved));
  await expect(admin.getByTestId("stock-available")).toHaveText(String(stock.available));
}

/**
 * A buyer of their own in a demo company (created by an admin page), signed in through the login form
 * in a new context. Their cart, orders and monthly spending belong to this test alone.
 */
export async function openAsNewBuyer(
  browser: Browser,
  baseURL: string | undefined,
  admin: Page,
  company = "Acme Industrial Supply",
): Promise<{ context: BrowserContext; page: Page; email: string; name: string }> {
  const id = uid();
  const email = `e2e-buyer-${id.toLowerCase()}@example.test`;
  const name = `Olive Orderer ${id}`;
  await createUser(admin, { email, name, role: "Buyer", company, password: strongPassword });
  const { context, page } = await openAs(browser, baseURL, null);
  await login(page, email, strongPassword);
  await expect(page.getByTestId("current-user")).toContainText(name);
  return { context, page, email, name };
}
