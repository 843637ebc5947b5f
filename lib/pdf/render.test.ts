import path from "node:path";
import { PDFParse } from "pdf-parse";
import { afterAll, describe, expect, it } from "vitest";
import { toRenderModel, type PdfRenderModel } from "./model";
import { closePdfPool, createPdfPool, defaultPdfPoolSize, getPdfPool, PdfRenderError, renderPdf } from "./render";
import { sampleDocument } from "./sample-data";
import type { PdfDocumentData } from "./types";

// Real workers, real PDFs, real text extraction (pdf-parse). Text comes back one line per line of
// print, cells separated by single spaces.

async function pdfPages(pdf: Buffer): Promise<string[]> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).pages.map((p) => p.text);
  } finally {
    await parser.destroy();
  }
}

/** Three lines with figures worked out by hand: 19% and 7% VAT, half-up tax rounding on line 2. */
function threeLineInvoice(): PdfDocumentData {
  const base = sampleDocument("invoice", 0);
  const line = (lineNo: number, sku: string, quantity: number, unitPriceMinor: bigint, taxRateBp: number, netMinor: bigint, taxMinor: bigint) => ({
    lineNo, sku, name: `Article ${sku}`, unit: "pcs", quantity, unitPriceMinor, discountBp: 0, netMinor, taxRateBp, taxMinor, totalMinor: netMinor + taxMinor,
  });
  return {
    ...base,
    lines: [
      line(1, "A-100", 10, 10_000n, 1900, 100_000n, 19_000n), // 10 × €100.00
      line(2, "B-200", 3, 1_234n, 700, 3_702n, 259n), // 3 × €12.34 = €37.02; 7% = 2.5914 → €2.59
      line(3, "C-300", 2, 5_000n, 1900, 10_000n, 1_900n),
    ],
    subtotalMinor: 113_702n,
    taxMinor: 21_159n,
    totalMinor: 134_861n,
    taxByRate: [
      { taxRateBp: 700, netMinor: 3_702n, taxMinor: 259n },
      { taxRateBp: 1900, netMinor: 110_000n, taxMinor: 20_900n },
    ],
  };
}

const HEADER = "# SKU Description Qty Unit price Disc. Tax % Line total";

afterAll(async () => {
  await closePdfPool();
});

describe("renderPdf (worker pool)", () => {
  it("renders a 3-line invoice with exact totals and per-rate tax", async () => {
    const pages = await pdfPages(await renderPdf(threeLineInvoice()));
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    expect(text).toContain("Invoice\nINV-2026-000001");
    expect(text).toContain("# SKU Description Qty Unit price Tax % Line total"); // no discount column
    expect(text).toContain("2 B-200 Article B-200 3 pcs €12.34 7% €37.02");
    expect(text).toContain("Subtotal €1,137.02");
    expect(text).toContain("VAT 7% on €37.02 €2.59");
    expect(text).toContain("VAT 19% on €1,100.00 €209.00");
    expect(text).toContain("Total €1,348.61");
    expect(text).toContain("Please pay €1,348.61 by 2026-12-10, quoting payment reference RF18 5390 0754 7034.");
    expect(text).toContain("IBAN DE89 3704 0044 0532 0130 00");
    expect(text).toContain("Tax rounded half-up per line");
    expect(text).toContain("Page 1 of 1");
  }, 30_000);

  it("paginates a 400-line quotation, repeating the table header on every page", async () => {
    const data = sampleDocument("quotation", 400, { discounts: true });
    const model = toRenderModel(data);
    expect(model.total.value).toBe("€204,097.86");
    const pages = await pdfPages(await getPdfPool().renderModel(model));
    const n = pages.length;
    expect(n).toBeGreaterThan(5);
    expect(pages[0]).toContain("Quotation\nQ-2026-000012");
    expect(pages[0]).toContain("Version 2");
    expect(pages[0]).toContain("Valid until 2026-12-10 23:59 (Europe/Berlin)");
    expect(pages[0]).toContain(`Page 1 of ${n}`);
    pages.forEach((text, i) => {
      expect(text).toContain(HEADER);
      expect(text).toContain(`Page ${i + 1} of ${n}`);
    });
    const last = pages[n - 1]!;
    expect(last).toContain("400 SKU-10399");
    expect(last).toContain("Total €204,097.86");
    expect(last).toContain("VAT 19% on €110,446.38 €20,984.81");
    expect(last).toContain("This quotation is valid until 2026-12-10 23:59 (Europe/Berlin).");
    // Every line printed exactly once.
    const printed = pages.join("\n").match(/^\d+ SKU-\d+ /gm) ?? [];
    expect(printed).toHaveLength(400);
  }, 60_000);

  it("completes 3 renders started together, each with its own document", async () => {
    // Two workers for three jobs: both run, one job waits in the queue.
    const pool = createPdfPool({ size: 2 });
    try {
      const kinds = ["quotation", "invoice", "credit_note"] as const;
      const jobs = kinds.map((k) => pool.render(sampleDocument(k, 10)));
      expect(pool.stats()).toMatchObject({ workers: 2, queued: 3 });
      const firstPages = await Promise.all((await Promise.all(jobs)).map(async (pdf) => (await pdfPages(pdf))[0]!));
      expect(firstPages[0]).toContain("Quotation\nQ-2026-000012");
      expect(firstPages[1]).toContain("Invoice\nINV-2026-000001");
      expect(firstPages[2]).toContain("Credit note\nCN-2026-000001");
      expect(firstPages[2]).toContain("Reference Cancels invoice INV-2026-000001");
      expect(pool.stats()).toMatchObject({ workers: 2, busy: 0, queued: 0 });
      // On a loaded machine the first worker can finish all three jobs while the second still starts
      // (CI saw ready: 1 here): once started, both are ready and idle.
      await pool.warm();
      expect(pool.stats()).toMatchObject({ workers: 2, ready: 2, busy: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  }, 30_000);

  it("rejects invalid data and a malformed model without harming the pool", async () => {
    const d = threeLineInvoice();
    await expect(renderPdf({ ...d, totalMinor: d.totalMinor + 1n })).rejects.toThrow(/subtotal \+ tax ≠ total/);
    const broken = { ...toRenderModel(d), lines: null } as unknown as PdfRenderModel;
    const err = await getPdfPool().renderModel(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PdfRenderError);
    expect((err as PdfRenderError).code).toBe("render_failed");
    const pages = await pdfPages(await renderPdf(d));
    expect(pages[0]).toContain("Total €1,348.61");
  }, 30_000);
});

describe("pool failures", () => {
  it("replaces a worker that dies mid-render and rejects only that job", async () => {
    const pool = createPdfPool({ size: 1, workerFile: path.join(import.meta.dirname, "testing", "crash-worker.mjs") });
    try {
      const d = threeLineInvoice();
      const crash = pool.render({ ...d, number: "CRASH" });
      const next = pool.render(d);
      await expect(crash).rejects.toMatchObject({ code: "worker_crashed" });
      expect((await pdfPages(await next))[0]).toContain("Total €1,348.61");
      expect(pool.stats()).toMatchObject({ workers: 1, ready: 1, busy: 0, queued: 0 });
    } finally {
      await pool.close();
    }
  }, 30_000);

  it("stops a render that runs past the time limit and starts a fresh worker", async () => {
    const pool = createPdfPool({ size: 1, jobTimeoutMs: 300 });
    try {
      await pool.warm();
      await expect(pool.render(sampleDocument("invoice", 400))).rejects.toMatchObject({ code: "timeout" });
      await pool.warm();
      expect(pool.stats()).toMatchObject({ workers: 1, ready: 1 });
    } finally {
      await pool.close();
    }
  }, 30_000);

  it("fails queued jobs, rather than hang, when workers cannot start", async () => {
    const pool = createPdfPool({ size: 1, fontDir: path.join(import.meta.dirname, "no-such-fonts") });
    try {
      const jobs = [pool.render(threeLineInvoice()), pool.render(threeLineInvoice())];
      for (const job of jobs) await expect(job).rejects.toMatchObject({ code: "worker_start_failed" });
      expect(pool.stats().workers).toBe(0);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it("sizes the default pool to leave a core for the server, at most 2 workers", () => {
    expect([1, 2, 3, 4, 16].map((cpus) => defaultPdfPoolSize(cpus))).toEqual([1, 1, 2, 2, 2]);
    expect(() => createPdfPool({ size: 0 })).toThrow(RangeError);
  });
});
