import { describe, expect, it } from "vitest";
import { bookedParam, expiringParam } from "./order-list-params";

describe("expiringParam", () => {
  it("takes 1 to 90 days and ignores anything else", () => {
    expect(expiringParam("7")).toBe(7);
    expect(expiringParam("1")).toBe(1);
    expect(expiringParam("90")).toBe(90);
    for (const bad of [undefined, "", "0", "91", "-1", "7.5", "abc", "1e1", "007", " 7"]) expect(expiringParam(bad)).toBeUndefined();
  });
});

describe("bookedParam", () => {
  it("takes a real month and ignores anything else", () => {
    expect(bookedParam("2026-12")).toBe("2026-12");
    expect(bookedParam("2000-01")).toBe("2000-01");
    expect(bookedParam("2999-12")).toBe("2999-12");
    for (const bad of [undefined, "", "2026-13", "2026-00", "2026-1", "1999-12", "9999-12", "3000-01", "2026-12-01", "12-2026", "abcd-ef"]) expect(bookedParam(bad)).toBeUndefined();
  });
});
