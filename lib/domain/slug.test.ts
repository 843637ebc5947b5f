import { describe, expect, it } from "vitest";
import { slug } from "./slug";

describe("slug", () => {
  it("keeps letters and digits of a name, accents dropped, for file names", () => {
    expect(slug("Müller & Söhne GmbH")).toBe("muller-sohne-gmbh");
    expect(slug("  Acme Industrial Supply  ")).toBe("acme-industrial-supply");
    expect(slug("Über/../../etc")).toBe("uber-etc");
    expect(slug("x".repeat(100))).toHaveLength(60);
  });
});
