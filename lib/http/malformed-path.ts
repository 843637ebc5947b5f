/**
 * True when a segment of the raw (still percent-encoded) path cannot be decoded: a stray `%`,
 * `%ZZ`, a truncated escape (`%E0%A4%A`) or bytes that are not UTF-8 (`%C3%28`). Next throws
 * on such a segment while matching a dynamic route and answers a plain-text 500; proxy.ts
 * answers first (400 JSON for /api/, the not-found page otherwise).
 */
export function hasMalformedSegment(rawPath: string): boolean {
  if (!rawPath.includes("%")) return false;
  for (const segment of rawPath.split("/")) {
    try {
      decodeURIComponent(segment);
    } catch {
      return true;
    }
  }
  return false;
}
