import { describe, expect, it } from "vitest";
import { formatPercentBp, PdfDataError, toRenderModel } from "./model";
import { sampleDocument } from "./sample-data";

describe("toRenderModel", () => {
  it("formats rates from basis points exactly", () => {
    expect(formatPercentBp(1900)).toBe("19%");
    expect(formatPercentBp(700)).toBe("7%");
    expect(formatPercentBp(2050)).toBe("20.5%");
    expect(formatPercentBp(1225)).toBe("12.25%");
    expect(formatPercentBp(5)).toBe("0.05%");
    expect(formatPercentBp(0)).toBe("0%");
  });

  it("prints totals that are the sum of the lines", () => {
    const d = sampleDocument("quotation", 400, { discounts: true });
    const sum = (f: (l: (typeof d.lines)[number]) => bigint) => d.lines.reduce((a, l) => a + f(l), 0n);
    expect(d.subtotalMinor).toBe(sum((l) => l.netMinor));
    expect(d.taxMinor).toBe(sum((l) => l.taxMinor));
    expect(d.totalMinor).toBe(sum((l) => l.totalMinor));
    const m = toRenderModel(d);
    expect(m.subtotal.value).toBe("€178,359.15");
    expect(m.taxRows).toEqual([
      { label: "VAT 7% on €67,912.77", value: "€4,753.90" },
      { label: "VAT 19% on €110,446.38", value: "€20,984.81" },
    ]);
    expect(m.total).toEqual({ label: "Total", value: "€204,097.86" });
    expect(m.lines).toHaveLength(400);
    expect(m.showDiscount).toBe(true);
    expect(m.meta).toContainEqual({ label: "Version", value: "2" });
  });

  it("shows the discount column only when a line has a discount", () => {
    expect(toRenderModel(sampleDocument("invoice", 5)).showDiscount).toBe(false);
    const m = toRenderModel(sampleDocument("invoice", 5, { discounts: true }));
    expect(m.lines.map((l) => l.discount)).toEqual(["10%", "", "", "12.5%", ""]);
  });

  it("refuses a document whose figures do not add up", () => {
    const d = sampleDocument("invoice", 3);
    const bad = { ...d, totalMinor: d.totalMinor + 1n };
    expect(() => toRenderModel(bad)).toThrow(PdfDataError);
    const badLine = { ...d, lines: d.lines.map((l, i) => (i === 1 ? { ...l, taxMinor: l.taxMinor + 1n } : l)) };
    expect(() => toRenderModel(badLine)).toThrow(/line 2: net \+ tax ≠ total/);
    const missingRate = { ...d, taxByRate: [] };
    expect(() => toRenderModel(missingRate)).toThrow(/no tax row for the lines at 19%/);
  });

  it("uses the currency's own minor digits", () => {
    const m = toRenderModel(sampleDocument("invoice", 2, { currency: "JPY" }));
    expect(m.lines[1]!.unitPrice).toBe("JP¥1,250");
  });
});
