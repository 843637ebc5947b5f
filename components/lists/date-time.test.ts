import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DateTime, zonedHeader } from "./date-time";

const render = (props: Parameters<typeof DateTime>[0]) => renderToStaticMarkup(createElement(DateTime, props));

describe("DateTime", () => {
  const instant = new Date("2026-12-31T23:30:45.500Z");

  it("shows the instant in the given zone, named, with the exact instant machine-readable", () => {
    expect(render({ value: instant, timeZone: "Asia/Tokyo" })).toBe('<time dateTime="2026-12-31T23:30:45.500Z">2027-01-01 08:30 (Asia/Tokyo)</time>');
  });

  it("leaves the zone to the column header in table cells", () => {
    expect(render({ value: instant, timeZone: "Europe/Berlin", zone: false, seconds: true })).toBe('<time dateTime="2026-12-31T23:30:45.500Z">2027-01-01 00:30:45</time>');
    expect(zonedHeader("Updated", "Europe/Berlin")).toBe("Updated (Europe/Berlin)");
  });

  it("says what is missing instead of a time", () => {
    expect(render({ value: null, timeZone: "Europe/Berlin", empty: "Never" })).toBe("Never");
    expect(render({ value: undefined, timeZone: "Europe/Berlin" })).toBe("—");
  });
});
