import { readFile } from "node:fs/promises";
import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  acmeList,
  createCompany,
  createProduct,
  createUser,
  e2eCategory,
  globexList,
  labelled,
  openAs,
  openPriceList,
  savePriceListEntry,
  strongPassword,
  uid,
  visit,
} from "./admin-helpers";
import { login, reloadHydrated, sellerDay, storageState } from "./fixtures";

// The demo catalogue is generated deterministically (lib/services/seed-catalog.ts), so its figures
// are known: "Hex bolt zinc-plated" M4–M10 are FAS-0001…FAS-0005, M6 (FAS-0003) is out of stock,
// Acme's list prices every other product at 88 % with 96 %/92 % tiers at 25 and 100 packs,
// Globex's list every third product at 92 %. Products these tests change are their own.

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The text of a cell made of stacked blocks, e.g. the price and its explanation under it. */
const stacked = (...parts: string[]) => new RegExp(`^${parts.map(escape).join("\\s*")}$`);

const rowsOf = (page: Page) => page.getByTestId("catalog-row");
const column = (rows: Locator, n: number) => rows.locator(`td:nth-child(${n})`);

test.describe("customer catalogue", () => {
  test.use({ storageState: storageState("buyer") });

  test("a buyer searches, filters by category and stock, and opens a product with Acme's contract price", async ({ page }) => {
    await visit(page, "/");
    await expect(page.getByTestId("price-list-note")).toHaveText(`Prices from your price list: ${acmeList}`);

    const search = page.getByRole("search", { name: "Product search" });
    await search.getByLabel("Search products").fill("hex bolt");
    await search.getByLabel("Category").selectOption("Fasteners");
    await search.getByLabel("Sort by").selectOption({ label: "SKU" });
    await search.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL((u) => u.searchParams.get("q") === "hex bolt" && u.searchParams.get("category") === "Fasteners" && u.searchParams.get("sort") === "sku" && !u.searchParams.has("inStock"));
    const rows = rowsOf(page);
    await expect(column(rows, 1)).toHaveText(["FAS-0001", "FAS-0002", "FAS-0003", "FAS-0004", "FAS-0005"]);
    await expect(rows.filter({ hasText: "FAS-0003" }).locator("td:nth-child(4)")).toHaveText("Out of stock");

    await search.getByLabel("In stock only").check();
    await search.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL((u) => u.searchParams.get("inStock") === "1" && u.searchParams.get("category") === "Fasteners");
    await expect(column(rows, 1)).toHaveText(["FAS-0001", "FAS-0002", "FAS-0004", "FAS-0005"]);
    await expect(column(rows, 2)).toHaveText(["Hex bolt zinc-plated M4", "Hex bolt zinc-plated M5", "Hex bolt zinc-plated M8", "Hex bolt zinc-plated M10"].map((n) => stacked(n, "Fasteners")));
    await expect(column(rows, 3)).toHaveText([
      stacked("€11.35 per box", `Contract price, ${acmeList}`),
      stacked("€14.80 per box", "List price"),
      stacked("€18.70 per box", "List price"),
      stacked("€18.12 per box", `Contract price, ${acmeList}`),
    ]);
    await expect(column(rows, 5)).toHaveText(["5, packs of 5", "1", "5, packs of 5", "1"]);
    await expect(page.getByTestId("pagination-status")).toHaveText("Page 1");

    // Pick the first row priced by the contract, as a buyer scanning the list would.
    const contractRows = rows.filter({ has: page.locator("td:nth-child(3)", { hasText: "Contract price" }) });
    await expect(column(contractRows, 1)).toHaveText(["FAS-0001", "FAS-0005"]);
    const chosen = contractRows.first();
    const stock = (await chosen.locator("td:nth-child(4)").innerText()).trim();
    expect(stock).toMatch(/^In stock: \d+$/);
    await chosen.getByRole("link", { name: "Hex bolt zinc-plated M4" }).click();

    await expect(page).toHaveURL(/\/products\/FAS-0001$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hex bolt zinc-plated M4");
    await expect(page.getByTestId("product-sku")).toHaveText("FAS-0001");
    await expect(page.getByTestId("unit-price")).toHaveText("€11.35 per box");
    await expect(page.getByTestId("price-explanation")).toHaveText(`Contract price, ${acmeList}`);
    await expect(page.getByTestId("availability")).toHaveText(stock);
    await expect(page.getByTestId("tax-rate")).toHaveText("19%");
    await expect(page.getByTestId("min-order")).toHaveText("5");
    await expect(page.getByTestId("pack-size")).toHaveText("Packs of 5");
    await expect(page.getByRole("heading", { name: "Volume prices" })).toBeVisible();
    const tiers = page.getByTestId("price-tier-row");
    await expect(tiers.locator("th")).toHaveText([/^1\+\s*Standard$/, "125+", "500+"]);
    await expect(tiers.locator("td:nth-child(2)")).toHaveText(["€11.35", "€10.89", "€10.44"]);
    await expect(tiers.locator("td:nth-child(3)")).toHaveText([`Contract price, ${acmeList}`, `Contract price, ${acmeList}, 125+ tier`, `Contract price, ${acmeList}, 500+ tier`]);

    await page.getByRole("link", { name: "Back to catalog" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { name: "Catalog", level: 1 })).toBeVisible();
  });

  test("an unknown SKU is a 404 page", async ({ page }) => {
    const res = await page.goto(`/products/NO-SUCH-${uid()}`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});

test.describe("contract prices and staff changes", () => {
  test.use({ storageState: storageState("admin") });

  test("a contract price reaches only the company its list is assigned to", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const sku = `E2E-PRICE-${id}`;
    const listName = `E2E Contract ${id}`;
    const companyName = `E2E Pricing Co ${id}`;
    const email = `e2e-pricing-${id.toLowerCase()}@example.test`;
    await createProduct(admin, { sku, name: `E2E Priced Valve ${id}`, basePrice: "40.00", taxRate: "19" });

    // A company of its own, so its new list (valid from today, so it wins) changes no demo company's prices.
    await createCompany(admin, companyName);
    await createUser(admin, { email, name: `Pia Pricing ${id}`, role: "Buyer", company: companyName, password: strongPassword });
    await visit(admin, "/admin/price-lists/new");
    await labelled(admin, "Name").fill(listName);
    // Today on the seller's calendar, not UTC's.
    await expect(labelled(admin, "Valid from")).toHaveValue(sellerDay());
    // The new company reads dates on its own calendar (UTC), which is a day behind Berlin's between
    // midnight in Berlin and midnight UTC: start the list on UTC's today so it is valid for it at any hour.
    await labelled(admin, "Valid from").fill(new Date().toISOString().slice(0, 10));
    await admin.getByRole("button", { name: "Create price list" }).click();
    await expect(admin.getByText("Price list created.")).toBeVisible();
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText(listName);
    await savePriceListEntry(admin, sku, "31.90", "25: 30.00");
    await expect(admin.getByTestId(`price-entry-${sku}`).locator("td")).toHaveText([sku, `E2E Priced Valve ${id}`, "€40.00", "€31.90", "25: 30.00", /^Remove/]);
    await labelled(admin, "Company").selectOption({ label: companyName });
    await admin.getByRole("button", { name: "Assign to company" }).click();
    await expect(admin.getByText("Company assigned.")).toBeVisible();
    await expect(admin.getByRole("list", { name: "Assigned companies" }).getByRole("listitem")).toHaveText([new RegExp(`^${escape(companyName)}\\s*Unassign`)]);

    // Acme gets its own contract price on its demo list (a new entry for this product only).
    await openPriceList(admin, acmeList);
    await savePriceListEntry(admin, sku, "35.50");

    const own = await openAs(browser, baseURL, null);
    await login(own.page, email, strongPassword);
    await expect(own.page.getByTestId("current-user")).toContainText(`Pia Pricing ${id}`);
    await expect(own.page.getByTestId("price-list-note")).toHaveText(`Prices from your price list: ${listName}`);
    await visit(own.page, `/products/${sku}`);
    await expect(own.page.getByTestId("unit-price")).toHaveText("€31.90 per each");
    await expect(own.page.getByTestId("price-explanation")).toHaveText(`Contract price, ${listName}`);
    const ownTiers = own.page.getByTestId("price-tier-row");
    await expect(ownTiers.locator("td:nth-child(2)")).toHaveText(["€31.90", "€30.00"]);
    await expect(ownTiers.locator("td:nth-child(3)")).toHaveText([`Contract price, ${listName}`, `Contract price, ${listName}, 25+ tier`]);

    const acme = await openAs(browser, baseURL, "buyer");
    await visit(acme.page, `/products/${sku}`);
    await expect(acme.page.getByTestId("unit-price")).toHaveText("€35.50 per each");
    await expect(acme.page.getByTestId("price-explanation")).toHaveText(`Contract price, ${acmeList}`);
    await expect(acme.page.getByTestId("price-tier-row")).toHaveCount(1);
    for (const leak of ["€31.90", "€30.00", listName]) await expect(acme.page.locator("body")).not.toContainText(leak);

    const globex = await openAs(browser, baseURL, "globexBuyer");
    await visit(globex.page, `/products/${sku}`);
    await expect(globex.page.getByTestId("unit-price")).toHaveText("€40.00 per each");
    await expect(globex.page.getByTestId("price-explanation")).toHaveText("List price");
    await expect(globex.page.getByTestId("price-tier-row").locator("td")).toHaveText(["€40.00", "List price"]);
    for (const leak of ["€31.90", "€30.00", "€35.50", listName, acmeList]) await expect(globex.page.locator("body")).not.toContainText(leak);
    // The catalogue search shows the same: Globex's own list, the product at its list price.
    await visit(globex.page, `/?q=${sku}`);
    await expect(globex.page.getByTestId("price-list-note")).toHaveText(`Prices from your price list: ${globexList}`);
    await expect(column(rowsOf(globex.page), 3)).toHaveText([stacked("€40.00 per each", "List price")]);

    await Promise.all([own.context.close(), acme.context.close(), globex.context.close()]);
  });

  test("staff change a base price and a contract price and buyers see the new prices on reload", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const sku = `E2E-REPRICE-${id}`;
    const productId = await createProduct(admin, { sku, name: `E2E Repriced Hose ${id}`, basePrice: "20.00" });
    await openPriceList(admin, acmeList);
    await savePriceListEntry(admin, sku, "17.00");

    const acme = await openAs(browser, baseURL, "buyer");
    const globex = await openAs(browser, baseURL, "globexBuyer");
    await visit(acme.page, `/products/${sku}`);
    await visit(globex.page, `/products/${sku}`);
    await expect(acme.page.getByTestId("unit-price")).toHaveText("€17.00 per each");
    await expect(globex.page.getByTestId("unit-price")).toHaveText("€20.00 per each");

    await visit(admin, `/admin/products/${productId}`);
    await labelled(admin, "Base price").fill("18.75");
    await admin.getByRole("button", { name: "Save changes" }).click();
    await expect(admin.getByText("Changes saved.")).toBeVisible();
    await expect(admin.getByText(`SKU ${sku} · ${e2eCategory} · €18.75 per each`, { exact: true })).toBeVisible();

    await reloadHydrated(globex.page);
    await expect(globex.page.getByTestId("unit-price")).toHaveText("€18.75 per each");
    await expect(globex.page.getByTestId("price-explanation")).toHaveText("List price");
    // Acme's contract price does not follow the base price.
    await reloadHydrated(acme.page);
    await expect(acme.page.getByTestId("unit-price")).toHaveText("€17.00 per each");

    await openPriceList(admin, acmeList);
    await savePriceListEntry(admin, sku, "16.25");
    await expect(admin.getByTestId(`price-entry-${sku}`).locator("td:nth-child(4)")).toHaveText("€16.25");
    await reloadHydrated(acme.page);
    await expect(acme.page.getByTestId("unit-price")).toHaveText("€16.25 per each");
    await expect(acme.page.getByTestId("price-explanation")).toHaveText(`Contract price, ${acmeList}`);
    await visit(acme.page, `/?q=${sku}`);
    await expect(column(rowsOf(acme.page), 3)).toHaveText([stacked("€16.25 per each", `Contract price, ${acmeList}`)]);

    await Promise.all([acme.context.close(), globex.context.close()]);
  });

  test("staff import products from CSV, see every bad row named, and export them again", async ({ page }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const prefix = `E2E-IMP-${id}`;
    const header = "sku,name,description,category,unit,base_price,tax_rate,min_order_quantity,order_multiple,low_stock_threshold,tiers,archived";
    const good = [
      header,
      `${prefix}-1,E2E Import Bracket ${id},"Steel, zinc-plated",${e2eCategory},box,12.50,19,5,5,10,25: 11.90; 100: 11.25,no`,
      `${prefix}-2,E2E Import Gasket ${id},"Says ""heat-proof""",${e2eCategory},each,3.05,7.5,1,1,0,,no`,
      `${prefix}-3,E2E Import Sealant ${id},"Line one\nLine two",${e2eCategory},each,0.99,0,1,1,3,,no`,
    ].join("\n");
    const csv = (name: string, text: string) => ({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });

    await visit(page, "/admin/products/import");
    await page.getByLabel("CSV file").setInputFiles(csv("new-products.csv", good));
    await page.getByRole("button", { name: "Import products" }).click();
    await expect(page.getByTestId("import-result")).toHaveText("Imported 3 rows: 3 created, 0 updated, 0 unchanged.");

    // One bad row: the whole file is refused and the row is named.
    const bad = [header, `${prefix}-4,E2E Import Clamp ${id},,${e2eCategory},each,4.00,19,1,1,0,,no`, `${prefix}-5,E2E Import Hinge ${id},,${e2eCategory},each,12.5O,19,1,1,0,,no`].join("\n");
    await page.getByLabel("CSV file").setInputFiles(csv("bad-products.csv", bad));
    await page.getByRole("button", { name: "Import products" }).click();
    await expect(page.getByText("1 problem found; nothing was imported. Fix the file and upload it again.")).toBeVisible();
    await expect(page.getByTestId("import-errors").getByRole("listitem")).toHaveText([`Row 3 (SKU ${prefix}-5): base_price: Enter a price such as 12.50.`]);
    await expect(page.getByTestId("import-result")).toHaveCount(0);

    // Checked in a second tab, so the import page stays as the user left it.
    const list = await page.context().newPage();
    await visit(list, "/admin/products");
    const filter = list.getByRole("search", { name: "Filter products" });
    await filter.getByLabel("Search").fill(prefix);
    await filter.getByRole("button", { name: "Apply filters" }).click();
    await expect(list).toHaveURL((u) => u.searchParams.get("q") === prefix);
    await expect(list.locator("tbody tr")).toHaveCount(3);
    await expect(list.getByTestId(`product-row-${prefix}-1`).locator("td")).toHaveText([`${prefix}-1`, `E2E Import Bracket ${id}`, e2eCategory, "€12.50", "0", "0", "0 · out of stock", "Active"]);
    await expect(list.getByTestId(`product-row-${prefix}-4`)).toHaveCount(0);
    await expect(list.getByTestId(`product-row-${prefix}-5`)).toHaveCount(0);

    // The fixed file goes in from the same form: the refused upload used up nothing.
    await page.getByLabel("CSV file").setInputFiles(csv("bad-products-fixed.csv", bad.replace(",12.5O,", ",12.50,")));
    await page.getByRole("button", { name: "Import products" }).click();
    await expect(page.getByTestId("import-result")).toHaveText("Imported 2 rows: 2 created, 0 updated, 0 unchanged.");
    await expect(page.getByTestId("import-errors")).toHaveCount(0);

    await reloadHydrated(list);
    await expect(list.locator("tbody tr")).toHaveCount(5);
    const [download] = await Promise.all([list.waitForEvent("download"), list.getByRole("link", { name: "Export CSV" }).click()]);
    // Named for the seller's calendar day, not UTC's.
    expect(download.suggestedFilename()).toBe(`products-${sellerDay()}.csv`);
    const exported = await readFile((await download.path())!, "utf8");
    const exportHeader = `${header},currency,on_hand,reserved,available`;
    expect(exported.startsWith(`${exportHeader}\n`)).toBe(true);
    const records = [
      `${prefix}-1,E2E Import Bracket ${id},"Steel, zinc-plated",${e2eCategory},box,12.50,19,5,5,10,25: 11.90; 100: 11.25,no,EUR,0,0,0\n`,
      `${prefix}-2,E2E Import Gasket ${id},"Says ""heat-proof""",${e2eCategory},each,3.05,7.5,1,1,0,,no,EUR,0,0,0\n`,
      `${prefix}-3,E2E Import Sealant ${id},"Line one\nLine two",${e2eCategory},each,0.99,0,1,1,3,,no,EUR,0,0,0\n`,
      `${prefix}-4,E2E Import Clamp ${id},,${e2eCategory},each,4.00,19,1,1,0,,no,EUR,0,0,0\n`,
      `${prefix}-5,E2E Import Hinge ${id},,${e2eCategory},each,12.50,19,1,1,0,,no,EUR,0,0,0\n`,
    ];
    for (const r of records) expect(exported).toContain(r);
    expect(exported.split(prefix).length - 1).toBe(5);
    // The demo catalogue is in it too, e.g. its first product (stock varies with orders).
    expect(exported).toMatch(/\nFAS-0001,Hex bolt zinc-plated M4,"Box of 100, DIN 933, grade 8\.8 steel\.",Fasteners,box,12\.90,19,5,5,10,,no,EUR,\d+,\d+,\d+\n/);

    // The exported rows go back in unchanged. Only this test's rows: re-importing the whole file
    // would write back every product as it was at export time, undoing other tests' changes.
    await visit(page, "/admin/products/import");
    await page.getByLabel("CSV file").setInputFiles(csv("products-export.csv", `${exportHeader}\n${records.join("")}`));
    await page.getByRole("button", { name: "Import products" }).click();
    await expect(page.getByTestId("import-result")).toHaveText("Imported 5 rows: 0 created, 0 updated, 5 unchanged.");
  });

  test("the staff catalogue preview shows Globex's prices", async ({ page }) => {
    await visit(page, "/admin/products");
    await page.getByRole("link", { name: "Catalogue preview" }).click();
    await expect(page).toHaveURL(/\/admin\/catalog-preview$/);
    await expect(page.getByTestId("preview-note")).toHaveText("Showing list prices. Choose a company to see its prices.");
    await page.getByRole("form", { name: "Choose company" }).getByLabel("Company").selectOption({ label: "Globex Manufacturing" });
    await page.getByRole("button", { name: "Show prices" }).click();
    await expect(page.getByTestId("preview-note")).toHaveText(/^Showing prices for Globex Manufacturing on \d{4}-\d{2}-\d{2} \(Europe\/Paris\)\.$/);
    await expect(page.getByTestId("price-list-note")).toHaveText(`Prices from your price list: ${globexList}`);

    const search = page.getByRole("search", { name: "Product search" });
    await search.getByLabel("Search products").fill("hex bolt");
    await search.getByLabel("Sort by").selectOption({ label: "SKU" });
    await search.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL((u) => u.searchParams.get("q") === "hex bolt" && u.searchParams.has("company"));
    const rows = rowsOf(page);
    await expect(column(rows, 1)).toHaveText(["FAS-0001", "FAS-0002", "FAS-0003", "FAS-0004", "FAS-0005"]);
    await expect(column(rows, 3)).toHaveText([
      stacked("€11.86 per box", `Contract price, ${globexList}`),
      stacked("€14.80 per box", "List price"),
      stacked("€16.80 per box", "List price"),
      stacked("€17.20 per box", `Contract price, ${globexList}`),
      stacked("€20.60 per box", "List price"),
    ]);
    await rows.first().getByRole("link", { name: "Hex bolt zinc-plated M4" }).click();
    await expect(page.getByTestId("unit-price")).toHaveText("€11.86 per box");
    await expect(page.getByTestId("price-explanation")).toHaveText(`Contract price, ${globexList}`);
    await expect(page.getByTestId("price-tier-row").locator("td:nth-child(2)")).toHaveText(["€11.86", "€11.38", "€10.91"]);
  });
});
