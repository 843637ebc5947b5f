// Reads a request body up to a byte limit while it streams, so an oversized body is refused after
// `limit` bytes instead of being buffered whole (request.text()/json() read everything first).
// No Next imports: route handlers and lib/api.ts share it, and unit tests feed it plain streams.

export type LimitedBody = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too_large" };

/**
 * The body of `request` as bytes, or `too_large` when its Content-Length says it is over `limit`
 * (nothing is read) or when more than `limit` bytes arrive (reading stops there and the stream is
 * cancelled). A missing body reads as zero bytes.
 */
export async function readLimited(request: { headers: Headers; body: ReadableStream<Uint8Array> | null }, limit: number): Promise<LimitedBody> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) return { ok: false, reason: "too_large" };
  if (!request.body) return { ok: true, bytes: new Uint8Array(0) };
  return readStreamLimited(request.body, limit);
}

export async function readStreamLimited(stream: ReadableStream<Uint8Array>, limit: number): Promise<LimitedBody> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        // Tell the producer to stop; the rest of the body is never read.
        await reader.cancel().catch(() => {});
        return { ok: false, reason: "too_large" };
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

/** UTF-8 text of a body read by readLimited (invalid sequences become U+FFFD, as in request.text()). */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
