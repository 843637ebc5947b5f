// What each report shows: title, explanation, table columns and cells, the chart's series and the
// CSV records. Pure (no database, no React): the page and the CSV route take the same view, so the
// export has the table's rows and columns by construction.
import type { ChartCategory, ChartSeries, ValueFormat } from "@/components/charts/chart-math";
import type { PipelineStage, ReportName, ReportResult } from "@/db/queries/analytics/reports";
import type { ConvertedTotal } from "@/db/queries/analytics/converted";
import { convertedTotalText } from "@/components/dashboard/converted-total";
import { formatMoney, minorDigits, minorToDecimal } from "@/lib/domain/money";
import { ageingBuckets } from "@/lib/domain/receivables";

export type ColumnKind = "text" | "money" | "count" | "hours";
export type ReportColumn = { key: string; label: string; kind: ColumnKind; rowHeader?: boolean };
export type Cell = string | bigint | number | null;
export type ReportRow = { key: string; cells: Record<string, Cell> };

export type ChartSpec = {
  title: string;
  kind: "bar" | "line";
  categories: ChartCategory[];
  series: ChartSeries[];
  format: ValueFormat;
  xLabel: string;
  yLabel: string;
};

/**
 * A report's amounts in the seller's base currency (issue 15): per row the money columns converted at
 * the documents' own rates, and per column one total over every currency, with the rates' sources.
 */
export type ConvertedView = {
  currency: string;
  /** The money columns that are converted (by the view's column key). */
  columns: { key: string; label: string }[];
  /** Whether the table shows the converted columns: the shown currency is not the base one. */
  perRow: boolean;
  /** Row key → column key → the converted amount; null when none of the cell's documents kept a rate. */
  cells: Record<string, Record<string, bigint | null>>;
  /** Row key → the row's documents without a rate (not in its converted amounts). */
  missing: Record<string, number>;
  /** One line per converted column whose documents are in more than the base currency. */
  totals: { key: string; text: string; total: ConvertedTotal }[];
  sources: string[];
};

export type ReportView = {
  columns: ReportColumn[];
  rows: ReportRow[];
  chart: ChartSpec;
  converted: ConvertedView | null;
};

export type ReportMeta = {
  title: string;
  /** One line for the index and the page header. */
  summary: string;
  /** What appears here and why it is empty now (the empty state). */
  empty: string;
  /** Whether the report has amounts (and so a currency picker). */
  amounts: boolean;
};

export const reportMeta: Record<ReportName, ReportMeta> = {
  "revenue-by-month": {
    title: "Revenue by month",
    summary:
      "Booked (orders accepted and still standing, at their total), invoiced (invoices less credit notes, by issue date) and collected (verified payments, by the date paid) per month. A refunded payment leaves the month it was paid in.",
    empty: "Each month's booked, invoiced and collected amounts appear here once an order is accepted, an invoice issued or a payment verified in the chosen dates.",
    amounts: true,
  },
  "revenue-by-customer": {
    title: "Revenue by customer",
    summary: "Booked, invoiced (less credit notes) and collected per customer company in the chosen dates, largest invoiced first.",
    empty: "Customers appear here once an order of theirs is accepted, invoiced or paid in the chosen dates.",
    amounts: true,
  },
  "revenue-by-product": {
    title: "Revenue by product",
    summary: "Invoiced per product from the invoice lines (incl. tax); a credit note subtracts its invoice's lines. Largest first.",
    empty: "Products appear here once an invoice with their lines is issued in the chosen dates.",
    amounts: true,
  },
  "revenue-by-category": {
    title: "Revenue by category",
    summary: "Invoiced per product category from the invoice lines (incl. tax); a credit note subtracts its invoice's lines. Largest first.",
    empty: "Categories appear here once an invoice is issued in the chosen dates.",
    amounts: true,
  },
  "sales-pipeline": {
    title: "Sales pipeline",
    summary: "Orders submitted in the chosen dates by the stage they are in now, with their value (the latest quotation's total).",
    empty: "Stages fill once a customer submits an order for a quotation in the chosen dates.",
    amounts: true,
  },
  "receivables-ageing": {
    title: "Receivables ageing over time",
    summary: "What customers owed at each month end (or the last day of the range, never after today), by days past the due date. Only verified payments reduce a balance.",
    empty: "Balances appear here once an invoice was open (issued, not yet paid or credited) at a month end in the chosen dates.",
    amounts: true,
  },
  "approval-cycle-times": {
    title: "Approval cycle times",
    summary:
      "For orders finally approved in each month: hours each approval stage took (median and 90th percentile) and the total from submission to final approval. The customer stage starts at acceptance, sales at the customer's decision (or acceptance), finance at the sales decision.",
    empty: "Cycle times appear here once an order is finally approved in the chosen dates.",
    amounts: false,
  },
};

const monthLong = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
const monthShort = new Intl.DateTimeFormat("en-GB", { month: "short", year: "2-digit", timeZone: "UTC" });
const dayLong = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "2026-03" → "Mar 2026" (long) or "Mar 26" (short). */
export function monthLabel(month: string, short = false): string {
  return (short ? monthShort : monthLong).format(new Date(`${month}-01T00:00:00Z`));
}

/** "2026-03-31" → "31 Mar 2026". */
export function dayLabel(date: string): string {
  return dayLong.format(new Date(`${date}T00:00:00Z`));
}

export const pipelineLabels: Record<PipelineStage, { long: string; short: string }> = {
  quoted: { long: "Quoted", short: "Quoted" },
  awaiting_customer_approval: { long: "Awaiting customer approval", short: "Cust. appr." },
  awaiting_seller_approval: { long: "Awaiting seller approval", short: "Seller appr." },
  approved: { long: "Approved, not shipped", short: "Approved" },
  shipped: { long: "Shipped", short: "Shipped" },
  delivered: { long: "Delivered", short: "Delivered" },
  completed: { long: "Completed (paid)", short: "Completed" },
  declined: { long: "Declined by customer", short: "Declined" },
  expired: { long: "Quotation expired", short: "Expired" },
  rejected: { long: "Rejected in approval", short: "Rejected" },
  cancelled: { long: "Cancelled", short: "Cancelled" },
};

export const bucketLabels: Record<(typeof ageingBuckets)[number], string> = {
  current: "Not yet due",
  "1-30": "1–30 days",
  "31-60": "31–60 days",
  "61-90": "61–90 days",
  "90+": "Over 90 days",
};

const stageLabels = { customer: "Customer", sales: "Sales", finance: "Finance", total: "Total" } as const;

const CHART_TOP = 10;
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The money columns each report converts, with the label its total is named by. */
const convertedColumns: Record<ReportName, { key: string; label: string }[]> = {
  "revenue-by-month": [
    { key: "booked", label: "Booked" },
    { key: "invoiced", label: "Invoiced" },
    { key: "collected", label: "Collected" },
  ],
  "revenue-by-customer": [
    { key: "booked", label: "Booked" },
    { key: "invoiced", label: "Invoiced" },
    { key: "collected", label: "Collected" },
  ],
  "revenue-by-product": [{ key: "invoiced", label: "Invoiced" }],
  "revenue-by-category": [{ key: "invoiced", label: "Invoiced" }],
  "sales-pipeline": [{ key: "value", label: "Value" }],
  "receivables-ageing": [{ key: "total", label: "Outstanding" }],
  "approval-cycle-times": [],
};

/** The converted part of a view: its rows' keys, the result's conversion. */
function convertedView(result: ReportResult, rowKeys: string[]): ConvertedView | null {
  const conversion = "converted" in result ? result.converted : null;
  if (!conversion) return null;
  const columns = convertedColumns[result.name];
  const cells: ConvertedView["cells"] = {};
  const missing: ConvertedView["missing"] = {};
  for (const key of rowKeys) {
    const row = conversion.rows[key] ?? {};
    cells[key] = Object.fromEntries(columns.map((c) => {
      const cell = row[c.key];
      return [c.key, !cell ? 0n : cell.documents === 0 && cell.notConverted > 0 ? null : cell.minor];
    }));
    missing[key] = columns.reduce((n, c) => n + (row[c.key]?.notConverted ?? 0), 0);
  }
  const last = result.name === "receivables-ageing" ? result.rows[result.rows.length - 1]?.asOf : undefined;
  const totals = columns.flatMap((c) => {
    const total = conversion.totals[c.key];
    const text = total ? convertedTotalText(total) : null;
    if (!total || !text) return [];
    const label = last ? `${c.label} on ${dayLabel(last)}` : c.label;
    return [{ key: c.key, text: `${label}, all currencies: ${text}`, total }];
  });
  return { currency: conversion.currency, columns, perRow: result.currency !== null && result.currency !== conversion.currency, cells, missing, totals, sources: conversion.sources };
}

/** The view of a report's result (currency: the one shown; `result.currency`). */
export function reportView(result: ReportResult): ReportView {
  const view = reportTable(result);
  return { ...view, converted: convertedView(result, view.rows.map((r) => r.key)) };
}

function reportTable(result: ReportResult): Omit<ReportView, "converted"> {
  const money: ValueFormat = { kind: "money", currency: result.currency ?? "EUR" };
  const currency = result.currency ?? "";
  switch (result.name) {
    case "revenue-by-month": {
      const figures = [
        { key: "booked", label: "Booked", pick: (r: (typeof result.rows)[number]) => r.bookedMinor },
        { key: "invoiced", label: "Invoiced", pick: (r: (typeof result.rows)[number]) => r.invoicedMinor },
        { key: "collected", label: "Collected", pick: (r: (typeof result.rows)[number]) => r.collectedMinor },
      ];
      return {
        columns: [{ key: "month", label: "Month", kind: "text", rowHeader: true }, ...figures.map((f) => ({ key: f.key, label: f.label, kind: "money" as const }))],
        rows: result.rows.map((r) => ({ key: r.month, cells: { month: monthLabel(r.month), booked: r.bookedMinor, invoiced: r.invoicedMinor, collected: r.collectedMinor } })),
        chart: {
          title: `Booked, invoiced and collected per month (${currency})`,
          kind: "bar",
          categories: result.rows.map((r) => ({ key: r.month, label: monthLabel(r.month), shortLabel: monthLabel(r.month, true) })),
          series: figures.map((f) => ({ key: f.key, label: f.label, values: result.rows.map(f.pick) })),
          format: money,
          xLabel: "Month",
          yLabel: `Amount (${currency})`,
        },
      };
    }
    case "revenue-by-customer": {
      const top = result.rows.slice(0, CHART_TOP);
      return {
        columns: [
          { key: "company", label: "Customer", kind: "text", rowHeader: true },
          { key: "booked", label: "Booked", kind: "money" },
          { key: "invoiced", label: "Invoiced", kind: "money" },
          { key: "collected", label: "Collected", kind: "money" },
        ],
        rows: result.rows.map((r) => ({ key: r.companyId, cells: { company: r.companyName, booked: r.bookedMinor, invoiced: r.invoicedMinor, collected: r.collectedMinor } })),
        chart: {
          title: `Invoiced by customer, top ${Math.min(CHART_TOP, result.rows.length)} (${currency})`,
          kind: "bar",
          categories: top.map((r) => ({ key: r.companyId, label: clip(r.companyName, 12), shortLabel: clip(r.companyName, 7) })),
          series: [{ key: "invoiced", label: "Invoiced", values: top.map((r) => r.invoicedMinor) }],
          format: money,
          xLabel: "Customer",
          yLabel: `Invoiced (${currency})`,
        },
      };
    }
    case "revenue-by-product": {
      const top = result.rows.slice(0, CHART_TOP);
      return {
        columns: [
          { key: "sku", label: "SKU", kind: "text", rowHeader: true },
          { key: "product", label: "Product", kind: "text" },
          { key: "category", label: "Category", kind: "text" },
          { key: "quantity", label: "Quantity", kind: "count" },
          { key: "invoiced", label: "Invoiced", kind: "money" },
        ],
        rows: result.rows.map((r) => ({ key: r.productId, cells: { sku: r.sku, product: r.name, category: r.category, quantity: r.quantity, invoiced: r.invoicedMinor } })),
        chart: {
          title: `Invoiced by product, top ${Math.min(CHART_TOP, result.rows.length)} (${currency})`,
          kind: "bar",
          categories: top.map((r) => ({ key: r.productId, label: clip(r.sku, 12), shortLabel: clip(r.sku, 7) })),
          series: [{ key: "invoiced", label: "Invoiced", values: top.map((r) => r.invoicedMinor) }],
          format: money,
          xLabel: "Product (SKU)",
          yLabel: `Invoiced (${currency})`,
        },
      };
    }
    case "revenue-by-category": {
      const top = result.rows.slice(0, CHART_TOP);
      return {
        columns: [
          { key: "category", label: "Category", kind: "text", rowHeader: true },
          { key: "quantity", label: "Quantity", kind: "count" },
          { key: "invoiced", label: "Invoiced", kind: "money" },
        ],
        rows: result.rows.map((r) => ({ key: r.category, cells: { category: r.category, quantity: r.quantity, invoiced: r.invoicedMinor } })),
        chart: {
          title: `Invoiced by category (${currency})`,
          kind: "bar",
          categories: top.map((r) => ({ key: r.category, label: clip(r.category, 12), shortLabel: clip(r.category, 7) })),
          series: [{ key: "invoiced", label: "Invoiced", values: top.map((r) => r.invoicedMinor) }],
          format: money,
          xLabel: "Category",
          yLabel: `Invoiced (${currency})`,
        },
      };
    }
    case "sales-pipeline":
      return {
        columns: [
          { key: "stage", label: "Stage", kind: "text", rowHeader: true },
          { key: "orders", label: "Orders", kind: "count" },
          { key: "value", label: "Value", kind: "money" },
        ],
        rows: result.rows.map((r) => ({ key: r.stage, cells: { stage: pipelineLabels[r.stage].long, orders: r.orders, value: r.valueMinor } })),
        chart: {
          title: `Orders by stage (${currency})`,
          kind: "bar",
          categories: result.rows.map((r) => ({ key: r.stage, label: pipelineLabels[r.stage].short, shortLabel: pipelineLabels[r.stage].short.slice(0, 4) })),
          series: [{ key: "orders", label: "Orders", values: result.rows.map((r) => r.orders) }],
          format: { kind: "count" },
          xLabel: "Stage",
          yLabel: "Orders",
        },
      };
    case "receivables-ageing":
      return {
        columns: [
          { key: "as_of", label: "As of", kind: "text", rowHeader: true },
          ...ageingBuckets.map((b) => ({ key: b, label: bucketLabels[b], kind: "money" as const })),
          { key: "total", label: "Total", kind: "money" },
        ],
        rows: result.rows.map((r) => ({ key: r.asOf, cells: { as_of: dayLabel(r.asOf), ...r.buckets, total: r.totalMinor } })),
        chart: {
          title: `Outstanding by days past due, at each month end (${currency})`,
          kind: "line",
          categories: result.rows.map((r) => ({ key: r.asOf, label: monthLabel(r.asOf.slice(0, 7)), shortLabel: monthLabel(r.asOf.slice(0, 7), true) })),
          series: ageingBuckets.map((b) => ({ key: b, label: bucketLabels[b], values: result.rows.map((r) => r.buckets[b]) })),
          format: money,
          xLabel: "Month end",
          yLabel: `Outstanding (${currency})`,
        },
      };
    case "approval-cycle-times": {
      const months = [...new Set(result.rows.map((r) => r.month))];
      const stages = (["customer", "sales", "finance", "total"] as const).filter((s) => result.rows.some((r) => r.stage === s));
      return {
        columns: [
          { key: "month", label: "Month approved", kind: "text", rowHeader: true },
          { key: "stage", label: "Stage", kind: "text" },
          { key: "orders", label: "Orders", kind: "count" },
          { key: "median", label: "Median (hours)", kind: "hours" },
          { key: "p90", label: "90th percentile (hours)", kind: "hours" },
        ],
        rows: result.rows.map((r) => ({ key: `${r.month}:${r.stage}`, cells: { month: monthLabel(r.month), stage: stageLabels[r.stage], orders: r.orders, median: r.medianHours, p90: r.p90Hours } })),
        chart: {
          title: "Median hours per approval stage, by month of final approval",
          kind: "line",
          categories: months.map((m) => ({ key: m, label: monthLabel(m), shortLabel: monthLabel(m, true) })),
          series: stages.map((s) => ({
            key: s,
            label: stageLabels[s],
            values: months.map((m) => result.rows.find((r) => r.month === m && r.stage === s)?.medianHours ?? null),
          })),
          format: { kind: "hours" },
          xLabel: "Month of final approval",
          yLabel: "Median hours",
        },
      };
    }
  }
}

/** A cell as people read it. */
export function formatCell(cell: Cell, kind: ColumnKind, currency: string | null): string {
  if (cell === null) return "–";
  if (kind === "money" && typeof cell === "bigint" && currency) return formatMoney(cell, currency);
  if (kind === "hours") return Number(cell).toFixed(1);
  if (kind === "count") return new Intl.NumberFormat("en-GB").format(Number(cell));
  return String(cell);
}

/** A cell in the CSV: amounts as plain decimals of the currency, hours with two decimals. */
export function csvCell(cell: Cell, kind: ColumnKind, currency: string | null): string {
  if (cell === null) return "";
  if (kind === "money" && typeof cell === "bigint" && currency) return minorToDecimal(cell, minorDigits(currency));
  if (kind === "hours") return Number(cell).toFixed(2);
  return String(cell);
}

/** The rates' sources as a sentence: "Rates: ECB." (empty when nothing was converted at a rate). */
export function ratesSentence(converted: ConvertedView): string {
  return converted.sources.length ? `Exchange rates from ${converted.sources.join(", ")}, as each document kept them.` : "";
}

/**
 * The CSV of a view: a key column first (the row's machine key: month, company id, SKU's product
 * id…), the table's columns, and the currency of the amounts when the report has any; then, when the
 * view is converted, the converted currency, each converted column (`<column>_converted`, empty when
 * none of the cell's documents kept a rate) and the row's documents without a rate.
 */
export function csvHeader(view: ReportView, amounts: boolean): string[] {
  const converted = view.converted ? ["converted_currency", ...view.converted.columns.map((c) => `${c.key}_converted`), "documents_without_rate"] : [];
  return ["key", ...view.columns.map((c) => c.key), ...(amounts ? ["currency"] : []), ...converted];
}

export function csvRecords(view: ReportView, currency: string | null, amounts: boolean): string[][] {
  const c = view.converted;
  return view.rows.map((r) => [
    r.key,
    ...view.columns.map((col) => csvCell(r.cells[col.key] ?? null, col.kind, currency)),
    ...(amounts ? [currency ?? ""] : []),
    ...(c ? [c.currency, ...c.columns.map((col) => csvCell(c.cells[r.key]?.[col.key] ?? null, "money", c.currency)), String(c.missing[r.key] ?? 0)] : []),
  ]);
}
