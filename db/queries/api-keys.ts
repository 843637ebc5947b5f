import "server-only";
import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { apiKeys, companies, users, type NewApiKey } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/prepared";
import type { Actor } from "@/lib/domain/actor";
import type { ApiScope } from "@/lib/domain/api-keys";
import { can } from "@/lib/domain/permissions";
import type { Role } from "@/lib/domain/roles";

const p = sql.placeholder;

/** What the API key pages and services show of a key: never its hash. */
const publicColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  role: apiKeys.role,
  companyId: apiKeys.companyId,
  createdBy: apiKeys.createdBy,
  createdAt: apiKeys.createdAt,
  expiresAt: apiKeys.expiresAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  rateLimitPerMinute: apiKeys.rateLimitPerMinute,
  rateLimitBurst: apiKeys.rateLimitBurst,
};

export type ApiKeySummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  role: Role;
  companyId: string | null;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  rateLimitPerMinute: number | null;
  rateLimitBurst: number | null;
};

export async function insertApiKey(tx: DbOrTx, values: NewApiKey): Promise<ApiKeySummary> {
  const [row] = await tx.insert(apiKeys).values(values).returning(publicColumns);
  return row as ApiKeySummary;
}

/** A key locked for a change, within `companyId` when given (a customer admin's own company): null if there is none. */
export async function lockApiKey(tx: DbOrTx, id: string, scope: { companyId: string } | "any"): Promise<ApiKeySummary | null> {
  const [row] = await tx
    .select(publicColumns)
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), scope === "any" ? undefined : eq(apiKeys.companyId, scope.companyId)))
    .for("update");
  return (row as ApiKeySummary | undefined) ?? null;
}

export async function setApiKeyRevoked(tx: DbOrTx, id: string, by: string, now: Date): Promise<void> {
  await tx.update(apiKeys).set({ revokedAt: now, revokedBy: by }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)));
}

export async function setApiKeyLimits(tx: DbOrTx, id: string, limits: { rateLimitPerMinute: number | null; rateLimitBurst: number | null }): Promise<void> {
  await tx.update(apiKeys).set(limits).where(eq(apiKeys.id, id));
}

export type ApiKeyListRow = ApiKeySummary & { ownerName: string; ownerEmail: string; companyName: string | null; revokedByName: string | null };

/**
 * The keys an actor may see, newest first: a customer admin their company's, an administrator
 * every key (staff and customer). Anyone else sees none. Scoped here, in the WHERE.
 */
export async function listApiKeys(db: DbOrTx, actor: Actor, limit = 200): Promise<ApiKeyListRow[]> {
  let where: SQL | undefined;
  if (can(actor.role, "api_keys.manage")) where = undefined;
  else if (can(actor.role, "api_keys.manage_own_company") && actor.companyId) where = eq(apiKeys.companyId, actor.companyId);
  else return [];
  const revoker = alias(users, "revoker");
  const rows = await db
    .select({ ...publicColumns, ownerName: users.name, ownerEmail: users.email, companyName: companies.name, revokedByName: revoker.name })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.createdBy))
    .leftJoin(companies, eq(companies.id, apiKeys.companyId))
    .leftJoin(revoker, eq(revoker.id, apiKeys.revokedBy))
    .where(where)
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(limit);
  return rows as ApiKeyListRow[];
}

/** How many live (not revoked) keys a company has: a company may hold only so many. */
export async function countLiveCompanyKeys(tx: DbOrTx, companyId: string | null): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(and(companyId ? eq(apiKeys.companyId, companyId) : isNull(apiKeys.companyId), isNull(apiKeys.revokedAt)));
  return row?.n ?? 0;
}

export type ApiKeyAuthRow = {
  id: string;
  prefix: string;
  name: string;
  hash: Uint8Array;
  scopes: ApiScope[];
  role: Role;
  company_id: string | null;
  expires_at: Date | string | null;
  expired: boolean;
  revoked: boolean;
  /** The owner is active, still the kind of user who may hold such a key, and the company is active. */
  owner_valid: boolean;
  owner_id: string;
  owner_email: string;
  owner_name: string;
  rate_limit_per_minute: number | null;
  rate_limit_burst: number | null;
};

/**
 * The key a request names, by its prefix (one unique-index probe). Requests authenticate with
 * authenticateAndConsume (db/queries/rate-limit.ts), which reads the same and spends the buckets in
 * the same statement; this plain read is the rate-limit bench's baseline. A customer key stays valid while its owner is an
 * active customer admin of that (active) company; a staff key while its owner is an active
 * administrator: deactivating or demoting the owner stops their keys.
 */
export const apiKeyByPrefix = statement<ApiKeyAuthRow, { prefix: string; now: string }>(
  "api_key.by_prefix",
  sql`select k.id, k.prefix, k.name, k.hash, k.scopes, k.role, k.company_id, k.expires_at,
        coalesce(k.expires_at <= ${p("now")}::timestamptz, false) as expired,
        k.revoked_at is not null as revoked,
        (u.active and coalesce(c.active, true) and u.company_id is not distinct from k.company_id
          and u.role = case when k.company_id is null then 'admin'::user_role else 'customer_admin'::user_role end) as owner_valid,
        u.id as owner_id, u.email as owner_email, u.name as owner_name,
        k.rate_limit_per_minute, k.rate_limit_burst
      from api_keys k
      join users u on u.id = k.created_by
      left join companies c on c.id = k.company_id
      where k.prefix = ${p("prefix")}::text`,
);
