import { PDFParse } from "pdf-parse";
import { afterAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { closePdfPool, renderPdf } from "./render";
import { sampleDocument } from "./sample-data";

// The quotation and the invoice must tell the customer to quote the same thing when paying: the
// invoice's RF payment reference (the matcher finds payments by it), never the invoice number.

async function pdfText(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).pages.map((p) => p.text).join("\n");
  } finally {
    await parser.destroy();
  }
}

afterAll(async () => {
  await closePdfPool();
});

describe("payment wording", () => {
  it("the default quotation terms ask for the RF payment reference, as the invoice does", async () => {
    const terms = parseEnv({}, () => "secret").QUOTATION_TERMS;
    expect(terms).not.toMatch(/invoice number/i);
    const text = (await pdfText(await renderPdf({ ...sampleDocument("quotation", 2), terms }))).replace(/\s+/g, " ");
    expect(text).toContain("Payment within the agreed terms by bank transfer, quoting the payment reference (RF…) given on the invoice.");
    expect(text).not.toMatch(/invoice number/i);
  }, 30_000);
});
