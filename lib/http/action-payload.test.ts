import { describe, expect, it } from "vitest";
import { isDecodableActionText } from "./action-payload";

describe("isDecodableActionText", () => {
  it("accepts what React sends for actions called with plain values", () => {
    expect(isDecodableActionText('["Probe Bank","date,amount\\n2026-01-02,1.00\\n"]')).toBe(true);
    expect(isDecodableActionText("[]")).toBe(true);
    expect(isDecodableActionText('[1,null,true,{"a":["x"]}]')).toBe(true);
    // Inline forms: an escaped "$", numbers, undefined, a date, a bigint.
    expect(isDecodableActionText('["$$5 off","$I","$-0","$-Infinity","$N","$u","$D2026-01-02T00:00:00.000Z","$n123"]')).toBe(true);
  });

  it("refuses what the decoder cannot read: not JSON, not an array, references to parts a text body lacks", () => {
    for (const body of ["[", "garbage", "a=1", "{}", '{"a":1}', '"x"', "1", ""]) expect(isDecodableActionText(body), body).toBe(false);
    for (const ref of ["$@99", "$Q1", "$W1", "$K1", "$Z", "$T", "$h1", "$i1", "$A1", "$1", "$", "$nabc", `$n${"9".repeat(301)}`]) {
      expect(isDecodableActionText(JSON.stringify([ref])), ref).toBe(false);
      expect(isDecodableActionText(JSON.stringify([{ deep: [ref] }])), `deep ${ref}`).toBe(false);
    }
    expect(isDecodableActionText("[".repeat(100) + "]".repeat(100))).toBe(false);
  });
});
