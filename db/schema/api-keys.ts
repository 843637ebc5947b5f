import { sql } from "drizzle-orm";
import { boolean, check, customType, index, integer, interval, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { companies, userRole, users } from "./accounts";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

// Keys of the integration API (issue 12). The key text `ok_<prefix>_<secret>` is shown once, when
// it is made; the row keeps the prefix (to find the row) and the SHA-256 of the secret (to check
// it). The secret is 32 random bytes, so a fast hash is enough: there is nothing to guess.
// Scopes are checked by lib/api-v1/auth.ts on top of the role the key acts with.
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    hash: bytea("hash").notNull(),
    scopes: text("scopes").array().notNull(),
    // A customer key acts for its company as a buyer; a staff key (no company) as the role an administrator chose.
    companyId: uuid("company_id").references(() => companies.id, { onDelete: "restrict" }),
    role: userRole("role").notNull(),
    // The key's owner: its requests are attributed to this user (and the key) in the audit trail.
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    // Moved at most once a minute (by the rate limiter's statement), not on every request.
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "set null" }),
    // Null: the defaults of lib/env.ts (API_RATE_LIMIT_PER_MINUTE, API_RATE_LIMIT_BURST).
    rateLimitPerMinute: integer("rate_limit_per_minute"),
    rateLimitBurst: integer("rate_limit_burst"),
  },
  (t) => [
    uniqueIndex("api_keys_prefix_key").on(t.prefix),
    index("api_keys_company_id_idx").on(t.companyId, t.createdAt),
    index("api_keys_created_by_idx").on(t.createdBy),
    index("api_keys_revoked_by_idx").on(t.revokedBy),
    check("api_keys_prefix_check", sql`${t.prefix} ~ '^[0-9A-Za-z]{12}$'`),
    check("api_keys_hash_check", sql`octet_length(${t.hash}) = 32`),
    check(
      "api_keys_scopes_check",
      sql`cardinality(${t.scopes}) between 1 and 7 and ${t.scopes} <@ array['catalog:read', 'orders:read', 'orders:write', 'invoices:read', 'payments:read', 'payments:write', 'webhooks:manage']::text[]`,
    ),
    // Customer keys act as buyers of their company; staff keys as sales, finance or admin.
    check("api_keys_role_check", sql`case when ${t.companyId} is null then ${t.role} in ('sales', 'finance', 'admin') else ${t.role} = 'buyer' end`),
    check("api_keys_name_check", sql`length(${t.name}) between 1 and 100`),
    check("api_keys_expiry_check", sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.createdAt}`),
    check("api_keys_revoked_check", sql`${t.revokedAt} is not null or ${t.revokedBy} is null`),
    check(
      "api_keys_rate_limit_check",
      sql`(${t.rateLimitPerMinute} is null or ${t.rateLimitPerMinute} between 1 and 100000) and (${t.rateLimitBurst} is null or ${t.rateLimitBurst} between 1 and 10000)`,
    ),
  ],
);

// GCRA buckets of the API rate limiter (lib/api-v1/rate-limit.ts): one row per key or client IP,
// holding its theoretical arrival time. UNLOGGED (set in the migration; drizzle has no word for
// it): no WAL for a write on every request; after a crash the table is empty, which only
// forgives the budgets in use at that moment.
export const rateLimitBuckets = pgTable(
  "rate_limit_buckets",
  {
    bucket: text("bucket").primaryKey(),
    tat: timestamp("tat", { withTimezone: true }).notNull(),
    // The policy of the last request (the emission interval and the burst), and its decision.
    period: interval("period").notNull(),
    burst: integer("burst").notNull(),
    allowed: boolean("allowed").notNull(),
    seenAt: timestamp("seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("rate_limit_buckets_tat_idx").on(t.tat), check("rate_limit_buckets_burst_check", sql`${t.burst} >= 1`)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type NewApiKey = typeof apiKeys.$inferInsert;
