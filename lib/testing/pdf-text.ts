import { PDFParse } from "pdf-parse";

/** The text of a real PDF (parsed with pdf-parse), for tests that check what a document says. */
export async function pdfText(pdf: Buffer | Uint8Array): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}
