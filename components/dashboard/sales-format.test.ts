import { describe, expect, it } from "vitest";
import { formatDuration, formatMonth, formatRate } from "./sales-format";

describe("formatDuration", () => {
  it("shows minutes, then hours and minutes, then days and hours", () => {
    expect(formatDuration(0)).toBe("0 min");
    expect(formatDuration(29)).toBe("0 min");
    expect(formatDuration(45 * 60)).toBe("45 min");
    expect(formatDuration(3600)).toBe("1 h");
    expect(formatDuration(3 * 3600 + 20 * 60)).toBe("3 h 20 min");
    expect(formatDuration(86_400)).toBe("1 d");
    expect(formatDuration(2 * 86_400 + 4 * 3600 + 59)).toBe("2 d 4 h");
    expect(formatDuration(-5)).toBe("0 min");
  });
});

describe("formatRate", () => {
  it("is a percentage with at most one decimal, a dash when there is no rate", () => {
    expect(formatRate(5 / 8)).toBe("62.5%");
    expect(formatRate(2 / 3)).toBe("66.7%");
    expect(formatRate(1)).toBe("100%");
    expect(formatRate(null)).toBe("—");
  });
});

describe("formatMonth", () => {
  it("names the month", () => {
    expect(formatMonth("2026-12")).toBe("December 2026");
  });
});
