// GET /api/documents/{quotations|invoices|credit-notes}/[id]: the document's PDF; owner company or staff, else 404
import { Readable } from "node:stream";
import { apiError, withGet } from "@/lib/api";
import { PdfRenderError } from "@/lib/pdf/render";
import { documentPdf, type DocumentKind } from "@/lib/services/documents";

const kinds: Record<string, DocumentKind> = { quotations: "quotation", invoices: "invoice", "credit-notes": "credit_note" };

export async function GET(request: Request, { params }: { params: Promise<{ kind: string; id: string }> }) {
  return withGet(request, { customerOrPermission: "orders.read_all" }, async ({ actor }) => {
    const { kind, id } = await params;
    const documentKind = kinds[kind];
    try {
      // Another company's document is indistinguishable from none.
      const doc = documentKind ? await documentPdf(actor, documentKind, id) : null;
      if (!doc) return null;
      return new Response(Readable.toWeb(Readable.from([doc.pdf])) as ReadableStream, {
        headers: {
          "content-type": "application/pdf",
          "content-length": String(doc.pdf.length),
          "content-disposition": `inline; filename="${doc.filename}"`,
          "x-document-cache": doc.cached ? "hit" : "miss",
        },
      });
    } catch (error) {
      if (error instanceof PdfRenderError && error.code === "queue_full") {
        return apiError("busy", "Many documents are being prepared right now. Try again in a few seconds.", 503, { "retry-after": "5" });
      }
      throw error;
    }
  });
}
