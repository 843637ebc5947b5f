import { createHash } from "node:crypto";

// Opaque page cursors for /api/v1 lists. A cursor carries the position after the page it came
// with and a digest of the query it belongs to: sent with another query (other filters, another
// page size) it is refused rather than silently mixing two result sets. Clients must treat it as
// opaque, so the position may become a keyset later without any client noticing.

type CursorBody = { v: 1; o: number; q: string };

export function queryDigest(query: Record<string, unknown>): string {
  const canonical = JSON.stringify(Object.keys(query).sort().map((k) => [k, query[k] ?? null]));
  return createHash("sha256").update(canonical).digest("base64url").slice(0, 16);
}

export function encodeCursor(offset: number, digest: string): string {
  return Buffer.from(JSON.stringify({ v: 1, o: offset, q: digest } satisfies CursorBody)).toString("base64url");
}

/** The offset a cursor points at, or null when it is not a cursor of this query. */
export function decodeCursor(cursor: string, digest: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  try {
    const body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<CursorBody>;
    if (body.v !== 1 || body.q !== digest || !Number.isSafeInteger(body.o) || body.o! < 0) return null;
    return body.o!;
  } catch {
    return null;
  }
}
