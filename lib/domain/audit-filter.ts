import { z } from "zod";
import { addDays, isCalendarDate, zonedTimeToUtc } from "./dates";
import { isUuid } from "./ids";

// The audit viewer's filters, read from GET query parameters (shareable URLs) by the page and by
// the CSV export alike, so both show exactly the same events.

/** Every entity_type the services write (`rg "entityType:" lib/services`), with the viewer's label. */
export const auditEntityTypes = [
  { value: "order", label: "Order" },
  { value: "quotation", label: "Quotation" },
  { value: "invoice", label: "Invoice" },
  { value: "credit_note", label: "Credit note" },
  { value: "payment", label: "Payment" },
  { value: "bank_statement", label: "Bank statement" },
  { value: "bank_statement_line", label: "Bank statement line" },
  { value: "bank_mapping", label: "Bank column mapping" },
  { value: "bank_account", label: "Bank account" },
  { value: "product", label: "Product" },
  { value: "price_list", label: "Price list" },
  { value: "user", label: "User" },
  { value: "company", label: "Company" },
] as const;

export type AuditEntityType = (typeof auditEntityTypes)[number]["value"];

const entityTypeValues = auditEntityTypes.map((t) => t.value) as [AuditEntityType, ...AuditEntityType[]];

export function entityTypeLabel(type: string): string {
  return auditEntityTypes.find((t) => t.value === type)?.label ?? type;
}

/** The staff page an entity's reference links to; `linkId` is what the reference lookup returned. */
export function entityHref(type: string, linkId: string): string | null {
  switch (type) {
    case "order":
    case "quotation":
    case "invoice":
    case "credit_note":
      // Quotations, invoices and credit notes are shown on their order's page.
      return `/admin/orders/${linkId}`;
    case "payment":
      return "/admin/payments";
    case "bank_statement":
    case "bank_statement_line":
      return "/admin/payments/reconciliation";
    case "product":
      return `/admin/products/${linkId}`;
    case "price_list":
      return `/admin/price-lists/${linkId}`;
    case "user":
      return `/admin/users/${linkId}`;
    case "company":
      return `/admin/customers/${linkId}`;
    default:
      return null;
  }
}

/** Page size of the viewer. */
export const AUDIT_PAGE_SIZE = 50;

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);
const trimmed = (v: unknown) => {
  const s = first(v);
  if (typeof s !== "string") return undefined;
  const t = s.trim();
  return t === "" ? undefined : t;
};
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(trimmed, schema.optional());
const cursor = opt(z.string().regex(/^[1-9]\d{0,17}$/, "Use the Older / Newer links; this page cursor is not valid.").transform((s) => BigInt(s)));
const date = opt(z.string().refine(isCalendarDate, "Enter a real date (yyyy-mm-dd)."));

const querySchema = z
  .object({
    // An email (exact, else the users whose email contains it), or "system" / "anonymous".
    actor: opt(z.string().max(254, "Use at most 254 characters.").regex(/^[^\u0000-\u001F\u007F]*$/, "Remove control characters.")),
    from: date,
    to: date,
    action: opt(z.string().max(100, "Use at most 100 characters.").regex(/^[a-z_.]+$/, "An action is lower-case letters, dots and underscores, e.g. order.approve.")),
    outcome: opt(z.enum(["success", "denied"], "Choose success or denied.")),
    entityType: opt(z.enum(entityTypeValues, "Choose one of the listed entity types.")),
    entityId: opt(z.string().refine(isUuid, "Not a valid entity id.")),
    before: cursor,
    after: cursor,
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The end date is before the start date." });
    if (q.entityId && !q.entityType) ctx.addIssue({ code: "custom", path: ["entityType"], message: "An entity id needs its entity type." });
    if (q.before !== undefined && q.after !== undefined) ctx.addIssue({ code: "custom", path: ["after"], message: "Use either an older or a newer page cursor, not both." });
  });

export type AuditQuery = z.infer<typeof querySchema>;

const fieldNames: Record<string, string> = {
  actor: "Actor",
  from: "From",
  to: "To",
  action: "Action",
  outcome: "Outcome",
  entityType: "Entity type",
  entityId: "Entity",
  before: "Page",
  after: "Page",
};

export type AuditQueryProblem = { field: string; label: string; message: string };

/** Reads the query parameters; unknown parameters are ignored, bad values named one by one. */
export function parseAuditQuery(params: Record<string, unknown>): { ok: true; query: AuditQuery } | { ok: false; problems: AuditQueryProblem[] } {
  const parsed = querySchema.safeParse(params);
  if (parsed.success) return { ok: true, query: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? "");
      return { field, label: fieldNames[field] ?? field, message: i.message };
    }),
  };
}

/** The parameters that select events (no cursor): the filter a History link, an export or "Newest" keeps. */
export function filterParams(q: AuditQuery): Record<string, string | undefined> {
  return { actor: q.actor, from: q.from, to: q.to, action: q.action, outcome: q.outcome, entityType: q.entityType, entityId: q.entityId };
}

/**
 * The date range as instants: `from` is the start of that day in the viewer's zone, `to` includes
 * its whole day (the range ends at the start of the next day).
 */
export function rangeInstants(q: Pick<AuditQuery, "from" | "to">, timeZone: string): { since?: Date; until?: Date } {
  const midnight = { hour: 0, minute: 0, second: 0 };
  return {
    since: q.from ? zonedTimeToUtc(q.from, midnight, timeZone) : undefined,
    until: q.to ? zonedTimeToUtc(addDays(q.to, 1), midnight, timeZone) : undefined,
  };
}
