// GET /api/statements/account?company=<id>&format=csv|pdf: statement of account (open items with ageing), CSV by default or PDF; a customer gets their own company's, staff with receivables.read any company's
import { Readable } from "node:stream";
import { db } from "@/db/client";
import { withGet } from "@/lib/api";
import { apiError } from "@/lib/http/json";
import { statementCsv, statementOfAccount, statementPdf } from "@/lib/services/statements";

export async function GET(request: Request) {
  return withGet(request, { customerOrPermission: "receivables.read" }, async ({ actor, url }) => {
    const format = url.searchParams.get("format") ?? "csv";
    if (format !== "csv" && format !== "pdf") return apiError("invalid_format", "The format must be csv or pdf.", 400);
    // A customer gets their own company (asking for another one is a 404); staff name an existing one.
    const statement = await statementOfAccount(db, actor, url.searchParams.get("company") || null);
    if (!statement) return null;

    if (format === "pdf") {
      // Rendered in the worker pool from live data on every request, never stored (see statementPdf).
      const { filename, pdf } = await statementPdf(statement);
      return new Response(Readable.toWeb(Readable.from([pdf])) as ReadableStream, {
        headers: { "content-type": "application/pdf", "content-length": String(pdf.length), "content-disposition": `attachment; filename="${filename}"` },
      });
    }
    const { filename, csv } = statementCsv(statement);
    return new Response(csv, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"` } });
  });
}
