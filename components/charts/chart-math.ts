// Pure helpers of the charts: value formats and the y-axis domain. No React, so they are unit-tested.
import { minorDigits, minorToDecimal } from "@/lib/domain/money";

/**
 * How a chart's values are read and written. Serialisable on purpose (a string union, not a
 * function), so a client component can pass it too.
 * - money: values are bigint minor units of `currency`;
 * - count: whole numbers (orders);
 * - hours, days: durations (may be fractional).
 */
export type ValueFormat = { kind: "money"; currency: string } | { kind: "count" } | { kind: "hours" } | { kind: "days" };

export type ChartValue = bigint | number | null;
export type ChartCategory = { key: string; label: string; shortLabel?: string };
export type ChartSeries = { key: string; label: string; values: readonly ChartValue[] };

/** The value as a plotted number: money in major units (a float is fine for a pixel position, never for a total). */
export function plotNumber(value: ChartValue, format: ValueFormat): number | null {
  if (value === null) return null;
  if (format.kind === "money") {
    const minor = typeof value === "bigint" ? value : BigInt(Math.round(value));
    return Number(minorToDecimal(minor, minorDigits(format.currency)));
  }
  return Number(value);
}

const compactFormats = new Map<string, Intl.NumberFormat>();
function compactFormat(key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = compactFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat("en-GB", options);
    compactFormats.set(key, f);
  }
  return f;
}

/** A short tick label ("€12K", "1.2M", "3.5 d"): the table holds the exact figures. */
export function tickLabel(value: number, format: ValueFormat): string {
  if (format.kind === "money") {
    return compactFormat(`money|${format.currency}`, { style: "currency", currency: format.currency, notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 }).format(value);
  }
  if (format.kind === "days") return `${compactFormat("duration", { maximumFractionDigits: 1 }).format(value)} d`;
  if (format.kind === "hours") return `${compactFormat("duration", { maximumFractionDigits: 1 }).format(value)} h`;
  return compactFormat("count", { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

/**
 * The y domain: always includes 0 (bars grow from the axis; a net invoiced month can be negative),
 * padded by 5 % so the tallest bar does not touch the frame. [0, 1] when every value is 0 or missing.
 */
export function yDomain(values: readonly (number | null)[]): [number, number] {
  let min = 0;
  let max = 0;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === 0 && max === 0) return [0, 1];
  const pad = (max - min) * 0.05;
  return [min < 0 ? min - pad : 0, max > 0 ? max + pad : 0];
}

/** Whether a chart has something to show: at least one value that is neither missing nor zero. */
export function hasData(series: readonly { values: readonly ChartValue[] }[]): boolean {
  return series.some((s) => s.values.some((v) => v !== null && v !== 0 && v !== 0n));
}

/**
 * Which category labels to print on a narrow axis: every `step`-th, starting with the first, so at
 * most `maxLabels` appear (the table below names every one).
 */
export function labelStep(count: number, maxLabels: number): number {
  if (count <= maxLabels || maxLabels <= 0) return 1;
  return Math.ceil(count / maxLabels);
}
