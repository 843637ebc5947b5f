// Document totals. Tax is computed per line and rounded half-up (away from zero) to the minor
// unit; the document total is the sum of the lines. The method is stored on each document.

export const ROUNDING_METHOD = "line_half_up" as const;

/** a / b rounded half away from zero, exactly, for any size (b > 0). */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError("divisor must be positive");
  const negative = a < 0n;
  const abs = negative ? -a : a;
  const q = (abs * 2n + b) / (2n * b);
  return negative ? -q : q;
}

export type LineInput = { quantity: number; unitPriceMinor: bigint; taxRateBp: number; discountBp?: number };
export type LineAmounts = { grossMinor: bigint; discountMinor: bigint; netMinor: bigint; taxMinor: bigint; totalMinor: bigint };

export function lineAmounts(line: LineInput): LineAmounts {
  if (!Number.isInteger(line.quantity) || line.quantity < 0) throw new RangeError("quantity must be a non-negative integer");
  const grossMinor = BigInt(line.quantity) * line.unitPriceMinor;
  const discountMinor = divRoundHalfUp(grossMinor * BigInt(line.discountBp ?? 0), 10_000n);
  const netMinor = grossMinor - discountMinor;
  const taxMinor = divRoundHalfUp(netMinor * BigInt(line.taxRateBp), 10_000n);
  return { grossMinor, discountMinor, netMinor, taxMinor, totalMinor: netMinor + taxMinor };
}

export type DocumentTotals = {
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  /** Tax per rate, ascending by rate: what the document prints as "VAT 19%: …". */
  taxByRate: { taxRateBp: number; netMinor: bigint; taxMinor: bigint }[];
};

export function documentTotals(lines: readonly (LineAmounts & { taxRateBp: number })[]): DocumentTotals {
  const byRate = new Map<number, { netMinor: bigint; taxMinor: bigint }>();
  let subtotalMinor = 0n;
  let taxMinor = 0n;
  for (const l of lines) {
    subtotalMinor += l.netMinor;
    taxMinor += l.taxMinor;
    const r = byRate.get(l.taxRateBp) ?? { netMinor: 0n, taxMinor: 0n };
    byRate.set(l.taxRateBp, { netMinor: r.netMinor + l.netMinor, taxMinor: r.taxMinor + l.taxMinor });
  }
  return {
    subtotalMinor,
    taxMinor,
    totalMinor: subtotalMinor + taxMinor,
    taxByRate: [...byRate.entries()].sort(([a], [b]) => a - b).map(([taxRateBp, v]) => ({ taxRateBp, ...v })),
  };
}
