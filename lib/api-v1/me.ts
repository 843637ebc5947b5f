import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db } from "@/db/client";
import { getCompany } from "@/db/queries/companies";
import { listCompanyAddresses } from "@/db/queries/addresses";
import { addressLines } from "@/lib/domain/addresses";
import { apiScopes } from "@/lib/domain/api-keys";
import { roles } from "@/lib/domain/roles";
import { json } from "@/lib/http/json";
import { defineOperation } from "./operation";
import { ipPolicy } from "./rate-limit";

const ratePolicySchema = z.object({ perMinute: z.int(), burst: z.int() });

export const callerSchema = z
  .object({
    key: z.object({ id: uuidString(), name: z.string(), prefix: z.string(), scopes: z.array(z.enum(apiScopes)), expiresAt: z.iso.datetime({ offset: true }).nullable() }),
    actsAs: z.object({
      userId: uuidString(),
      name: z.string(),
      email: z.string(),
      role: z.enum(roles),
      company: z
        .object({
          id: uuidString(),
          name: z.string(),
          currency: z.string().length(3),
          shipToAddresses: z
            .array(z.object({ id: uuidString(), label: z.string(), isDefault: z.boolean(), lines: z.array(z.string()).describe("The address as printed, line by line.") }))
            .describe("The company's ship-to addresses: pass an id as shipToAddressId when placing an order or submitting the cart."),
        })
        .nullable(),
    }),
    rateLimits: z.object({ key: ratePolicySchema, ip: ratePolicySchema }),
  })
  .meta({ id: "Caller" });

export const describeCaller = defineOperation({
  operationId: "getCaller",
  method: "GET",
  path: "/me",
  tag: "Keys",
  summary: "The key, who it acts as and its limits",
  description: "The calling key, the user and role it acts as (a customer key: a buyer of its company), its scopes and its rate limits.",
  scope: null,
  responses: { 200: { description: "The caller.", schema: callerSchema } },
  async handle({ actor, key }) {
    const [company, addresses] = actor.companyId ? await Promise.all([getCompany(db, actor.companyId), listCompanyAddresses(db, actor.companyId)]) : [null, []];
    return json(
      {
        key: { id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, expiresAt: key.expiresAt?.toISOString() ?? null },
        actsAs: {
          userId: actor.id,
          name: actor.name,
          email: actor.email,
          role: actor.role,
          company: company
            ? {
                id: company.id,
                name: company.name,
                currency: company.currency,
                shipToAddresses: addresses.filter((a) => a.kind === "shipping").map((a) => ({ id: a.id, label: a.label, isDefault: a.isDefault, lines: addressLines(a) })),
              }
            : null,
        },
        rateLimits: { key: key.policy, ip: ipPolicy() },
      } satisfies z.input<typeof callerSchema>,
      200,
    );
  },
});
