import { describe, expect, it } from "vitest";
import { z } from "zod";
import { calendarDate, optionalText, quantityField, requiredText } from "./forms";

const messages = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("quantityField", () => {
  it("answers a negative quantity on the add-to-cart form with one message", () => {
    expect(messages(quantityField(1), "-3")).toEqual(["Enter a quantity of at least 1."]);
    expect(messages(quantityField(1), "0")).toEqual(["Enter a quantity of at least 1."]);
    expect(messages(quantityField(1), "1")).toEqual([]);
  });

  it("lets a cart line be set to 0 (removal) but not below", () => {
    expect(messages(quantityField(0), "0")).toEqual([]);
    expect(messages(quantityField(0), "-3")).toEqual(["Enter a quantity of 0 or more."]);
  });

  it("names what is wrong with text and fractions", () => {
    expect(messages(quantityField(1), "abc")).toEqual(["Enter a quantity."]);
    expect(messages(quantityField(1), "2.5")).toEqual(["Enter a whole quantity."]);
  });
});

describe("calendarDate", () => {
  const real = "Enter a real date (yyyy-mm-dd).";
  it("refuses dates that match yyyy-mm-dd but do not exist (PostgreSQL answered them with a 500)", () => {
    for (const d of ["2026-02-30", "2026-02-29", "2026-00-10", "2026-13-01", "2026-04-31", "2026-01-00", "0000-01-01", "2026-1-5", "yesterday", ""]) {
      expect(messages(calendarDate(), d), d).toEqual([real]);
    }
    expect(messages(calendarDate(), undefined)).toEqual([real]);
  });

  it("accepts real dates, leap days and the ends of the range PostgreSQL stores", () => {
    for (const d of ["2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01", "9999-12-31", " 2026-03-02 "]) expect(messages(calendarDate(), d), d).toEqual([]);
    expect(messages(calendarDate(), "1900-02-29")).toEqual([real]);
  });

  it("keeps a date within min and max, read when parsing", () => {
    const schema = calendarDate({ min: "2025-01-01", max: () => "2026-06-30", tooLate: "The payment date cannot be in the future." });
    expect(messages(schema, "2025-01-01")).toEqual([]);
    expect(messages(schema, "2026-06-30")).toEqual([]);
    expect(messages(schema, "2024-12-31")).toEqual(["Enter a date on or after 2025-01-01."]);
    expect(messages(schema, "1900-01-01")).toEqual(["Enter a date on or after 2025-01-01."]);
    expect(messages(schema, "9999-12-31")).toEqual(["The payment date cannot be in the future."]);
  });
});

describe("control characters in text fields", () => {
  const problem = "Remove control characters.";
  it("refuses NUL and other control characters in optional and required text", () => {
    for (const t of ["a\u0000b", "ref\u0007", "x\u001by", "del\u007f", "c1\u0085x", "vertical\u000btab", "form\u000cfeed"]) {
      expect(messages(optionalText(100), t), JSON.stringify(t)).toEqual([problem]);
      expect(messages(requiredText("Name", 100), t), JSON.stringify(t)).toEqual([problem]);
    }
  });

  it("keeps tab, line feed and carriage return for multi-line notes, and ordinary Unicode", () => {
    expect(messages(optionalText(100), "line 1\r\nline 2\tend")).toEqual([]);
    expect(messages(requiredText("Name", 100), "Müller & Söhne – 東京")).toEqual([]);
  });
});
