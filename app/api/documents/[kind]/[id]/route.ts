// GET /api/documents/{quotations|invoices|credit-notes}/[id]: the document's PDF; owner company or staff, else 404
import { Readable } from "node:stream";
import { logger } from "@/lib/logger";
import { PdfRenderError } from "@/lib/pdf/render";
import { documentPdf, type DocumentKind } from "@/lib/services/documents";
import { getActor } from "@/lib/session";

const kinds: Record<string, DocumentKind> = { quotations: "quotation", invoices: "invoice", "credit-notes": "credit_note" };

export async function GET(_request: Request, { params }: { params: Promise<{ kind: string; id: string }> }) {
  const { kind, id } = await params;
  const actor = await getActor();
  if (!actor) return Response.json({ code: "unauthenticated", error: "Sign in to download documents." }, { status: 401 });
  const documentKind = kinds[kind];
  const requestId = crypto.randomUUID();
  try {
    const doc = documentKind ? await documentPdf(actor, documentKind, id) : null;
    if (!doc) return Response.json({ code: "not_found", error: "Document not found." }, { status: 404 });
    return new Response(Readable.toWeb(Readable.from([doc.pdf])) as ReadableStream, {
      headers: {
        "content-type": "application/pdf",
        "content-length": String(doc.pdf.length),
        "content-disposition": `inline; filename="${doc.filename}"`,
        // Issued documents never change; only the signed-in owner may cache it.
        "cache-control": "private, max-age=3600",
        "x-document-cache": doc.cached ? "hit" : "miss",
      },
    });
  } catch (error) {
    if (error instanceof PdfRenderError && error.code === "queue_full") {
      return Response.json({ code: "busy", error: "Many documents are being prepared right now. Try again in a few seconds." }, { status: 503, headers: { "retry-after": "5" } });
    }
    logger.error("document render failed", { requestId, kind, id, error });
    return Response.json({ code: "internal", error: `The document could not be produced. Reference: ${requestId}` }, { status: 500 });
  }
}
