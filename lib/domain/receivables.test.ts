import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ageingBucket, allocateOldestFirst, daysPastDue, invoiceStatus } from "./receivables";

describe("receivables", () => {
  it("derives invoice status from what was paid and the due date", () => {
    const base = { cancelled: false, totalMinor: 10_000n, dueDate: "2026-12-01", today: "2026-11-20" };
    expect(invoiceStatus({ ...base, paidMinor: 0n })).toBe("open");
    expect(invoiceStatus({ ...base, paidMinor: 1n })).toBe("partially_paid");
    expect(invoiceStatus({ ...base, paidMinor: 10_000n })).toBe("paid");
    expect(invoiceStatus({ ...base, paidMinor: 5_000n, today: "2026-12-02" })).toBe("overdue");
    expect(invoiceStatus({ ...base, paidMinor: 0n, cancelled: true })).toBe("cancelled");
  });

  it("allocates oldest due first and returns the rest", () => {
    const items = [
      { invoiceId: "b", number: "INV-2", issueDate: "2026-10-01", dueDate: "2026-11-01", outstandingMinor: 500n },
      { invoiceId: "a", number: "INV-1", issueDate: "2026-09-01", dueDate: "2026-10-01", outstandingMinor: 300n },
    ];
    expect(allocateOldestFirst(600n, items)).toEqual({ allocations: [{ invoiceId: "a", amountMinor: 300n }, { invoiceId: "b", amountMinor: 300n }], unallocatedMinor: 0n });
    expect(allocateOldestFirst(1000n, items).unallocatedMinor).toBe(200n);
  });

  it("property: allocations never exceed an invoice's outstanding amount and add up to the amount", () => {
    const item = fc.record({ invoiceId: fc.uuid(), number: fc.string(), issueDate: fc.constant("2026-01-01"), dueDate: fc.constantFrom("2026-01-10", "2026-02-10", "2026-03-10"), outstandingMinor: fc.bigInt({ min: 0n, max: 1_000_000n }) });
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 5_000_000n }), fc.uniqueArray(item, { selector: (i) => i.invoiceId, maxLength: 8 }), (amount, items) => {
        const r = allocateOldestFirst(amount, items);
        for (const a of r.allocations) expect(a.amountMinor <= items.find((i) => i.invoiceId === a.invoiceId)!.outstandingMinor).toBe(true);
        expect(r.allocations.reduce((s, a) => s + a.amountMinor, 0n) + r.unallocatedMinor).toBe(amount);
      }),
    );
  });

  it("ages by days past due", () => {
    expect([daysPastDue("2026-11-20", "2026-11-19"), daysPastDue("2026-11-20", "2026-11-20"), daysPastDue("2026-11-20", "2027-01-19")]).toEqual([0, 0, 60]);
    expect(["2026-11-20", "2026-11-21", "2026-12-20", "2027-01-19", "2027-02-18", "2027-02-19"].map((t) => ageingBucket("2026-11-20", t))).toEqual(["current", "1-30", "1-30", "31-60", "61-90", "90+"]);
  });
});
