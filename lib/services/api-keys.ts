import "server-only";
import { createHash, randomInt } from "node:crypto";
import { z } from "zod";
import { countLiveCompanyKeys, insertApiKey, lockApiKey, setApiKeyLimits as updateApiKeyLimits, setApiKeyRevoked, type ApiKeySummary } from "@/db/queries/api-keys";
import { apiScopes, base62, formatApiKey, KEY_PREFIX_LENGTH, KEY_SECRET_LENGTH, keyLifetimes, staffKeyRoles, type ApiScope } from "@/lib/domain/api-keys";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { requiredText, uuidField } from "@/lib/domain/forms";
import { defineMutation, type MutationContext } from "@/lib/mutation";

// API keys (issue 12): a customer admin makes keys for their company (they act as buyers), an
// administrator makes staff keys acting as sales, finance or admin, and revokes any key. The key
// text is returned once, by the create call, and never stored: the row keeps the prefix and the
// SHA-256 of the secret. Creating is not idempotent on purpose: an idempotency record keeps the
// result for replays, and this result is the secret (the submit button guards double clicks).

/** Live keys a company (or the staff, together) may hold: a leak is then contained to a list someone can read. */
export const MAX_LIVE_KEYS = 25;

const scopesField = z.preprocess(
  (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]),
  z
    .array(z.enum(apiScopes, { error: "Choose scopes from the list." }), { error: "Choose at least one scope." })
    .min(1, "Choose at least one scope.")
    .max(apiScopes.length)
    .transform((s) => [...new Set(s)].sort() as ApiScope[]),
);

const lifetimeField = z.enum(keyLifetimes, { error: "Choose how long the key lives." }).default("90");

const optionalLimit = (label: string, max: number) =>
  z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? null : typeof v === "string" ? Number(v.trim()) : v),
    z
      .number({ error: `${label}: enter a whole number.` })
      .int(`${label}: enter a whole number.`)
      .min(1, `${label}: at least 1.`)
      .max(max, `${label}: at most ${max.toLocaleString("en")}.`)
      .nullable(),
  );

const companyKeyInput = z.object({ name: requiredText("Name", 100), scopes: scopesField, lifetimeDays: lifetimeField });
const staffKeyInput = companyKeyInput.extend({
  role: z.enum(staffKeyRoles, { error: "Choose the role the key acts with." }),
  rateLimitPerMinute: optionalLimit("Requests per minute", 100_000),
  rateLimitBurst: optionalLimit("Burst", 10_000),
});

export type CreatedApiKey = ApiKeySummary & { key: string };

/** A new key: the text (shown once) and the row's prefix and hash. */
export function newKeyMaterial(): { key: string; prefix: string; hash: Buffer } {
  const prefix = base62(KEY_PREFIX_LENGTH, randomInt);
  const secret = base62(KEY_SECRET_LENGTH, randomInt);
  return { key: formatApiKey(prefix, secret), prefix, hash: createHash("sha256").update(secret, "utf8").digest() };
}

/** Keys are managed by people in the app, never by another key. */
function refuseKeyCallers(ctx: MutationContext) {
  if (ctx.actor.apiKeyId) throw new DomainError("forbidden", "API keys are managed in the app, not with an API key.");
}

async function create(
  ctx: MutationContext,
  input: z.output<typeof companyKeyInput> & { role: ApiKeySummary["role"]; companyId: string | null; rateLimitPerMinute?: number | null; rateLimitBurst?: number | null },
): Promise<CreatedApiKey> {
  refuseKeyCallers(ctx);
  if ((await countLiveCompanyKeys(ctx.tx, input.companyId)) >= MAX_LIVE_KEYS) {
    throw fieldError("name", `At most ${MAX_LIVE_KEYS} keys can be live at once: revoke one you no longer use first.`);
  }
  const now = new Date();
  const material = newKeyMaterial();
  const row = await insertApiKey(ctx.tx, {
    name: input.name,
    prefix: material.prefix,
    hash: material.hash,
    scopes: input.scopes,
    role: input.role,
    companyId: input.companyId,
    createdBy: ctx.actor.id,
    createdAt: now,
    expiresAt: input.lifetimeDays ? new Date(now.getTime() + Number(input.lifetimeDays) * 86_400_000) : null,
    rateLimitPerMinute: input.rateLimitPerMinute ?? null,
    rateLimitBurst: input.rateLimitBurst ?? null,
  });
  await ctx.audit({
    action: "api_key.create",
    entityType: "api_key",
    entityId: row.id,
    companyId: row.companyId,
    after: {
      name: row.name,
      prefix: row.prefix,
      scopes: row.scopes.join(" "),
      role: row.role,
      expiresAt: row.expiresAt,
      rateLimitPerMinute: row.rateLimitPerMinute,
      rateLimitBurst: row.rateLimitBurst,
    },
  });
  // The owner (and a company's customer admins) hear of it: never the key itself, its name and prefix only.
  await ctx.emit({
    type: "security.api_key_created",
    companyId: row.companyId,
    data: {
      apiKeyId: row.id,
      name: row.name,
      prefix: row.prefix,
      role: row.role,
      scopes: row.scopes.join(" "),
      expiresAt: row.expiresAt,
      createdBy: ctx.actor.id,
      createdByName: ctx.actor.name,
    },
  });
  return { ...row, key: material.key };
}

/** A customer admin makes a key for their own company; it acts as a buyer of that company. */
export const createCompanyApiKey = defineMutation({
  name: "api_key.create",
  entityType: "api_key",
  permission: "api_keys.manage_own_company",
  input: companyKeyInput,
  async run(ctx, input) {
    if (!ctx.actor.companyId) throw new DomainError("forbidden", "You are not allowed to do this.");
    return create(ctx, { ...input, role: "buyer", companyId: ctx.actor.companyId });
  },
});

/** An administrator makes a staff key acting as sales, finance or admin, with its own rate limits if given. */
export const createStaffApiKey = defineMutation({
  name: "api_key.create",
  entityType: "api_key",
  permission: "api_keys.manage",
  input: staffKeyInput,
  async run(ctx, input) {
    return create(ctx, { ...input, companyId: null });
  },
});

async function revoke(ctx: MutationContext, id: string, scope: { companyId: string } | "any") {
  refuseKeyCallers(ctx);
  const key = await lockApiKey(ctx.tx, id, scope);
  if (!key) throw notFound("API key", { entityType: "api_key", entityId: id });
  if (key.revokedAt) throw new DomainError("conflict", "This key was already revoked.");
  const now = new Date();
  await setApiKeyRevoked(ctx.tx, key.id, ctx.actor.id, now);
  await ctx.audit({
    action: "api_key.revoke",
    entityType: "api_key",
    entityId: key.id,
    companyId: key.companyId,
    before: { revokedAt: null },
    after: { revokedAt: now, name: key.name, prefix: key.prefix },
  });
  return { id: key.id, name: key.name, prefix: key.prefix, revokedAt: now };
}

/** A customer admin revokes one of their company's keys (another company's is "not found"). */
export const revokeCompanyApiKey = defineMutation({
  name: "api_key.revoke",
  entityType: "api_key",
  permission: "api_keys.manage_own_company",
  input: z.object({ id: uuidField("key") }),
  async run(ctx, input) {
    if (!ctx.actor.companyId) throw new DomainError("forbidden", "You are not allowed to do this.");
    return revoke(ctx, input.id, { companyId: ctx.actor.companyId });
  },
});

/** An administrator revokes any key, staff or customer. */
export const revokeApiKey = defineMutation({
  name: "api_key.revoke",
  entityType: "api_key",
  permission: "api_keys.manage",
  input: z.object({ id: uuidField("key") }),
  async run(ctx, input) {
    return revoke(ctx, input.id, "any");
  },
});

/**
 * An administrator sets a key's own rate limit (any key: a customer may ask for more), or clears
 * it back to the defaults of lib/env.ts with empty fields. Takes effect from the key's next request.
 */
export const setApiKeyLimits = defineMutation({
  name: "api_key.set_limits",
  entityType: "api_key",
  permission: "api_keys.manage",
  input: z.object({
    id: uuidField("key"),
    rateLimitPerMinute: optionalLimit("Requests per minute", 100_000),
    rateLimitBurst: optionalLimit("Burst", 10_000),
  }),
  async run(ctx, input) {
    refuseKeyCallers(ctx);
    const key = await lockApiKey(ctx.tx, input.id, "any");
    if (!key) throw notFound("API key", { entityType: "api_key", entityId: input.id });
    if (key.revokedAt) throw new DomainError("conflict", "This key is revoked: its limits no longer matter.");
    await updateApiKeyLimits(ctx.tx, key.id, { rateLimitPerMinute: input.rateLimitPerMinute, rateLimitBurst: input.rateLimitBurst });
    await ctx.audit({
      action: "api_key.set_limits",
      entityType: "api_key",
      entityId: key.id,
      companyId: key.companyId,
      before: { rateLimitPerMinute: key.rateLimitPerMinute, rateLimitBurst: key.rateLimitBurst },
      after: { rateLimitPerMinute: input.rateLimitPerMinute, rateLimitBurst: input.rateLimitBurst },
    });
    return { id: key.id, name: key.name, rateLimitPerMinute: input.rateLimitPerMinute, rateLimitBurst: input.rateLimitBurst };
  },
});
