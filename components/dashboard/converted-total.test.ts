import { describe, expect, it } from "vitest";
import { convertedTotalText } from "./converted-total";

describe("convertedTotalText", () => {
  it("says nothing while every document is in the base currency", () => {
    expect(convertedTotalText({ currency: "EUR", minor: 1999n, documents: 1, notConverted: [], currencies: ["EUR"] })).toBeNull();
    expect(convertedTotalText({ currency: "EUR", minor: 0n, documents: 0, notConverted: [], currencies: [] })).toBeNull();
  });

  it("labels the total as converted and names the documents without a rate", () => {
    expect(convertedTotalText({ currency: "EUR", minor: 1654200n, documents: 3, notConverted: [], currencies: ["CHF", "EUR", "USD"] })).toBe(
      "≈ €16,542.00 total, converted at the documents' rates.",
    );
    expect(
      convertedTotalText({ currency: "EUR", minor: 16542n, documents: 3, notConverted: [{ currency: "USD", documents: 1, minor: 2000n }], currencies: ["CHF", "EUR", "USD"] }),
    ).toBe("≈ €165.42 total, converted at the documents' rates; not included: 1 USD document (US$20.00) without an exchange rate.");
  });
});
