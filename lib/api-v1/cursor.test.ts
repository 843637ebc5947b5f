import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, queryDigest } from "./cursor";

describe("page cursors", () => {
  const digest = queryDigest({ q: "bolt", limit: 24, sort: undefined });

  it("round-trips the offset for the same query, whatever the key order", () => {
    expect(queryDigest({ sort: undefined, limit: 24, q: "bolt" })).toBe(digest);
    expect(decodeCursor(encodeCursor(48, digest), digest)).toBe(48);
  });

  it("refuses a cursor of another query, a tampered or malformed one", () => {
    const other = queryDigest({ q: "bolt", limit: 25 });
    expect(other).not.toBe(digest);
    expect(decodeCursor(encodeCursor(48, digest), other)).toBeNull();
    expect(decodeCursor("", digest)).toBeNull();
    expect(decodeCursor("not base64!", digest)).toBeNull();
    expect(decodeCursor(Buffer.from('{"v":1,"o":-1,"q":"x"}').toString("base64url"), digest)).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify({ v: 1, o: 1.5, q: digest })).toString("base64url"), digest)).toBeNull();
    expect(decodeCursor(Buffer.from("[]").toString("base64url"), digest)).toBeNull();
  });
});
