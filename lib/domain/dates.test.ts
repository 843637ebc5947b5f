import { describe, expect, it } from "vitest";
import { addDays, dateIn, endOfDayAfter, formatInZone, formatLocalDateTime, viewerTimeZone, zoneLabel, zonedTimeToUtc } from "./dates";

describe("time-zone dates", () => {
  it("ends validity at the end of the company's day, N days later", () => {
    // Submitted 2026-03-10 23:30 in Berlin (22:30 UTC): 14 days later is 2026-03-24, ending 23:59:59.999 CET.
    const submitted = new Date("2026-03-10T22:30:00Z");
    expect(endOfDayAfter(submitted, 14, "Europe/Berlin").toISOString()).toBe("2026-03-24T22:59:59.999Z");
    // Across the spring-forward change (29 March 2026) the offset becomes +2 h.
    expect(endOfDayAfter(submitted, 20, "Europe/Berlin").toISOString()).toBe("2026-03-30T21:59:59.999Z");
    // The same instant is still 10 March in New York.
    expect(endOfDayAfter(submitted, 0, "America/New_York").toISOString()).toBe("2026-03-11T03:59:59.999Z");
  });

  it("converts and formats wall-clock times", () => {
    expect(zonedTimeToUtc("2026-07-01", { hour: 9, minute: 0, second: 0 }, "Europe/Berlin").toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(dateIn("Asia/Tokyo", new Date("2026-01-01T16:00:00Z"))).toBe("2026-01-02");
    expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
    expect(formatInZone(new Date("2026-03-24T22:59:59.999Z"), "Europe/Berlin")).toBe("2026-03-24 23:59 (Europe/Berlin)");
  });
});

describe("the viewer's time zone", () => {
  const zones = { company: "Asia/Tokyo", seller: "Europe/Berlin" };

  it("is the company's zone for customers and the seller's for staff", () => {
    expect(viewerTimeZone({ role: "buyer" }, zones)).toBe("Asia/Tokyo");
    expect(viewerTimeZone({ role: "customer_admin" }, zones)).toBe("Asia/Tokyo");
    expect(viewerTimeZone({ role: "sales" }, zones)).toBe("Europe/Berlin");
    expect(viewerTimeZone({ role: "finance" }, zones)).toBe("Europe/Berlin");
    // Staff looking at a customer's record still read the seller's zone.
    expect(viewerTimeZone({ role: "admin" }, zones)).toBe("Europe/Berlin");
  });

  it("falls back to the seller's zone for a customer without a company zone", () => {
    expect(viewerTimeZone({ role: "buyer" }, { company: null, seller: "Europe/Berlin" })).toBe("Europe/Berlin");
  });
});

describe("one formatter family", () => {
  // 23:30 UTC on 31 December: already New Year in Berlin and Tokyo, still the old year in New York.
  const instant = new Date("2026-12-31T23:30:45.500Z");

  it("shows the same instant on each zone's wall clock, the zone named", () => {
    expect(formatInZone(instant, "Europe/Berlin")).toBe("2027-01-01 00:30 (Europe/Berlin)");
    expect(formatInZone(instant, "Asia/Tokyo")).toBe("2027-01-01 08:30 (Asia/Tokyo)");
    expect(formatInZone(instant, "America/New_York")).toBe("2026-12-31 18:30 (America/New_York)");
    expect(formatInZone(instant, "UTC")).toBe("2026-12-31 23:30 (UTC)");
  });

  it("leaves the zone to the header in table cells and shows seconds where asked", () => {
    expect(formatLocalDateTime(instant, "Europe/Berlin")).toBe("2027-01-01 00:30");
    expect(formatLocalDateTime(instant, "Europe/Berlin", { seconds: true })).toBe("2027-01-01 00:30:45");
    expect(formatInZone(instant, "UTC", { seconds: true })).toBe("2026-12-31 23:30:45 (UTC)");
    expect(zoneLabel("Asia/Tokyo")).toBe("(Asia/Tokyo)");
  });

  it("follows daylight saving: the same UTC hour is 13:00 in winter and 14:00 in summer in Berlin", () => {
    expect(formatInZone(new Date("2026-01-15T12:00:00Z"), "Europe/Berlin")).toBe("2026-01-15 13:00 (Europe/Berlin)");
    expect(formatInZone(new Date("2026-07-15T12:00:00Z"), "Europe/Berlin")).toBe("2026-07-15 14:00 (Europe/Berlin)");
    // Midnight is 00, never 24.
    expect(formatLocalDateTime(new Date("2026-07-14T22:00:00Z"), "Europe/Berlin")).toBe("2026-07-15 00:00");
  });
});
