import { describe, expect, it } from "vitest";
import { entityHref, filterParams, parseAuditQuery, rangeInstants } from "./audit-filter";

describe("parseAuditQuery", () => {
  it("reads every filter from query parameters, trimmed, arrays taking their first value", () => {
    const r = parseAuditQuery({
      actor: " sales@demo.test ",
      from: "2026-03-01",
      to: "2026-03-31",
      action: "order.",
      outcome: "denied",
      entityType: "order",
      entityId: "0b0d4c2e-8f1a-4d55-9d7e-1f2a3b4c5d6e",
      before: ["120", "7"],
      page: "ignored",
    });
    expect(r).toEqual({
      ok: true,
      query: {
        actor: "sales@demo.test",
        from: "2026-03-01",
        to: "2026-03-31",
        action: "order.",
        outcome: "denied",
        entityType: "order",
        entityId: "0b0d4c2e-8f1a-4d55-9d7e-1f2a3b4c5d6e",
        before: 120n,
      },
    });
    if (r.ok) expect(filterParams(r.query)).not.toHaveProperty("before", 120n);
  });

  it("empty values are no filter", () => {
    expect(parseAuditQuery({ actor: "", from: " ", outcome: "" })).toEqual({ ok: true, query: {} });
  });

  it("names each bad value with a message instead of failing", () => {
    const r = parseAuditQuery({
      from: "2026-02-30",
      to: "2026-13-01",
      action: "DROP TABLE",
      outcome: "maybe",
      entityType: "orders",
      entityId: "not-an-id",
      before: "-1",
      after: "abc",
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      "from: Enter a real date (yyyy-mm-dd).",
      "to: Enter a real date (yyyy-mm-dd).",
      "action: An action is lower-case letters, dots and underscores, e.g. order.approve.",
      "outcome: Choose success or denied.",
      "entityType: Choose one of the listed entity types.",
      "entityId: Not a valid entity id.",
      "before: Use the Older / Newer links; this page cursor is not valid.",
      "after: Use the Older / Newer links; this page cursor is not valid.",
    ]);
  });

  it("refuses a range that ends before it starts, an id without its type, and two cursors", () => {
    const r = parseAuditQuery({ from: "2026-03-02", to: "2026-03-01", entityId: "0b0d4c2e-8f1a-4d55-9d7e-1f2a3b4c5d6e", before: "5", after: "3" });
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([
      "The end date is before the start date.",
      "An entity id needs its entity type.",
      "Use either an older or a newer page cursor, not both.",
    ]);
  });
});

describe("rangeInstants", () => {
  it("takes whole days in the viewer's zone: from its midnight to the midnight after `to`", () => {
    expect(rangeInstants({ from: "2026-03-28", to: "2026-03-29" }, "Europe/Berlin")).toEqual({
      since: new Date("2026-03-27T23:00:00Z"),
      // Summer time begins on the 29th: the next midnight is at UTC+2.
      until: new Date("2026-03-29T22:00:00Z"),
    });
    expect(rangeInstants({ from: "2026-03-28" }, "UTC")).toEqual({ since: new Date("2026-03-28T00:00:00Z"), until: undefined });
  });
});

describe("entityHref", () => {
  it("links documents to their order's page and the rest to their own", () => {
    expect(entityHref("invoice", "o1")).toBe("/admin/orders/o1");
    expect(entityHref("quotation", "o1")).toBe("/admin/orders/o1");
    expect(entityHref("product", "p1")).toBe("/admin/products/p1");
    expect(entityHref("company", "c1")).toBe("/admin/customers/c1");
    expect(entityHref("test", "x")).toBeNull();
  });
});
