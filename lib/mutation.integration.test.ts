import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { companies } from "@/db/schema";
import { defineMutation, runMutation } from "@/lib/mutation";
import { createCompany } from "@/lib/services/companies";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";

setupTestDatabase();

const count = async (query: ReturnType<typeof sql>) => (await rows<{ n: number }>(query))[0]!.n;

describe("runMutation", () => {
  it("rolls back the change and its audit row when the use case fails after writing", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const failing = defineMutation({
      name: "company.create_then_fail",
      entityType: "company",
      permission: "companies.manage",
      input: z.object({ name: z.string() }),
      async run(ctx, input) {
        const [row] = await ctx.tx.insert(companies).values({ name: input.name, currency: "EUR" }).returning();
        await ctx.audit({ action: "company.create", entityType: "company", entityId: row!.id, after: row });
        throw new Error("forced failure after the change");
      },
    });
    const req = request();
    const result = await runMutation(failing, { actor: admin, request: req }, { name: "Rollback Ltd" });

    expect(result).toEqual({
      ok: false,
      code: "internal",
      error: `Something went wrong and nothing was changed. Reference: ${req.requestId}`,
      requestId: req.requestId,
    });
    expect(await count(sql`select count(*)::int as n from companies where name = 'Rollback Ltd'`)).toBe(0);
    expect(await count(sql`select count(*)::int as n from audit_events where request_id = ${req.requestId}`)).toBe(0);
  });

  it("returns field errors for invalid input and writes nothing", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const before = await count(sql`select count(*)::int as n from companies`);
    const result = await runMutation(
      createCompany,
      { actor: admin, request: request(), idempotencyKey: "key-invalid-input-1" },
      { name: "", paymentTermsDays: "-3", creditLimit: "12.3456", currency: "euro", timeZone: "Mars/Base" },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("validation_failed");
    expect(Object.keys(result.fieldErrors ?? {}).sort()).toEqual(["creditLimit", "currency", "name", "paymentTermsDays", "timeZone"]);
    expect(await count(sql`select count(*)::int as n from companies`)).toBe(before);
  });

  it("refuses an actor without the permission and records the denied attempt", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const req = request();
    const result = await runMutation(
      createCompany,
      { actor: buyer, request: req, idempotencyKey: "key-denied-0001" },
      { name: "Sneaky Corp", paymentTermsDays: "30", creditLimit: "0", timeZone: "UTC" },
    );
    expect(result).toEqual({ ok: false, code: "forbidden", error: "You are not allowed to do this." });
    expect(await count(sql`select count(*)::int as n from companies where name = 'Sneaky Corp'`)).toBe(0);
    const audit = await rows<{ action: string; outcome: string; actor_id: string; ip: string }>(
      sql`select action, outcome, actor_id, ip from audit_events where request_id = ${req.requestId}`,
    );
    expect(audit).toEqual([{ action: "company.create", outcome: "denied", actor_id: buyer.id, ip: "203.0.113.7" }]);
  });

  it("writes a mutation's audit rows in the order recorded, with or without an idempotency key", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const auditing = (idempotent: boolean) =>
      defineMutation({
        name: "test.audit_order",
        entityType: "test",
        permission: "companies.manage",
        idempotent,
        input: z.object({ tag: z.string() }),
        async run(ctx, input) {
          await ctx.audit({ action: "test.first", entityType: "test", entityId: input.tag, after: { n: 1n } });
          await ctx.auditMany([
            { action: "test.second", entityType: "test", entityId: input.tag },
            { action: "test.third", entityType: "test", entityId: input.tag, reason: "why" },
          ]);
          return { tag: input.tag };
        },
      });
    for (const idempotent of [false, true]) {
      const req = request();
      const result = await runMutation(auditing(idempotent), { actor: admin, request: req, idempotencyKey: idempotent ? `audit-order-${Date.now()}` : undefined }, { tag: `t-${idempotent}` });
      expect(result).toEqual({ ok: true, data: { tag: `t-${idempotent}` } });
      const audit = await rows<{ action: string; entity_id: string; diff: unknown; actor_id: string; user_agent: string }>(
        sql`select action, entity_id, diff, actor_id, user_agent from audit_events where request_id = ${req.requestId} order by id`,
      );
      expect(audit).toEqual([
        { action: "test.first", entity_id: `t-${idempotent}`, diff: { after: { n: "1" } }, actor_id: admin.id, user_agent: "vitest" },
        { action: "test.second", entity_id: `t-${idempotent}`, diff: null, actor_id: admin.id, user_agent: "vitest" },
        { action: "test.third", entity_id: `t-${idempotent}`, diff: { reason: "why" }, actor_id: admin.id, user_agent: "vitest" },
      ]);
    }
  });

  it("answers unauthenticated without an actor", async () => {
    const result = await runMutation(createCompany, { actor: null, request: request() }, {});
    expect(result).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});

describe("company credit limits", () => {
  it("reads the limit in the company's currency: no decimals for JPY", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const yen = await runMutation(createCompany, { actor: admin, request: request(), idempotencyKey: "jpy-company-1" }, { name: "Tokyo Trading KK", paymentTermsDays: "30", creditLimit: "2500000", currency: "JPY", timeZone: "Asia/Tokyo" });
    expect(yen.ok).toBe(true);
    expect(await count(sql`select credit_limit_minor::int as n from companies where name = 'Tokyo Trading KK'`)).toBe(2_500_000);
    const fractional = await runMutation(createCompany, { actor: admin, request: request(), idempotencyKey: "jpy-company-2" }, { name: "Osaka Parts KK", paymentTermsDays: "30", creditLimit: "100.50", currency: "JPY", timeZone: "Asia/Tokyo" });
    expect(fractional).toMatchObject({ ok: false, fieldErrors: { creditLimit: ["Enter an amount in JPY, such as 25000."] } });
  });
});
