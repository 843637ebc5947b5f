import { describe, expect, it } from "vitest";
import { base62, bearerToken, formatApiKey, limitItem, parseApiKey, periodMicros, policyItem, remaining, retryAfterSeconds, secondsUntilFull } from "./api-keys";

describe("key text", () => {
  const prefix = "AbC123xyZ789";
  const secret = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";

  it("formats and parses ok_<prefix>_<secret>", () => {
    expect(secret).toHaveLength(43);
    const key = formatApiKey(prefix, secret);
    expect(key).toBe(`ok_AbC123xyZ789_${secret}`);
    expect(parseApiKey(key)).toEqual({ prefix, secret });
  });

  it("refuses anything else", () => {
    for (const text of ["", "ok_", `ok_${prefix}`, `ok_${prefix}_${secret}x`, `ok_${prefix}_${secret.slice(1)}`, `OK_${prefix}_${secret}`, `ok_${prefix}-${secret}`, ` ok_${prefix}_${secret}`, `ok_${prefix}_${secret.slice(1)}_`]) {
      expect(parseApiKey(text), text).toBeNull();
    }
  });

  it("draws base62 characters by index", () => {
    let i = 0;
    expect(base62(5, () => [0, 10, 36, 61, 35][i++]!)).toBe("0AazZ");
  });

  it("reads a Bearer header", () => {
    expect(bearerToken(null)).toBeNull();
    expect(bearerToken("  ")).toBeNull();
    expect(bearerToken("Bearer ok_x")).toBe("ok_x");
    expect(bearerToken("bearer   ok_x ")).toBe("ok_x");
    expect(bearerToken("Basic dXNlcjpwYXNz")).toBe("malformed");
    expect(bearerToken("Bearer a b")).toBe("malformed");
  });
});

describe("GCRA figures", () => {
  // 60 per minute: one a second; burst 5.
  const T = periodMicros({ perMinute: 60, burst: 5 });

  it("has the emission interval of the rate", () => {
    expect(T).toBe(1_000_000);
    expect(periodMicros({ perMinute: 600, burst: 1 })).toBe(100_000);
    expect(periodMicros({ perMinute: 7, burst: 1 })).toBe(8_571_429);
  });

  it("counts what remains after each request of a burst, and when it is full again", () => {
    // After the k-th request from empty, TAT is k periods ahead.
    const after = (k: number) => ({ allowed: true, aheadMicros: k * T, periodMicros: T, burst: 5 });
    expect([1, 2, 3, 4, 5].map((k) => remaining(after(k)))).toEqual([4, 3, 2, 1, 0]);
    expect(secondsUntilFull(after(5))).toBe(5);
    expect(secondsUntilFull({ allowed: true, aheadMicros: 1, periodMicros: T, burst: 5 })).toBe(1);
  });

  it("tells a refused request when one slot frees", () => {
    // Full burst used, 0.25 s later: TAT is 4.75 s ahead; the next slot frees 0.75 s later.
    const refused = { allowed: false, aheadMicros: 4_750_000, periodMicros: T, burst: 5 };
    expect(remaining(refused)).toBe(0);
    expect(retryAfterSeconds(refused)).toBe(1);
    // 10 per minute, burst 1: a refused request 1 s after the last waits 5 s.
    expect(retryAfterSeconds({ allowed: false, aheadMicros: 5_000_000, periodMicros: 6_000_000, burst: 1 })).toBe(5);
  });

  it("writes the draft-09 header items", () => {
    expect(policyItem("key", { periodMicros: 100_000, burst: 60 })).toBe('"key";q=60;w=6');
    expect(limitItem("key", { allowed: true, aheadMicros: 300_000, periodMicros: 100_000, burst: 60 })).toBe('"key";r=57;t=1');
  });
});
