import { expect, type Page } from "@playwright/test";
import { PDFParse } from "pdf-parse";

/** The text of a PDF's pages, one line per printed line, cells separated by single spaces (pdf-parse). */
export async function pdfText(data: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(data) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/**
 * Follows the link named `linkName` on the page with the page's own cookies (page.request shares the
 * browser context's storage) and returns the PDF's text. Asserts a 200 PDF response on the way.
 */
export async function downloadPdfText(page: Page, linkName: string): Promise<{ href: string; text: string }> {
  const href = await page.getByRole("link", { name: linkName, exact: true }).getAttribute("href");
  expect(href, `href of link "${linkName}"`).toMatch(/^\/api\/documents\/(quotations|invoices|credit-notes|delivery-notes)\/[0-9a-f-]{36}$/);
  const response = await page.request.get(href!);
  expect(response.status(), `GET ${href}`).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  const body = await response.body();
  expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  return { href: href!, text: await pdfText(body) };
}
