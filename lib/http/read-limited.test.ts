import { describe, expect, it } from "vitest";
import { readLimited, readStreamLimited, utf8 } from "./read-limited";

/** A stream of `count` chunks of `size` bytes that counts how many chunks were pulled and whether it was cancelled. */
function countingStream(count: number, size: number) {
  const state = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.pulled === count) return controller.close();
        state.pulled++;
        controller.enqueue(new Uint8Array(size).fill(0x61));
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe("readStreamLimited", () => {
  it("stops pulling right after the limit is passed and cancels the stream", async () => {
    // 100 chunks of 1 KiB (100 KiB) against a 10 KiB limit: the 11th chunk passes it.
    const { stream, state } = countingStream(100, 1024);
    expect(await readStreamLimited(stream, 10 * 1024)).toEqual({ ok: false, reason: "too_large" });
    expect(state.pulled).toBe(11);
    expect(state.cancelled).toBe(true);
  });

  it("returns a body of exactly the limit whole", async () => {
    const { stream, state } = countingStream(10, 1024);
    const result = await readStreamLimited(stream, 10 * 1024);
    expect(result.ok).toBe(true);
    expect(result.ok && result.bytes.byteLength).toBe(10 * 1024);
    expect(state.pulled).toBe(10);
  });
});

describe("readLimited", () => {
  it("refuses a Content-Length over the limit without reading the body", async () => {
    const { stream, state } = countingStream(5, 10);
    const result = await readLimited({ headers: new Headers({ "content-length": "101" }), body: stream }, 100);
    expect(result).toEqual({ ok: false, reason: "too_large" });
    expect(state.pulled).toBe(0);
  });

  it("counts bytes, not characters, whatever the Content-Length claims", async () => {
    // "é" is 2 bytes in UTF-8: 6 characters, 12 bytes, under a lying Content-Length of 6.
    const request = new Request("http://x/", { method: "POST", body: "éééééé" });
    expect(await readLimited({ headers: new Headers({ "content-length": "6" }), body: request.body }, 11)).toEqual({ ok: false, reason: "too_large" });
  });

  it("decodes a body under the limit, and reads a missing body as empty", async () => {
    const result = await readLimited(new Request("http://x/", { method: "POST", body: '{"a":"é"}' }), 100);
    expect(result.ok && utf8(result.bytes)).toBe('{"a":"é"}');
    expect(await readLimited(new Request("http://x/"), 100)).toEqual({ ok: true, bytes: new Uint8Array(0) });
  });
});
