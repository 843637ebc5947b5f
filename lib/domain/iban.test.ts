import { describe, expect, it } from "vitest";
import { formatIban, ibanOf, isValidIban, normaliseIban, optionalIbanField } from "./iban";

describe("IBAN", () => {
  it("normalises spaces and case", () => {
    expect(normaliseIban(" de89 3704 0044\t0532 0130 00 ")).toBe("DE89370400440532013000");
    expect(formatIban("DE89370400440532013000")).toBe("DE89 3704 0044 0532 0130 00");
  });

  it("accepts IBANs whose check digits fit (mod 97) and refuses a mistyped digit or a bad shape", () => {
    for (const good of ["DE89370400440532013000", "GB82WEST12345698765432", "CH9300762011623852957", "NL91ABNA0417164300", "FR1420041010050500013M02606"]) {
      expect(isValidIban(good), good).toBe(true);
    }
    expect(isValidIban("DE89370400440532013001")).toBe(false); // last digit mistyped
    expect(isValidIban("DE98370400440532013000")).toBe(false); // check digits swapped
    expect(isValidIban("DE8937040044")).toBe(false); // too short
    expect(isValidIban("de89370400440532013000")).toBe(false); // not normalised
    expect(isValidIban("DE89-3704-0044-0532-0130-00")).toBe(false);
  });

  it("computes the check digits of an account number", () => {
    expect(ibanOf("DE", "370400440532013000")).toBe("DE89370400440532013000");
    expect(ibanOf("gb", "WEST12345698765432")).toBe("GB82WEST12345698765432");
    expect(ibanOf("CH", "00762011623852957")).toBe("CH9300762011623852957");
  });

  it("parses a form field: empty is not given, a bad one is refused with the message", () => {
    expect(optionalIbanField.parse("  ")).toBeUndefined();
    expect(optionalIbanField.parse(undefined)).toBeUndefined();
    expect(optionalIbanField.parse("gb82 west 1234 5698 7654 32")).toBe("GB82WEST12345698765432");
    const bad = optionalIbanField.safeParse("GB82 WEST 1234 5698 7654 33");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/^Enter a valid IBAN/);
  });
});
