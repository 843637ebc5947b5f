import { minorDigits, minorToDecimal, parseMoneyInput } from "./money";
import type { Tier } from "./pricing";

export type Availability = { status: "in_stock" | "low" | "out"; available: number; label: string };

/** What a customer is told about stock: the number, and whether it is plenty, low or none. */
export function availability(onHand: number, reserved: number, lowStockThreshold: number): Availability {
  const available = Math.max(0, onHand - reserved);
  if (available === 0) return { status: "out", available, label: "Out of stock" };
  if (available < lowStockThreshold) return { status: "low", available, label: `Low stock: ${available} left` };
  return { status: "in_stock", available, label: `In stock: ${available}` };
}

/** Why a quantity cannot be ordered (minimum, pack multiple), or null. */
export function quantityProblem(quantity: number, rules: { minOrderQuantity: number; orderMultiple: number; unit?: string }): string | null {
  const unit = rules.unit ?? "units";
  if (!Number.isInteger(quantity) || quantity < 1) return "Enter a whole quantity of at least 1.";
  if (quantity < rules.minOrderQuantity) return `The minimum order is ${rules.minOrderQuantity} ${unit}.`;
  if (quantity % rules.orderMultiple !== 0) {
    const lower = Math.floor(quantity / rules.orderMultiple) * rules.orderMultiple;
    const upper = lower + rules.orderMultiple;
    const options = lower >= rules.minOrderQuantity && lower > 0 ? `${lower} or ${upper}` : `${upper}`;
    return `This product comes in packs of ${rules.orderMultiple}: order ${options}.`;
  }
  return null;
}

/**
 * Tier tables are typed as lines "min quantity: unit price" (also "," or ";" separated),
 * e.g. "10: 9.50\n50: 9.00". Returns the tiers or the first problem with the line that has it.
 */
export function parseTierText(text: string, currency: string): { tiers: Tier[] } | { error: string } {
  const tiers: Tier[] = [];
  const digits = minorDigits(currency);
  const lines = text.split(/[\n;]+/).map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    const m = /^(\d+)\s*\+?\s*[:=,]\s*(.+)$/.exec(line);
    const price = m ? parseMoneyInput(m[2]!, digits) : null;
    if (!m || price === null) return { error: `"${line}" is not "quantity: price" (e.g. 10: 9.50).` };
    tiers.push({ minQuantity: Number(m[1]), unitPriceMinor: price });
  }
  tiers.sort((a, b) => a.minQuantity - b.minQuantity);
  return { tiers };
}

export function tierText(tiers: readonly Tier[], currency: string): string {
  const digits = minorDigits(currency);
  return tiers.map((t) => `${t.minQuantity}: ${minorToDecimal(t.unitPriceMinor, digits)}`).join("\n");
}

/** Basis points as a percentage string: 1900 → "19", 750 → "7.5". */
export function formatTaxRate(bp: number): string {
  return (bp / 100).toString();
}

export function parseTaxRate(text: string): number | null {
  const m = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/.exec(text.trim());
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return bp <= 10_000 ? bp : null;
}
