import "server-only";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { insertProductsWithInventory, insertProductTiers, productsBySku, replaceProductTiers, tiersOfProducts, updateProductsInBulk } from "@/db/queries/products";
import { DomainError } from "@/lib/domain/errors";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { auditableProduct, productFieldsSchema, tiersForAudit, type ProductFields } from "./products";

export const MAX_IMPORT_BYTES = 15 * 1024 * 1024;
const MAX_REPORTED_ERRORS = 200;

/** CSV header → product field. Export-only columns (stock) are accepted and ignored. */
const headerMap: Record<string, keyof z.input<typeof productFieldsSchema> | "archived" | null> = {
  sku: "sku",
  name: "name",
  description: "description",
  category: "category",
  unit: "unit",
  base_price: "basePrice",
  price: "basePrice",
  tax_rate: "taxRate",
  min_order_quantity: "minOrderQuantity",
  order_multiple: "orderMultiple",
  low_stock_threshold: "lowStockThreshold",
  tiers: "tiers",
  archived: "archived",
  currency: null,
  on_hand: null,
  reserved: null,
  available: null,
};
const requiredHeaders = ["sku", "name", "category", "base_price"];

type ParsedRow = { line: number; fields: ProductFields; archived: boolean | null };
export type ImportSummary = { rows: number; created: number; updated: number; unchanged: number };

function normaliseHeader(h: string): string {
  return h.trim().toLowerCase().replace(/[\s-]+/g, "_");
}

/** Parses and validates the whole file; every problem is reported with its row, nothing is written. */
export function parseProductCsv(text: string): { rows: ParsedRow[] } | { errors: string[] } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: false });
  } catch (error) {
    return { errors: [`The file is not valid CSV: ${(error as Error).message}`] };
  }
  const [header, ...body] = records;
  if (!header) return { errors: ["The file is empty."] };
  const keys = header.map(normaliseHeader);
  const errors: string[] = [];
  const unknown = keys.filter((k) => !(k in headerMap));
  if (unknown.length) errors.push(`Unknown column${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}. Expected: ${Object.keys(headerMap).join(", ")}.`);
  const missing = requiredHeaders.filter((h) => !keys.includes(h) && !(h === "base_price" && keys.includes("price")));
  if (missing.length) errors.push(`Missing column${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}.`);
  if (errors.length) return { errors };
  if (body.length === 0) return { errors: ["The file has a header but no rows."] };

  const rows: ParsedRow[] = [];
  const seen = new Map<string, number>();
  body.forEach((record, index) => {
    const line = index + 2; // 1-based, after the header: the line a spreadsheet shows
    const raw: Record<string, string> = {};
    keys.forEach((k, i) => {
      const field = headerMap[k];
      if (field) raw[field] = record[i] ?? "";
    });
    const problems: string[] = [];
    const parsed = productFieldsSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const column = Object.entries(headerMap).find(([, f]) => f === issue.path[0])?.[0] ?? String(issue.path[0] ?? "row");
        problems.push(`${column}: ${issue.message}`);
      }
    }
    let archived: boolean | null = null;
    if (raw.archived !== undefined && raw.archived.trim() !== "") {
      const v = raw.archived.trim().toLowerCase();
      if (["yes", "true", "1"].includes(v)) archived = true;
      else if (["no", "false", "0"].includes(v)) archived = false;
      else problems.push(`archived: use yes or no (got "${raw.archived}").`);
    }
    const sku = (raw.sku ?? "").trim();
    const earlier = seen.get(sku.toLowerCase());
    if (sku && earlier) problems.push(`sku: ${sku} already appears on row ${earlier}.`);
    if (sku) seen.set(sku.toLowerCase(), earlier ?? line);
    if (problems.length) errors.push(`Row ${line}${sku ? ` (SKU ${sku})` : ""}: ${problems.join("; ")}`);
    else if (parsed.success) rows.push({ line, fields: parsed.data, archived });
  });
  return errors.length ? { errors } : { rows };
}

const comparable = (f: Omit<ProductFields, "tiers" | "currency">) =>
  JSON.stringify([f.sku, f.name, f.description, f.category, f.unit, String(f.basePriceMinor), f.taxRateBp, f.minOrderQuantity, f.orderMultiple, f.lowStockThreshold]);

async function writeImport(ctx: Pick<MutationContext, "tx" | "auditMany">, rows: ParsedRow[]): Promise<ImportSummary> {
  const { tx } = ctx;
  const existing = await productsBySku(tx, rows.map((r) => r.fields.sku));
  const existingTiers = new Map<string, string>();
  for (const [id, list] of await tiersOfProducts(tx, [...existing.values()].map((p) => p.id))) existingTiers.set(id, tiersForAudit(list));

  const summary: ImportSummary = { rows: rows.length, created: 0, updated: 0, unchanged: 0 };
  const now = new Date();
  const toInsert: ParsedRow[] = [];
  const toUpdate: { id: string; row: ParsedRow; before: ReturnType<typeof auditableProduct>; beforeTiers: string }[] = [];
  for (const row of rows) {
    const current = existing.get(row.fields.sku.toLowerCase());
    if (!current) {
      toInsert.push(row);
      continue;
    }
    const archivedChanged = row.archived !== null && row.archived !== (current.archivedAt !== null);
    const tiersChanged = (existingTiers.get(current.id) ?? "") !== tiersForAudit(row.fields.tiers);
    if (!archivedChanged && !tiersChanged && comparable(current) === comparable(row.fields)) summary.unchanged++;
    else toUpdate.push({ id: current.id, row, before: auditableProduct(current), beforeTiers: existingTiers.get(current.id) ?? "" });
  }

  for (let i = 0; i < toInsert.length; i += 500) {
    const chunk = toInsert.slice(i, i + 500);
    const created = await insertProductsWithInventory(
      tx,
      chunk.map(({ fields: { tiers: _t, ...f }, archived }) => ({ ...f, archivedAt: archived ? now : null })),
    );
    const bySku = new Map(chunk.map((r) => [r.fields.sku.toLowerCase(), r]));
    await insertProductTiers(tx, created.flatMap((p) => (bySku.get(p.sku.toLowerCase())?.fields.tiers ?? []).map((t) => ({ productId: p.id, ...t }))));
    await ctx.auditMany(
      created.map((p) => ({ action: "product.create", entityType: "product", entityId: p.id, after: { ...auditableProduct(p), tiers: tiersForAudit(bySku.get(p.sku.toLowerCase())!.fields.tiers) }, reason: "CSV import" })),
    );
    summary.created += created.length;
  }

  for (let i = 0; i < toUpdate.length; i += 500) {
    const chunk = toUpdate.slice(i, i + 500);
    const updatedRows = await updateProductsInBulk(
      tx,
      chunk.map(({ id, row: { fields: f, archived } }) => ({ id, ...f, archived })),
      now,
    );
    await replaceProductTiers(
      tx,
      chunk.map((c) => c.id),
      chunk.flatMap((c) => c.row.fields.tiers.map((t) => ({ productId: c.id, ...t }))),
    );
    const afterById = new Map(updatedRows.map((r) => [r.id, r]));
    await ctx.auditMany(
      chunk.map((c) => {
        const { tiers: _t, currency: _c, ...f } = c.row.fields;
        return {
          action: "product.update",
          entityType: "product",
          entityId: c.id,
          before: { ...c.before, tiers: c.beforeTiers },
          after: { ...c.before, ...f, archivedAt: afterById.get(c.id)?.archivedAt ?? null, tiers: tiersForAudit(c.row.fields.tiers) },
          reason: "CSV import",
        };
      }),
    );
    summary.updated += chunk.length;
  }
  return summary;
}

export const importProducts = defineMutation({
  name: "product.import",
  entityType: "product",
  permission: "products.manage",
  idempotent: true,
  input: z.object({
    csv: z.string({ error: "Choose a CSV file." }).min(1, "Choose a CSV file.").max(MAX_IMPORT_BYTES, "The file is larger than 15 MB."),
  }),
  async run(ctx, input) {
    const parsed = parseProductCsv(input.csv);
    if ("errors" in parsed) {
      const shown = parsed.errors.slice(0, MAX_REPORTED_ERRORS);
      if (parsed.errors.length > shown.length) shown.push(`…and ${parsed.errors.length - shown.length} more problems.`);
      throw new DomainError(
        "validation_failed",
        `${parsed.errors.length} problem${parsed.errors.length === 1 ? "" : "s"} found; nothing was imported. Fix the file and upload it again.`,
        { fieldErrors: { csv: shown } },
      );
    }
    const summary = await writeImport(ctx, parsed.rows);
    await ctx.audit({ action: "product.import", entityType: "product", after: summary });
    return summary;
  },
});
