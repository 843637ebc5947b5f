import { describe, expect, it } from "vitest";
import { addDays, dateIn, endOfDayAfter, formatInZone, zonedTimeToUtc } from "./dates";

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
