import { describe, expect, it } from "vitest";
import { tooLongMessage } from "./length-limit";

describe("tooLongMessage", () => {
  it("says nothing while the text fits", () => {
    expect(tooLongMessage(0, 200)).toBeNull();
    expect(tooLongMessage(200, 200)).toBeNull();
  });

  it("says how much a long paste is over the limit", () => {
    expect(tooLongMessage(201, 200)).toBe("201 characters: use at most 200 (1 too many).");
    expect(tooLongMessage(10_000, 200)).toBe("10,000 characters: use at most 200 (9,800 too many).");
  });
});
