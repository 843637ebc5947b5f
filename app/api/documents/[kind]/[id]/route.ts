// GET /api/documents/{quotations|invoices|credit-notes|delivery-notes}/[id]: the document's PDF; owner company or staff, else 404
import { Readable } from "node:stream";
import { withGet } from "@/lib/api";
import { deliveryNotePdf } from "@/lib/services/delivery-notes";
import { documentPdf, type DocumentKind } from "@/lib/services/documents";

const kinds: Record<string, DocumentKind> = { quotations: "quotation", invoices: "invoice", "credit-notes": "credit_note" };

export async function GET(request: Request, { params }: { params: Promise<{ kind: string; id: string }> }) {
  return withGet(request, { customerOrPermission: "orders.read_all" }, async ({ actor }) => {
    const { kind, id } = await params;
    const documentKind = kinds[kind];
    // Another company's document is indistinguishable from none.
    const doc = kind === "delivery-notes" ? await deliveryNotePdf(actor, id) : documentKind ? await documentPdf(actor, documentKind, id) : null;
    if (!doc) return null;
    return new Response(Readable.toWeb(Readable.from([doc.pdf])) as ReadableStream, {
      headers: {
        "content-type": "application/pdf",
        "content-length": String(doc.pdf.length),
        "content-disposition": `inline; filename="${doc.filename}"`,
        "x-document-cache": doc.cached ? "hit" : "miss",
      },
    });
  });
}
