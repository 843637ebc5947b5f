import { describe, expect, it } from "vitest";
import { addressLines, addressText, countryName, countryOptions, isCountryCode } from "./addresses";

describe("addresses", () => {
  it("knows ISO 3166-1 alpha-2 countries and refuses reserved or malformed codes", () => {
    expect(["DE", "FR", "GB", "US", "CH"].map(isCountryCode)).toEqual([true, true, true, true, true]);
    expect(["ZZ", "XK", "QM", "AA", "de", "DEU", "", "EU", "UK", "DD", "YU"].map(isCountryCode)).toEqual([false, false, false, false, false, false, false, false, false, false, false]);
    expect(countryName("DE")).toBe("Germany");
    expect(countryName(null)).toBe("");
    const options = countryOptions();
    expect(options.length).toBeGreaterThan(240);
    expect(new Set(options.map((o) => o.name)).size).toBe(options.length); // no withdrawn duplicates such as UK
    expect(options.filter((o) => o.name === "United Kingdom")).toEqual([{ code: "GB", name: "United Kingdom" }]);
    expect(options.find((o) => o.code === "FR")).toEqual({ code: "FR", name: "France" });
  });

  it("prints the parts that are set, postal code before the city, the country by name", () => {
    const a = { name: "Acme Industrial Supply", attention: "Goods in", line1: "Hafenstraße 12", line2: "", postalCode: "20457", city: "Hamburg", region: "", country: "DE" };
    expect(addressLines(a)).toEqual(["Acme Industrial Supply", "Attn. Goods in", "Hafenstraße 12", "20457 Hamburg", "Germany"]);
    expect(addressText({ ...a, attention: "", line2: "Gate 3", country: null })).toBe("Acme Industrial Supply\nHafenstraße 12\nGate 3\n20457 Hamburg");
  });
});
