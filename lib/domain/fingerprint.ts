import { createHmac } from "node:crypto";

/** JSON with sorted keys, so the same input always gives the same fingerprint. */
export function stableStringify(value: unknown): string {
  if (typeof value === "bigint") return JSON.stringify(value.toString());
  if (value === undefined) return "null";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
}

/**
 * Keyed hash of a request: inputs can hold secrets (a new user's initial password), so the
 * stored fingerprint must not be a plain digest that could be brute-forced back.
 */
export function keyedFingerprint(secret: string, operation: string, input: unknown): string {
  return createHmac("sha256", secret).update(`${operation}\n${stableStringify(input)}`).digest("hex");
}
