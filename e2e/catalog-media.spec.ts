import { expect, test } from "@playwright/test";
import sharp from "sharp";
import { createProduct, labelled, openAs, uid, visit } from "./admin-helpers";
import { login } from "./fixtures";

// Issue 14: product images (staff upload, resized renditions, cached image route) and customer
// assortments (Initech Facilities, seeded, sees Cleaning, Office Supplies, Safety Equipment and one
// hammer, HAN-0101; everything else does not exist for it).

const png = (width: number, height: number, colour: string) =>
  sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();

// Each test is a whole journey (staff and buyer, several uploads): more than the default 90 s on a busy machine.
test.describe.configure({ timeout: 240_000 });

test.describe("product images", () => {
  test("staff upload an image, it is refused when it is not one, and the buyer sees it in the catalogue, on the product page and in the cart", async ({ browser, baseURL }) => {
    const tag = uid();
    const sku = `IMG-${tag}`;
    const name = `Imaged widget ${tag}`;
    const admin = await openAs(browser, baseURL, "admin");
    await createProduct(admin.page, { sku, name, basePrice: "12.00", taxRate: "19" });
    await expect(admin.page.getByTestId("product-image-note")).toHaveText("No image yet.");

    // A text file named .png is refused by its bytes, next to the field.
    await labelled(admin.page, "Image").setInputFiles({ name: "fake.png", mimeType: "image/png", buffer: Buffer.from("not really a png") });
    await admin.page.getByRole("button", { name: "Upload image" }).click();
    await expect(admin.page.getByText("This file is not an image we can read. Upload a JPEG, PNG or WebP image.")).toBeVisible();

    await labelled(admin.page, "Image").setInputFiles({ name: "widget.png", mimeType: "image/png", buffer: await png(1600, 800, "#2563eb") });
    await admin.page.getByRole("button", { name: "Upload image" }).click();
    await expect(admin.page.getByText("Image uploaded.")).toBeVisible();
    await expect(admin.page.getByTestId("product-image-note")).toHaveText("PNG 1600 × 800");
    const staffImage = admin.page.getByRole("img", { name });
    await expect(staffImage).toBeVisible();
    const src = (await staffImage.getAttribute("src"))!;
    expect(src).toMatch(/^\/images\/products\/[0-9a-f-]{36}-160\.webp$/);

    const buyer = await openAs(browser, baseURL, "buyer");
    await visit(buyer.page, `/?q=${sku}`);
    const row = buyer.page.getByTestId("catalog-row");
    await expect(row).toHaveCount(1);
    const thumb = row.getByRole("img", { name });
    await expect(thumb).toBeVisible();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    expect(await thumb.getAttribute("srcset")).toMatch(/-160\.webp 160w, .*-480\.webp 480w, .*-1200\.webp 1200w$/);

    // The rendition: WebP at its width, cached for a year, 304 when the browser has it.
    const response = await buyer.page.request.get(src);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("image/webp");
    expect(response.headers()["cache-control"]).toBe("private, max-age=31536000, immutable");
    const meta = await sharp(await response.body()).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 160, 80]);
    const etag = response.headers()["etag"]!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await buyer.page.request.get(src, { headers: { "if-none-match": etag } });
    expect(again.status()).toBe(304);
    // Signed out, the image is not there.
    const anonymous = await openAs(browser, baseURL, null);
    expect((await anonymous.page.request.get(src, { maxRedirects: 0 })).status()).toBe(404);

    await row.getByRole("link", { name }).click();
    await expect(buyer.page.getByRole("heading", { level: 1 })).toHaveText(name);
    await expect(buyer.page.getByRole("img", { name })).toBeVisible();
    await buyer.page.getByRole("spinbutton", { name: "Quantity", exact: true }).fill("2");
    await buyer.page.getByRole("button", { name: "Add to cart" }).click();
    await expect(buyer.page.getByText("Added to cart.")).toBeVisible();
    await visit(buyer.page, "/cart");
    await expect(buyer.page.getByTestId(`cart-line-${sku}`).getByRole("img", { name })).toBeVisible();
    // Leave the shared buyer's cart as it was.
    await buyer.page.getByTestId(`cart-line-${sku}`).getByRole("button", { name: `Remove ${sku}` }).click();
    await expect(buyer.page.getByTestId(`cart-line-${sku}`)).toHaveCount(0);

    // Replacing the image gives it a new URL; removing it leaves the placeholder.
    await labelled(admin.page, "New image").setInputFiles({ name: "widget2.jpg", mimeType: "image/jpeg", buffer: await sharp(await png(300, 300, "#16a34a")).jpeg().toBuffer() });
    await admin.page.getByRole("button", { name: "Replace image" }).click();
    await expect(admin.page.getByText("Image replaced.")).toBeVisible();
    await expect(admin.page.getByTestId("product-image-note")).toHaveText("JPEG 300 × 300");
    await expect(admin.page.getByRole("img", { name })).not.toHaveAttribute("src", src);
    expect((await buyer.page.request.get(src)).status()).toBe(404);
    await admin.page.getByRole("button", { name: "Remove image" }).click();
    await expect(admin.page.getByTestId("product-image-note")).toHaveText("No image yet.");
    await expect(admin.page.getByRole("button", { name: "Remove image" })).toHaveCount(0);
    await expect(admin.page.getByRole("img", { name })).toHaveCount(0);

    await Promise.all([admin.context.close(), buyer.context.close(), anonymous.context.close()]);
  });
});

test.describe("customer assortments", () => {
  test("a limited company's buyer gets 404 outside its assortment, does not find it in search, and sees staff's change", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    await login(page, "buyer@initech.test");
    await expect(page).toHaveURL(/\/$/);

    // In the assortment: a cleaning product (with its seeded image) and the one listed hammer.
    await visit(page, "/products/CLE-0801");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Heavy-duty degreaser 1L");
    await expect(page.getByRole("img", { name: "Heavy-duty degreaser 1L" })).toBeVisible();
    await visit(page, "/products/HAN-0101");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Claw hammer 16oz Standard");

    // Outside it: the product page is a 404 and search does not find it.
    const excluded = await page.goto("/products/POW-0201");
    expect(excluded?.status()).toBe(404);
    await visit(page, "/?q=POW-0201");
    await expect(page.getByTestId("catalog-row")).toHaveCount(0);
    await visit(page, "/?q=cordless+drill");
    await expect(page.getByTestId("catalog-row")).toHaveCount(0);
    await expect(page.getByText("No products match")).toBeVisible();
    // The category list holds only what it may see.
    await visit(page, "/");
    await expect(page.getByLabel("Category").locator("option")).toContainText(["All categories", "Cleaning", "Hand Tools", "Office Supplies", "Safety Equipment"]);
    await expect(page.getByLabel("Category").locator("option", { hasText: "Power Tools" })).toHaveCount(0);
    // Works at 375 px: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    // The excluded product's image is a 404 for this buyer too.
    const admin = await openAs(browser, baseURL, "admin");
    await visit(admin.page, "/admin/catalog-preview/POW-0201");
    const powerImage = admin.page.getByRole("img", { name: "Cordless drill driver 18V" });
    const powerSrc = (await powerImage.getAttribute("src"))!;
    expect((await admin.page.request.get(powerSrc)).status()).toBe(200);
    expect((await page.request.get(powerSrc)).status()).toBe(404);

    // Staff add the drill to Initech's assortment on the customer page; the buyer sees it; then it is removed again.
    await visit(admin.page, "/admin/customers?q=Initech");
    await admin.page.getByRole("link", { name: "Initech Facilities" }).click();
    await expect(admin.page.getByTestId("assortment-summary")).toHaveText(/^Limited: this company sees Cleaning, Office Supplies, Safety Equipment and 1 single product\./);
    const skus = labelled(admin.page, "Single products (SKUs)");
    await expect(skus).toHaveValue("HAN-0101");
    await skus.fill("HAN-0101\nPOW-0201\nNOPE-0000");
    await admin.page.getByRole("button", { name: "Save assortment" }).click();
    await expect(admin.page.getByText("No active product has the SKU NOPE-0000.")).toBeVisible();
    await skus.fill("HAN-0101\nPOW-0201");
    await admin.page.getByRole("button", { name: "Save assortment" }).click();
    await expect(admin.page.getByText("Assortment saved: 3 categories and 2 single products.")).toBeVisible();
    const allowed = await page.goto("/products/POW-0201");
    expect(allowed?.status()).toBe(200);
    await skus.fill("HAN-0101");
    await admin.page.getByRole("button", { name: "Save assortment" }).click();
    await expect(admin.page.getByText("Assortment saved: 3 categories and 1 single product.")).toBeVisible();
    expect((await page.goto("/products/POW-0201"))?.status()).toBe(404);

    await Promise.all([context.close(), admin.context.close()]);
  });
});
