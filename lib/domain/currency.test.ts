import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { convertMinor, describeRate, invert, normalizeRate, parseRate, rateBetween, toSellerCurrency, type ExchangeRate } from "./currency";
import { ecbDate, parseEcbRates } from "./currency-ecb";
import { resolveUnitPrice, snapshotRate } from "./pricing";
import { formatMoney, minorDigits, minorToDecimal, parseMoneyInput } from "./money";
import { documentTotals, lineAmounts } from "./totals";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("minor units per ISO 4217", () => {
  it("knows each currency's decimals", () => {
    expect(["EUR", "USD", "CHF", "JPY", "KWD", "BHD", "CLP"].map((c) => [c, minorDigits(c)])).toEqual([
      ["EUR", 2], ["USD", 2], ["CHF", 2], ["JPY", 0], ["KWD", 3], ["BHD", 3], ["CLP", 0],
    ]);
  });

  it("formats with them", () => {
    expect(formatMoney(123_456n, "JPY")).toBe("JP¥123,456");
    expect(formatMoney(123_456n, "KWD")).toBe("KWD\u00a0123.456");
    expect(formatMoney(123_456n, "EUR")).toBe("€1,234.56");
    expect(formatMoney(123_456n, "CHF")).toBe("CHF\u00a01,234.56");
  });
});

describe("exchange rates", () => {
  it("reads rates exactly", () => {
    expect(parseRate("1.0832")).toEqual({ numerator: 10832n, denominator: 10000n });
    expect(parseRate("162")).toEqual({ numerator: 162n, denominator: 1n });
    for (const bad of ["0", "0.000", "-1.2", "1,08", "1e3", "", "abc", "1.12345678901"]) expect(parseRate(bad), bad).toBeNull();
    expect(normalizeRate("0.85430")).toBe("0.8543");
    expect(normalizeRate("160.0")).toBe("160");
    expect(normalizeRate("007.5")).toBe("7.5");
  });

  it("converts between currencies with different minor units, rounding half away from zero once", () => {
    const usd = parseRate("1.0832")!;
    expect(convertMinor(1999n, "EUR", "USD", usd)).toBe(2165n); // 21.653168 → 21.65
    expect(convertMinor(1250n, "EUR", "JPY", parseRate("162.45")!)).toBe(2031n); // 12.50 × 162.45 = 2030.625 → ¥2031
    expect(convertMinor(1000n, "EUR", "KWD", parseRate("0.3312")!)).toBe(3312n); // 10.00 × 0.3312 = 3.312 KWD
    expect(convertMinor(2031n, "JPY", "EUR", invert(parseRate("162.45")!))).toBe(1250n); // 2031 / 162.45 = 12.5023 → 12.50
    expect(convertMinor(5n, "EUR", "USD", parseRate("1.1")!)).toBe(6n); // 5.5 → 6
    expect(convertMinor(-5n, "EUR", "USD", parseRate("1.1")!)).toBe(-6n);
  });

  it("finds a rate in either direction, the newer first", () => {
    const eurUsd: ExchangeRate = { base: "EUR", quote: "USD", rate: "1.25", rateDate: "2026-12-01", source: "ECB" };
    const usdEur: ExchangeRate = { base: "USD", quote: "EUR", rate: "0.8", rateDate: "2026-12-02", source: "manual" };
    expect(rateBetween("EUR", "USD", eurUsd, null)).toMatchObject({ rate: { numerator: 125n, denominator: 100n }, inverted: false });
    expect(rateBetween("EUR", "USD", eurUsd, usdEur)).toMatchObject({ rate: { numerator: 10n, denominator: 8n }, inverted: true, used: usdEur });
    expect(rateBetween("EUR", "USD", null, null)).toBeNull();
    expect(describeRate(eurUsd)).toBe("1 EUR = 1.25 USD (ECB, 2026-12-01)");
  });

  it("conversion is monotonic and exact to half a minor unit", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 8n }),
        fc.integer({ min: 0, max: 6 }),
        fc.constantFrom("USD", "JPY", "KWD", "CHF"),
        (minor, num, scale, to) => {
          const rate = { numerator: num, denominator: 10n ** BigInt(scale) };
          const got = convertMinor(minor, "EUR", to, rate);
          // exact value in `to` minor units = minor × rate × 10^(d_to − 2)
          const shift = minorDigits(to) - 2;
          const exactNum = minor * num * (shift > 0 ? 10n ** BigInt(shift) : 1n);
          const exactDen = rate.denominator * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
          // |got − exact| ≤ ½ unit  ⇔  |2·got·den − 2·num| ≤ den
          const diff = 2n * got * exactDen - 2n * exactNum;
          expect(diff <= exactDen && -diff <= exactDen).toBe(true);
          expect(convertMinor(minor + 1n, "EUR", to, rate) >= got).toBe(true);
        },
      ),
    );
  });
});

describe("totals and tax per currency (EUR 2, JPY 0, KWD 3 decimals)", () => {
  const line = fc.record({
    quantity: fc.integer({ min: 0, max: 10_000 }),
    unitPriceMinor: fc.bigInt({ min: 0n, max: 10n ** 9n }),
    taxRateBp: fc.constantFrom(0, 250, 700, 770, 1000, 1900, 2000),
    discountBp: fc.integer({ min: 0, max: 10_000 }),
  });

  for (const currency of ["EUR", "JPY", "KWD"]) {
    it(`${currency}: the total is the sum of the lines, tax within half a minor unit per line, printed as typed back`, () => {
      const digits = minorDigits(currency);
      fc.assert(
        fc.property(fc.array(line, { minLength: 1, maxLength: 20 }), (lines) => {
          const amounts = lines.map((l) => ({ ...l, ...lineAmounts(l) }));
          const t = documentTotals(amounts);
          expect(t.totalMinor).toBe(amounts.reduce((s, a) => s + a.totalMinor, 0n));
          expect(t.subtotalMinor + t.taxMinor).toBe(t.totalMinor);
          expect(t.taxByRate.reduce((s, r) => s + r.taxMinor, 0n)).toBe(t.taxMinor);
          for (const a of amounts) {
            const exact2 = 2n * a.netMinor * BigInt(a.taxRateBp); // 2 × exact tax × 10000
            const diff = 2n * a.taxMinor * 10_000n - exact2;
            expect(diff <= 10_000n && -diff <= 10_000n).toBe(true);
          }
          // What a document prints in this currency reads back as the same minor units.
          expect(parseMoneyInput(minorToDecimal(t.totalMinor, digits), digits)).toBe(t.totalMinor);
          const printed = formatMoney(t.totalMinor, currency).replace(/[^\d.]/g, "");
          expect(printed.includes(".") ? printed.split(".")[1]!.length : 0).toBe(digits);
        }),
      );
    });
  }
});

describe("ECB reference rates files", () => {
  it("reads eurofxref-daily.xml", () => {
    expect(parseEcbRates(fixture("ecb-eurofxref-daily.xml"))).toEqual({
      format: "ecb-xml",
      problems: [],
      rates: [
        { base: "EUR", quote: "USD", rate: "1.0832", rateDate: "2026-12-03" },
        { base: "EUR", quote: "JPY", rate: "162.45", rateDate: "2026-12-03" },
        { base: "EUR", quote: "CHF", rate: "0.9415", rateDate: "2026-12-03" },
        { base: "EUR", quote: "GBP", rate: "0.8543", rateDate: "2026-12-03" },
      ],
    });
  });

  it("reads eurofxref.csv (long dates, trailing commas, CRLF) and eurofxref-hist.csv (N/A skipped)", () => {
    const daily = parseEcbRates(fixture("ecb-eurofxref.csv"));
    expect(daily.problems).toEqual([]);
    expect(daily.rates.map((r) => `${r.rateDate} ${r.quote} ${r.rate}`)).toEqual(["2026-12-04 USD 1.085", "2026-12-04 JPY 163.1", "2026-12-04 CHF 0.942", "2026-12-04 GBP 0.8551"]);
    const hist = parseEcbRates(fixture("ecb-eurofxref-hist.csv"));
    expect(hist.problems).toEqual([]);
    expect(hist.rates).toHaveLength(6);
    expect(hist.rates.filter((r) => r.quote === "ISK")).toEqual([]);
  });

  it("says what is wrong with a bad file", () => {
    expect(parseEcbRates("").problems).toEqual(["The file is empty."]);
    expect(parseEcbRates("<html>nope</html>").problems).toEqual(["No <Cube time='…'> with rates: this is not an ECB reference rates file."]);
    expect(parseEcbRates("Date, USD, XYZ\n31 February 2026, 1.1, 2\n01 March 2026, -1, 2\n").problems).toEqual([
      'Line 2: "31 February 2026" is not a date.',
      'Line 3, USD: "-1" is not a rate (a positive decimal such as 1.0832).',
      'Line 3, XYZ: "XYZ" is not a known currency code.',
    ]);
    expect(ecbDate("3 December 2026")).toBe("2026-12-03");
  });
});

describe("pricing in the company's currency", () => {
  const product = { basePriceMinor: 1999n, currency: "EUR", baseTiers: [{ minQuantity: 10, unitPriceMinor: 1800n }] };
  const ecb: ExchangeRate = { base: "EUR", quote: "USD", rate: "1.0832", rateDate: "2026-12-03", source: "ECB" };

  it("converts the base price at the rate, rounded to the cent, and says so", () => {
    const price = resolveUnitPrice({ product, lists: [], quantity: 1, date: "2026-12-04", conversion: { currency: "USD", rates: [ecb] } });
    expect(price).toMatchObject({
      unitPriceMinor: 2165n,
      currency: "USD",
      rule: "base",
      conversion: { fromCurrency: "EUR", fromMinor: 1999n, rate: ecb },
      explanation: "List price, converted from €19.99 at 1 EUR = 1.0832 USD (ECB, 2026-12-03)",
    });
    expect(resolveUnitPrice({ product, lists: [], quantity: 10, date: "2026-12-04", conversion: { currency: "JPY", rates: [{ ...ecb, quote: "JPY", rate: "162.45" }] } })).toMatchObject({
      unitPriceMinor: 2924n, // 18.00 × 162.45 = 2924.1 → ¥2924
      currency: "JPY",
      explanation: "List price, 10+ tier, converted from €18.00 at 1 EUR = 162.45 JPY (ECB, 2026-12-03)",
    });
  });

  it("keeps a price already in the company's currency (its price list) and flags a missing rate", () => {
    const usdList = { id: "l", name: "US 2026", currency: "USD", validFrom: "2026-01-01", validTo: null, entry: { unitPriceMinor: 2100n, tiers: [] } };
    expect(resolveUnitPrice({ product, lists: [usdList], quantity: 1, date: "2026-12-04", conversion: { currency: "USD", rates: [ecb] } })).toMatchObject({ unitPriceMinor: 2100n, currency: "USD", explanation: "Contract price, US 2026" });
    const missing = resolveUnitPrice({ product, lists: [], quantity: 1, date: "2026-12-04", conversion: { currency: "CHF", rates: [ecb] } });
    expect(missing).toMatchObject({ unitPriceMinor: 1999n, currency: "EUR", rateMissing: { from: "EUR", to: "CHF" } });
    expect(snapshotRate({ currency: "USD", rates: [ecb] }, "EUR")).toEqual(ecb);
    expect(snapshotRate({ currency: "EUR", rates: [] }, "EUR")).toBeNull();
  });
});

describe("documents in the seller's currency at their own rate (reports)", () => {
  it("converts at the snapshot, in either direction, and refuses without one", () => {
    const fx: ExchangeRate = { base: "EUR", quote: "USD", rate: "1.0832", rateDate: "2026-12-03", source: "ECB" };
    expect(toSellerCurrency(5153n, "USD", "EUR", fx)).toBe(4757n); // 51.53 / 1.0832 = 47.5720
    expect(toSellerCurrency(100_000n, "JPY", "EUR", { ...fx, quote: "JPY", rate: "162.45" })).toBe(61557n); // ¥100,000 / 162.45 = €615.574
    expect(toSellerCurrency(1000n, "USD", "EUR", { base: "USD", quote: "EUR", rate: "0.9", rateDate: "2026-12-03", source: "manual" })).toBe(900n);
    expect(toSellerCurrency(4757n, "EUR", "EUR", null)).toBe(4757n);
    expect(toSellerCurrency(5153n, "USD", "EUR", null)).toBeNull();
    expect(toSellerCurrency(5153n, "USD", "EUR", { ...fx, quote: "CHF" })).toBeNull();
  });
});
