// GET /api/statements/account?company=<id>: statement of account (open items with ageing) as CSV; a customer gets their own company's, staff with receivables.read any company's
import { stringify } from "csv-stringify/sync";
import { listInvoices } from "@/db/queries/invoices";
import { db } from "@/lib/db";
import { dateIn } from "@/lib/domain/dates";
import { isUuid } from "@/lib/domain/ids";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { ageingBucket, daysPastDue } from "@/lib/domain/receivables";
import { isCustomerRole } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import { getActor } from "@/lib/session";

export async function GET(request: Request) {
  const actor = await getActor();
  if (!actor) return Response.json({ code: "unauthenticated", error: "Sign in first." }, { status: 401 });
  const asked = new URL(request.url).searchParams.get("company");
  // Customers always get their own company (whatever they ask for); staff choose one.
  const companyId = isCustomerRole(actor.role) ? actor.companyId : asked && isUuid(asked) && can(actor.role, "receivables.read") ? asked : null;
  if (!companyId) return Response.json({ code: "not_found", error: "Not found." }, { status: 404 });
  const today = dateIn(env().SELLER_TIME_ZONE, new Date());
  const open = (await listInvoices(db, actor, { companyId })).filter((i) => i.companyId === companyId && i.status !== "cancelled" && i.dueMinor > 0n);
  const money = (minor: bigint, currency: string) => minorToDecimal(minor, minorDigits(currency));
  const csv = stringify([
    ["invoice", "issue_date", "due_date", "currency", "total", "paid", "awaiting_verification", "due", "days_past_due", "ageing", "payment_reference"],
    ...open.map((i) => [
      i.number,
      i.issueDate,
      i.dueDate,
      i.currency,
      money(i.totalMinor, i.currency),
      money(i.paidMinor, i.currency),
      money(i.pendingMinor, i.currency),
      money(i.dueMinor, i.currency),
      String(daysPastDue(i.dueDate, today)),
      ageingBucket(i.dueDate, today),
      i.paymentReference ?? "",
    ]),
  ]);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="statement-of-account-${today}.csv"`,
      "cache-control": "no-store",
    },
  });
}
