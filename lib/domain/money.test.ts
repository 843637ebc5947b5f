import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney, MAX_AMOUNT_MINOR, minorToDecimal, parseMoneyInput } from "./money";

describe("money", () => {
  it("parses typed amounts into minor units", () => {
    expect(parseMoneyInput("25000")).toBe(2_500_000n);
    expect(parseMoneyInput("25,000.5")).toBe(2_500_050n);
    expect(parseMoneyInput("0.07")).toBe(7n);
    expect(parseMoneyInput("1.234")).toBeNull();
    expect(parseMoneyInput("12abc")).toBeNull();
    expect(parseMoneyInput("5", 0)).toBe(5n);
    expect(parseMoneyInput("25000.00", 0)).toBe(25000n);
    expect(parseMoneyInput("100.50", 0)).toBeNull();
    expect(parseMoneyInput("1.230", 2)).toBe(123n);
  });

  it("refuses amounts beyond MAX_AMOUNT_MINOR, which PostgreSQL's bigint could not hold once summed", () => {
    expect(parseMoneyInput("9999999999999.99")).toBe(MAX_AMOUNT_MINOR);
    expect(parseMoneyInput("-9,999,999,999,999.99")).toBe(-MAX_AMOUNT_MINOR);
    expect(parseMoneyInput("10000000000000")).toBeNull();
    expect(parseMoneyInput("99999999999999999999999")).toBeNull(); // the fuzzer's spending limit: an internal error before
    expect(parseMoneyInput("999999999999999", 0)).toBe(MAX_AMOUNT_MINOR);
    expect(parseMoneyInput("1000000000000000", 0)).toBeNull();
  });

  it("reads thousands separators only where they group the whole part in threes", () => {
    expect(parseMoneyInput("1,234,567.89")).toBe(123_456_789n);
    expect(parseMoneyInput("1 000")).toBe(100_000n);
    expect(parseMoneyInput("1_000.5")).toBe(100_050n);
    expect(parseMoneyInput("-1,000")).toBe(-100_000n);
    expect(parseMoneyInput("1.")).toBe(100n);
    // Each of these was read before, by dropping every separator: "1,,0" became 10.00.
    for (const text of ["1,,0", "1,2,3", "12,34", "1,0000", ",100", "100,", "1, 000", "1.2,3", "1,000.5,0"]) {
      expect(parseMoneyInput(text), text).toBeNull();
    }
    for (const text of ["1..0", "1.2.3", "1,000..5"]) expect(parseMoneyInput(text), text).toBeNull();
  });

  it("round-trips any amount up to MAX_AMOUNT_MINOR exactly", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -MAX_AMOUNT_MINOR, max: MAX_AMOUNT_MINOR }), fc.integer({ min: 0, max: 3 }), (minor, digits) => {
        expect(parseMoneyInput(minorToDecimal(minor, digits), digits)).toBe(minor);
      }),
    );
  });

  it("formats with the currency's own decimals, without float loss", () => {
    expect(formatMoney(2_500_000n, "EUR")).toBe("€25,000.00");
    expect(formatMoney(1500n, "JPY")).toBe("JP¥1,500");
    expect(formatMoney(900_719_925_474_099_312n, "USD")).toBe("US$9,007,199,254,740,993.12");
  });
});
