// GET /api/statements/account?company=<id>&format=csv|pdf: statement of account (open items with ageing), CSV by default or PDF; a customer gets their own company's, staff with receivables.read any company's
import { Readable } from "node:stream";
import { db } from "@/db/client";
import { logger } from "@/lib/logger";
import { PdfRenderError } from "@/lib/pdf/render";
import { statementCsv, statementOfAccount, statementPdf } from "@/lib/services/statements";
import { getActor } from "@/lib/session";

// A statement changes with every payment: never cached, by the browser or anyone in between.
const noStore = { "cache-control": "no-store" };

export async function GET(request: Request) {
  const actor = await getActor();
  if (!actor) return Response.json({ code: "unauthenticated", error: "Sign in first." }, { status: 401, headers: noStore });
  const params = new URL(request.url).searchParams;
  const format = params.get("format") ?? "csv";
  if (format !== "csv" && format !== "pdf") return Response.json({ code: "invalid_format", error: "The format must be csv or pdf." }, { status: 400, headers: noStore });
  const requestId = crypto.randomUUID();
  try {
    // A customer gets their own company (asking for another one is a 404); staff name an existing one.
    const statement = await statementOfAccount(db, actor, params.get("company") || null);
    if (!statement) return Response.json({ code: "not_found", error: "Not found." }, { status: 404, headers: noStore });

    if (format === "pdf") {
      // Rendered in the worker pool from live data on every request, never stored (see statementPdf).
      const { filename, pdf } = await statementPdf(statement);
      return new Response(Readable.toWeb(Readable.from([pdf])) as ReadableStream, {
        headers: {
          "content-type": "application/pdf",
          "content-length": String(pdf.length),
          "content-disposition": `attachment; filename="${filename}"`,
          ...noStore,
        },
      });
    }
    const { filename, csv } = statementCsv(statement);
    return new Response(csv, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, ...noStore },
    });
  } catch (error) {
    if (error instanceof PdfRenderError && error.code === "queue_full") {
      return Response.json({ code: "busy", error: "Many documents are being prepared right now. Try again in a few seconds." }, { status: 503, headers: { "retry-after": "5", ...noStore } });
    }
    logger.error("statement of account failed", { requestId, format, error });
    return Response.json({ code: "internal", error: `The statement could not be produced. Reference: ${requestId}` }, { status: 500, headers: noStore });
  }
}
