/**
 * Whether the body of a server-action POST that is not multipart can be decoded by React's reply
 * decoder (what Next runs on it before any action code): a JSON array whose strings use only the
 * reply format's inline forms. Next answers anything else with a 500 (the decoder throws, or waits
 * for a part a text body cannot have), so proxy.ts refuses it first with a 400. This app's actions
 * take a form (multipart) or plain strings, so a legitimate text body never holds a reference.
 *
 * Inline forms, from React's parseModelString: "$$…" (an escaped "$"), "$I"/"$-0"/"$-Infinity"/"$N"
 * (numbers), "$u" (undefined), "$D…" (a date), "$n…" (a bigint of at most 300 digits). Every other
 * "$" string refers to another part (promises, maps, sets, forms, typed arrays, temporary and
 * server references).
 */
export function isDecodableActionText(text: string): boolean {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return false;
  }
  return Array.isArray(root) && inlineOnly(root, 0);
}

const inline = /^\$(?:\$|I$|N$|u$|-0$|-Infinity$|D|n-?\d{1,300}$)/;

function inlineOnly(value: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (typeof value === "string") return !value.startsWith("$") || inline.test(value);
  if (Array.isArray(value)) return value.every((v) => inlineOnly(v, depth + 1));
  if (value !== null && typeof value === "object") return Object.values(value).every((v) => inlineOnly(v, depth + 1));
  return true;
}
