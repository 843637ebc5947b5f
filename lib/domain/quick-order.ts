// Quick order: people paste lines of "SKU, quantity" (from a spreadsheet: comma, semicolon, tab
// or spaces). Every line is checked; a paste with any bad line adds nothing.

export type QuickOrderLine = { line: number; sku: string; quantity: number };

export function parseQuickOrder(text: string): { lines: QuickOrderLine[]; errors: string[] } {
  const lines: QuickOrderLine[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed) return;
    const m = /^([A-Za-z0-9][A-Za-z0-9._\/-]*)\s*[,;\t ]\s*(\S+)$/.exec(trimmed);
    if (!m) {
      errors.push(`Line ${line}: "${trimmed}" is not "SKU, quantity".`);
      return;
    }
    const quantity = Number(m[2]);
    if (!/^\d+$/.test(m[2]!) || !Number.isSafeInteger(quantity) || quantity < 1) {
      errors.push(`Line ${line}: the quantity "${m[2]}" is not a whole number of at least 1.`);
      return;
    }
    lines.push({ line, sku: m[1]!, quantity });
  });
  if (lines.length === 0 && errors.length === 0) errors.push("Paste at least one line: SKU, quantity.");
  return { lines, errors };
}
