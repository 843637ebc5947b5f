import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { newRequestContext } from "@/lib/mutation";
import { rows, setupTestDatabase } from "@/lib/testing/helpers";
import { authenticate, homePathFor } from "@/lib/services/authentication";

setupTestDatabase();

const PASSWORD = "demo-Passw0rd-2026";
let ipCounter = 10;
const fromNewIp = () => newRequestContext({ ip: `198.51.100.${ipCounter++}`, userAgent: "vitest" });

describe("authenticate", () => {
  it("signs in with the right password, case-insensitively by email, and audits it", async () => {
    const req = fromNewIp();
    const result = await authenticate({ email: "  Buyer@ACME.test ", password: PASSWORD }, req);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user).toMatchObject({ email: "buyer@acme.test", role: "buyer", sessionVersion: 1 });
    expect(result.user.companyId).toMatch(/^[0-9a-f-]{36}$/);
    const audit = await rows<{ action: string; outcome: string }>(sql`select action, outcome from audit_events where request_id = ${req.requestId}`);
    expect(audit).toEqual([{ action: "auth.login", outcome: "success" }]);
  });

  it("gives a wrong email and a wrong password the same answer, both audited as denied", async () => {
    const a = fromNewIp();
    const b = fromNewIp();
    expect(await authenticate({ email: "buyer@acme.test", password: "wrong-password-123" }, a)).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate({ email: "nobody@acme.test", password: PASSWORD }, b)).toEqual({ ok: false, reason: "invalid" });
    const audit = await rows<{ action: string; outcome: string; reason: string }>(
      sql`select action, outcome, diff->'after'->>'reason' as reason from audit_events where request_id in (${a.requestId}, ${b.requestId}) order by id`,
    );
    expect(audit).toEqual([
      { action: "auth.login_failed", outcome: "denied", reason: "wrong_password" },
      { action: "auth.login_failed", outcome: "denied", reason: "unknown_email" },
    ]);
  });

  it("throttles an account after 10 failures in the window, even with the right password, from any IP", async () => {
    const email = "finance@demo.test";
    for (let i = 0; i < 10; i++) {
      expect(await authenticate({ email, password: `wrong-password-${i}` }, fromNewIp())).toEqual({ ok: false, reason: "invalid" });
    }
    const blocked = await authenticate({ email, password: PASSWORD }, fromNewIp());
    expect(blocked.ok).toBe(false);
    if (blocked.ok || blocked.reason !== "throttled") throw new Error("expected throttled");
    expect(blocked.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(blocked.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    // After the window the account opens again.
    const later = await authenticate({ email, password: PASSWORD }, fromNewIp(), new Date(Date.now() + 16 * 60_000));
    expect(later.ok).toBe(true);
  });

  it("throttles an IP after 50 failures across accounts", async () => {
    const req = () => newRequestContext({ ip: "192.0.2.99", userAgent: "vitest" });
    for (let i = 0; i < 50; i++) await authenticate({ email: `guess-${i}@acme.test`, password: "wrong-password-1" }, req());
    const result = await authenticate({ email: "sales@demo.test", password: PASSWORD }, req());
    expect(result).toMatchObject({ ok: false, reason: "throttled" });
    expect((await authenticate({ email: "sales@demo.test", password: PASSWORD }, fromNewIp())).ok).toBe(true);
  });

  it("does not lump requests of unknown IP into one bucket: 50 failures without an IP lock nobody else out", async () => {
    const unknown = () => newRequestContext({ ip: null, userAgent: "vitest" });
    for (let i = 0; i < 50; i++) await authenticate({ email: `unknown-ip-${i}@acme.test`, password: "wrong-password-1" }, unknown());
    expect((await authenticate({ email: "finance@demo.test", password: PASSWORD }, unknown())).ok).toBe(true);
  });

  it("counts parallel guesses exactly: 15 at once leave the account blocked after 10", async () => {
    const email = "approver@acme.test";
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => authenticate({ email, password: `parallel-wrong-${i}` }, fromNewIp())));
    const reasons = results.map((r) => (r.ok ? "ok" : r.reason));
    expect(reasons.filter((r) => r === "invalid")).toHaveLength(10);
    expect(reasons.filter((r) => r === "throttled")).toHaveLength(5);
    const [failures] = await rows<{ n: number }>(sql`select count(*)::int as n from login_attempts where email = ${email} and not succeeded`);
    expect(failures!.n).toBe(10);
  });
});

describe("homePathFor", () => {
  it("sends customers to the shop and staff (or an unknown email) to the back office", async () => {
    expect(await homePathFor(" Buyer@ACME.test")).toBe("/");
    expect(await homePathFor("approver@acme.test")).toBe("/");
    expect(await homePathFor("finance@demo.test")).toBe("/admin");
    expect(await homePathFor("nobody@acme.test")).toBe("/admin");
  });
});
