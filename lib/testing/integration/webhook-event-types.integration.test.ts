import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { EVENT_TYPES, eventTypesForEndpoint } from "@/lib/domain/webhook-events";
import { runMutation } from "@/lib/mutation";
import { createWebhookEndpoint, updateWebhookEndpoint } from "@/lib/services/webhooks";
import { testKey } from "@/lib/testing/invoices";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";

setupTestDatabase();

// Issue 13 leftover: a company's endpoint never receives staff-only events (emitted for no company),
// so the form does not offer them and the service refuses them next to the field.

const ctx = async (email: string) => ({ actor: await actorByEmail(email), request: request(), idempotencyKey: testKey("wh") });

describe("the event types an endpoint may subscribe to", () => {
  it("offers a company's endpoint every event but the staff-only ones, and staff endpoints all of them", () => {
    expect(eventTypesForEndpoint({ companyId: null })).toEqual([...EVENT_TYPES]);
    const company = eventTypesForEndpoint({ companyId: "00000000-0000-0000-0000-000000000001" });
    expect(company).not.toContain("product.low_stock");
    expect(company).toHaveLength(EVENT_TYPES.length - 1);
  });

  it("refuses product.low_stock for a customer admin's endpoint (create and update), next to the field, and stores nothing", async () => {
    const url = `https://erp-${testKey("h").toLowerCase()}.example.com/hooks`;
    const refused = await runMutation(createWebhookEndpoint, await ctx("approver@acme.test"), { url, eventTypes: ["invoice.issued", "product.low_stock"] });
    expect(refused).toEqual({
      ok: false,
      code: "validation_failed",
      error: "Your endpoints do not receive product.low_stock: choose events from the list.",
      fieldErrors: { eventTypes: ["Your endpoints do not receive product.low_stock: choose events from the list."] },
    });
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from webhook_endpoints where url = ${url}`))[0]!.n).toBe(0);

    const created = await runMutation(createWebhookEndpoint, await ctx("approver@acme.test"), { url, eventTypes: ["invoice.issued"] });
    if (!created.ok) throw new Error(created.error);
    const update = await runMutation(updateWebhookEndpoint, await ctx("approver@acme.test"), { endpointId: created.data.endpoint.id, url, description: "", eventTypes: ["product.low_stock"], enabled: "on" });
    expect(update).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { eventTypes: ["Your endpoints do not receive product.low_stock: choose events from the list."] } });
    expect(await rows(sql`select event_types from webhook_endpoints where id = ${created.data.endpoint.id}`)).toEqual([{ event_types: ["invoice.issued"] }]);
  });

  it("lets staff subscribe to product.low_stock", async () => {
    const url = `https://erp-${testKey("s").toLowerCase()}.example.com/hooks`;
    const created = await runMutation(createWebhookEndpoint, await ctx("admin@demo.test"), { url, eventTypes: ["product.low_stock"] });
    expect(created).toMatchObject({ ok: true, data: { endpoint: { eventTypes: ["product.low_stock"], companyId: null } } });
  });
});
