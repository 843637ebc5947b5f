import "server-only";
import { db } from "@/db/client";
import { getCompany } from "@/db/queries/companies";
import { json } from "@/lib/http/json";
import type { ApiContext } from "./auth";
import { ipPolicy } from "./rate-limit";

/** GET /api/v1/me: the key, the user and role it acts as (and company), its scopes and limits. */
export async function describeCaller({ actor, key }: ApiContext): Promise<Response> {
  const company = actor.companyId ? await getCompany(db, actor.companyId) : null;
  return json(
    {
      key: { id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes, expiresAt: key.expiresAt?.toISOString() ?? null },
      actsAs: {
        userId: actor.id,
        name: actor.name,
        email: actor.email,
        role: actor.role,
        company: company ? { id: company.id, name: company.name, currency: company.currency } : null,
      },
      rateLimits: { key: key.policy, ip: ipPolicy() },
    },
    200,
  );
}
