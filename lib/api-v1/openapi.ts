import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { apiScopes } from "@/lib/domain/api-keys";
import type { AnyOperation } from "./operation";
import { operations } from "./operations";
import { problemCodes, problemStatus, problemType, type ProblemCode } from "./problem";

// The OpenAPI 3.1 document of /api/v1, generated from lib/api-v1/operations.ts: the zod schemas
// that validate each request (io "input": what a client sends) and describe each answer (io
// "output") become JSON Schema draft 2020-12 with zod's own z.toJSONSchema, which is OpenAPI 3.1's
// schema dialect, so nothing is translated by hand. A schema carrying `.meta({ id })` becomes
// components.schemas[id] and is referenced; when its request and response forms differ (a
// transform), the request form is `<id>Input`. Built once per process (the operations are code).

type Json = Record<string, unknown>;
type JsonSchema = Json;

export const OPENAPI_VERSION = "3.1.0";
export const API_VERSION = "1.0.0";

const REF_PREFIX = "#/components/schemas/";

/** Converts one zod schema; its `$defs` (schemas with an id) are returned separately, refs rewritten to components. */
function convert(schema: z.ZodType, io: "input" | "output"): { schema: JsonSchema; defs: Record<string, JsonSchema> } {
  const raw = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  // The dialect is OpenAPI 3.1's own (2020-12 based): no $schema inside the document.
  const { $defs, ...rest } = raw;
  delete rest.$schema;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === "object") {
      const out: Json = {};
      for (const [k, v] of Object.entries(value)) out[k] = k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/") ? REF_PREFIX + v.slice(8) : rewrite(v);
      return out;
    }
    return value;
  };
  const defs: Record<string, JsonSchema> = {};
  for (const [id, def] of Object.entries(($defs ?? {}) as Record<string, JsonSchema>)) defs[id] = rewrite(def) as JsonSchema;
  return { schema: rewrite(rest) as JsonSchema, defs };
}

/** Collects components.schemas across every conversion; a request form that differs from the response form gets `<id>Input`. */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly inputRenames = new Map<string, string>();

  add(schema: z.ZodType, io: "input" | "output"): JsonSchema {
    const { schema: converted, defs } = convert(schema, io);
    const renames = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) {
      const existing = this.schemas[id];
      if (existing === undefined) {
        this.schemas[id] = def;
      } else if (JSON.stringify(existing) !== JSON.stringify(def)) {
        // The same id converted another way: the first one keeps the name (responses are added
        // first), the other direction's is suffixed.
        const alt = `${id}${io === "input" ? "Input" : "Output"}`;
        const prior = this.schemas[alt];
        if (prior !== undefined && JSON.stringify(prior) !== JSON.stringify(def)) throw new Error(`Two different schemas have the OpenAPI id ${id}.`);
        this.schemas[alt] = def;
        renames.set(id, alt);
        if (io === "input") this.inputRenames.set(id, alt);
      }
    }
    if (renames.size === 0) return converted;
    const apply = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(apply);
      if (value && typeof value === "object") {
        const out: Json = {};
        for (const [k, v] of Object.entries(value)) out[k] = k === "$ref" && typeof v === "string" && renames.has(v.slice(REF_PREFIX.length)) ? REF_PREFIX + renames.get(v.slice(REF_PREFIX.length)) : apply(v);
        return out;
      }
      return value;
    };
    for (const alt of renames.values()) this.schemas[alt] = apply(this.schemas[alt]) as JsonSchema;
    return apply(converted) as JsonSchema;
  }
}

const scopeDescriptions: Record<(typeof apiScopes)[number], string> = {
  "catalog:read": "Search the catalogue with your prices and availability.",
  "orders:read": "Read the cart, orders and quotations.",
  "orders:write": "Change the cart, place, accept, decline and cancel orders.",
  "invoices:read": "Read invoices and credit notes and download their PDFs.",
  "payments:read": "Read payments.",
  "payments:write": "Record payments (staff keys: verify, reject and refund them).",
  "webhooks:manage": "Register webhook endpoints and read and replay their deliveries.",
};

const problemSchema: JsonSchema = {
  type: "object",
  description: "RFC 9457 problem details. Switch on `code`: it is stable; `title` and `detail` are for people.",
  properties: {
    type: { type: "string", description: "A URN naming the problem, e.g. urn:orderly:problem:not-found." },
    title: { type: "string" },
    status: { type: "integer", minimum: 400, maximum: 599 },
    detail: { type: "string" },
    code: { type: "string", enum: [...problemCodes], description: "The stable machine-readable code." },
    errors: {
      type: "object",
      description: "Field errors (validation_failed): each field with its messages.",
      additionalProperties: { type: "array", items: { type: "string" } },
    },
    requestId: { type: "string", description: "Quote it when you report an internal error." },
    requiredScope: { type: "string", enum: [...apiScopes], description: "insufficient_scope: the scope the key lacks." },
  },
  required: ["type", "title", "status", "detail", "code"],
};

/** An example problem body (`extra` holds the title and the code's extension members). */
function problemExample(code: ProblemCode, detail: string, extra: Json & { title: string }): Json {
  return { type: problemType(code), status: problemStatus(code), code, detail, ...extra };
}

/** The errors every operation may answer, with the codes each status carries. */
const commonErrors: { status: number; name: string; description: string; codes: ProblemCode[]; example: Json; when: (op: AnyOperation) => boolean }[] = [
  {
    status: 400,
    name: "BadRequest",
    description: "The request is not valid: a query parameter, the body, the Idempotency-Key header, or a missing required Idempotency-Key.",
    codes: ["validation_failed", "invalid_json", "idempotency_key_required"],
    example: problemExample("validation_failed", "limit: limit is at most 100.", { title: "Invalid request", errors: { limit: ["limit is at most 100."] } }),
    when: () => true,
  },
  {
    status: 401,
    name: "Unauthorized",
    description: "No API key, or one that is unknown, expired, revoked or whose owner is no longer active. Carries `WWW-Authenticate: Bearer`.",
    codes: ["unauthenticated", "invalid_api_key", "api_key_expired", "api_key_revoked", "api_key_inactive"],
    example: problemExample("invalid_api_key", "The API key is not valid.", { title: "Invalid API key" }),
    when: () => true,
  },
  {
    status: 403,
    name: "Forbidden",
    description: "The key lacks the operation's scope (`insufficient_scope`, with `requiredScope`), or its role may not do this.",
    codes: ["insufficient_scope", "forbidden"],
    example: problemExample("insufficient_scope", "This API key lacks the scope orders:write.", { title: "Insufficient scope", requiredScope: "orders:write" }),
    when: () => true,
  },
  {
    status: 404,
    name: "NotFound",
    description: "No such resource for this caller (another company's resource is not found, never forbidden).",
    codes: ["not_found"],
    example: problemExample("not_found", "Not found.", { title: "Not found" }),
    when: () => true,
  },
  {
    status: 409,
    name: "Conflict",
    description: "The resource is not in a state that allows this, or a request with the same Idempotency-Key is still running (retry after `Retry-After`).",
    codes: ["conflict", "idempotency_in_progress", "quotation_expired"],
    example: problemExample("idempotency_in_progress", "A request with this Idempotency-Key is still being processed.", { title: "Request in progress" }),
    when: (op) => op.method !== "GET",
  },
  {
    status: 413,
    name: "PayloadTooLarge",
    description: "The body is larger than 2 MiB.",
    codes: ["payload_too_large"],
    example: problemExample("payload_too_large", "The body is larger than 2097152 bytes.", { title: "Payload too large" }),
    when: (op) => op.body !== undefined,
  },
  {
    status: 415,
    name: "UnsupportedMediaType",
    description: "The body is not sent as application/json.",
    codes: ["unsupported_media_type"],
    example: problemExample("unsupported_media_type", "Send a JSON body with content-type: application/json.", { title: "Unsupported media type" }),
    when: (op) => op.body !== undefined,
  },
  {
    status: 422,
    name: "IdempotencyKeyReused",
    description: "The Idempotency-Key was used before with a different request.",
    codes: ["idempotency_key_reused"],
    example: problemExample("idempotency_key_reused", "This Idempotency-Key was used for a different request.", { title: "Idempotency-Key reused" }),
    when: (op) => op.method !== "GET",
  },
  {
    status: 429,
    name: "TooManyRequests",
    description: "Over the key's or the client IP's rate limit: wait `Retry-After` seconds.",
    codes: ["rate_limited"],
    example: problemExample("rate_limited", "Too many requests: try again in 2 s.", { title: "Too many requests" }),
    when: () => true,
  },
  {
    status: 500,
    name: "InternalError",
    description: "Something went wrong on our side; `requestId` identifies it in our logs.",
    codes: ["internal"],
    example: problemExample("internal", "Something went wrong. Reference: 6f1c2b1e-4a51-4f7e-9f7a-0d2a1c3b4e5f", { title: "Internal error", requestId: "6f1c2b1e-4a51-4f7e-9f7a-0d2a1c3b4e5f" }),
    when: () => true,
  },
];

/** The problem statuses an operation may answer besides its own responses (the contract test accepts these). */
export function commonErrorStatuses(op: AnyOperation): number[] {
  return commonErrors.filter((e) => e.when(op)).map((e) => e.status);
}

const rateLimitHeaders = {
  RateLimit: { $ref: "#/components/headers/RateLimit" },
  "RateLimit-Policy": { $ref: "#/components/headers/RateLimitPolicy" },
};

/** Query or path parameters from a zod object schema: one parameter per property. */
function parametersOf(schema: z.ZodType | undefined, where: "query" | "path", components: Components): Json[] {
  if (!schema) return [];
  const converted = components.add(schema, "input");
  const properties = (converted.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === "path" || required.has(name), ...(typeof description === "string" ? { description } : {}), schema: rest };
  });
}

function describeOperation(op: AnyOperation): string {
  const scope = op.scope === null ? "Any valid API key (no scope needed)." : `Scope: \`${op.scope}\`.`;
  const idempotency =
    op.idempotency === "required"
      ? "\n\nRequires an `Idempotency-Key` header: a retry with the same key and body answers the first result and never does the work twice."
      : op.method !== "GET"
        ? "\n\nHonours an `Idempotency-Key` header when sent."
        : "";
  return `${op.description ?? op.summary}\n\n**${scope}**${idempotency}`;
}

function buildOperation(op: AnyOperation, components: Components): Json {
  const responses: Json = {};
  for (const [status, spec] of Object.entries(op.responses).sort(([a], [b]) => Number(a) - Number(b))) {
    const contentType = spec.contentType ?? "application/json";
    const headers: Json = { ...rateLimitHeaders };
    if (op.method === "GET" && Number(status) === 200 && contentType.includes("json")) headers.ETag = { $ref: "#/components/headers/ETag" };
    const content: Json = {};
    const success = Number(status) >= 200 && Number(status) < 300;
    // With a receipt the success answer is the resource or, under Prefer: return=minimal, the receipt.
    const schema = spec.schema && op.receipt && success ? { anyOf: [components.add(spec.schema, "output"), components.add(op.receipt, "output")] } : spec.schema ? components.add(spec.schema, "output") : null;
    if (op.receipt && success) headers["Preference-Applied"] = { $ref: "#/components/headers/PreferenceApplied" };
    if (schema) content[contentType] = { schema, ...(spec.example !== undefined ? { example: spec.example } : {}) };
    else if (contentType !== "application/json") content[contentType] = { schema: { type: "string", contentMediaType: contentType, contentEncoding: "binary" } };
    responses[status] = { description: spec.description, headers, ...(Object.keys(content).length ? { content } : {}) };
  }
  if (op.method === "GET" && responses["304"] === undefined && Object.values(op.responses).some((r) => (r.contentType ?? "application/json").includes("json"))) {
    responses["304"] = { $ref: "#/components/responses/NotModified" };
  }
  for (const error of commonErrors) {
    if (error.when(op) && responses[String(error.status)] === undefined) responses[String(error.status)] = { $ref: `#/components/responses/${error.name}` };
  }

  const parameters: Json[] = [...parametersOf(op.params, "path", components), ...parametersOf(op.query, "query", components)];
  if (op.method === "GET") parameters.push({ $ref: "#/components/parameters/IfNoneMatch" });
  else parameters.push({ $ref: op.idempotency === "required" ? "#/components/parameters/IdempotencyKeyRequired" : "#/components/parameters/IdempotencyKey" });
  if (op.receipt) parameters.push({ $ref: "#/components/parameters/Prefer" });

  const operation: Json = {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    description: describeOperation(op),
    security: [{ apiKey: op.scope === null ? [] : [op.scope] }],
    "x-required-scope": op.scope,
    parameters,
  };
  if (op.body) {
    operation.requestBody = {
      required: !op.bodyOptional,
      content: { "application/json": { schema: components.add(op.body, "input"), ...(op.requestExample !== undefined ? { example: op.requestExample } : {}) } },
    };
  }
  operation.responses = responses;
  return operation;
}

const intro = `The Orderly B2B ordering API: the catalogue with your prices, carts, orders and quotations, invoices, credit notes and payments, and signed webhooks, over the same rules as the web portal.

**Authentication.** Send an API key as \`Authorization: Bearer ok_<prefix>_<secret>\`. Customer administrators create keys under Account → API keys (a key acts as a buyer of the company); administrators create staff keys under Admin → API keys (a key acts with the role chosen). Each operation names the scope it needs.

**Errors** are RFC 9457 \`application/problem+json\` with a stable \`code\`.

**Rate limits** apply per key and per client IP; every answer carries the IETF \`RateLimit\` and \`RateLimit-Policy\` headers, and a 429 \`Retry-After\`.

**Idempotency.** POSTs that place orders or record money require an \`Idempotency-Key\` header (8 to 200 characters, e.g. a UUID); every other change honours one when sent. A retry with the same key answers the first result.

**Lists** answer \`{ data, nextCursor }\`: pass \`nextCursor\` as \`cursor\` for the next page (\`limit\` 1 to 100).

**Caching.** JSON GETs answer with an \`ETag\`; send it back as \`If-None-Match\` to get \`304 Not Modified\`.`;

/** Builds the document (see openApiDocument for the memoized one). */
export function buildOpenApiDocument(ops: readonly AnyOperation[] = operations): Json {
  const components = new Components();
  const paths: Record<string, Json> = {};
  const tags: string[] = [];
  const seenIds = new Set<string>();
  // Every response schema first, so a component keeps its plain name in the response (output)
  // form and a request form that differs is the one suffixed (conversion is deterministic: the
  // second add of the same schema finds it equal).
  for (const op of ops) for (const spec of Object.values(op.responses)) if (spec.schema) components.add(spec.schema, "output");
  const built = new Map<AnyOperation, Json>();
  for (const op of ops) {
    if (seenIds.has(op.operationId)) throw new Error(`Duplicate operationId ${op.operationId}.`);
    seenIds.add(op.operationId);
    if (!tags.includes(op.tag)) tags.push(op.tag);
    built.set(op, buildOperation(op, components));
  }
  for (const op of ops) {
    const item = (paths[op.path] ??= {});
    const method = op.method.toLowerCase();
    if (item[method] !== undefined) throw new Error(`Two operations for ${op.method} ${op.path}.`);
    item[method] = built.get(op);
  }

  const responses: Json = {
    NotModified: { description: "Not modified: the If-None-Match ETag is still current (no body).", headers: { ETag: { $ref: "#/components/headers/ETag" }, ...rateLimitHeaders } },
  };
  for (const error of commonErrors) {
    const headers: Json = { ...rateLimitHeaders };
    if (error.status === 429 || error.status === 409) headers["Retry-After"] = { $ref: "#/components/headers/RetryAfter" };
    if (error.status === 401 || error.status === 403) headers["WWW-Authenticate"] = { description: "RFC 6750: `Bearer realm=\"api\"`, with `error=\"invalid_token\"` or `error=\"insufficient_scope\"`.", schema: { type: "string" } };
    responses[error.name] = {
      description: `${error.description} Codes: ${error.codes.map((c) => `\`${c}\``).join(", ")}.`,
      headers,
      content: { "application/problem+json": { schema: { $ref: `${REF_PREFIX}Problem` }, example: error.example } },
    };
  }

  return {
    openapi: OPENAPI_VERSION,
    info: { title: "Orderly B2B API", version: API_VERSION, description: intro },
    servers: [{ url: "/api/v1", description: "This server" }],
    security: [{ apiKey: [] }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "ok_<prefix>_<secret>",
          description: `An API key. Scopes (listed per operation under security): ${apiScopes.map((s) => `\`${s}\` (${scopeDescriptions[s]})`).join(", ")}.`,
        },
      },
      schemas: { ...components.schemas, Problem: problemSchema },
      responses,
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "Optional: a retry with the same key (scoped to your API key) answers the first result instead of doing the work again.",
          schema: { type: "string", minLength: 8, maxLength: 200, pattern: "^[A-Za-z0-9_.:-]+$" },
          example: "2f0c7d1e-8a4b-4f6e-9c3d-5b1a7e9f0d21",
        },
        IdempotencyKeyRequired: {
          name: "Idempotency-Key",
          in: "header",
          required: true,
          description: "Required: a retry with the same key (scoped to your API key) answers the first result and never does the work twice.",
          schema: { type: "string", minLength: 8, maxLength: 200, pattern: "^[A-Za-z0-9_.:-]+$" },
          example: "2f0c7d1e-8a4b-4f6e-9c3d-5b1a7e9f0d21",
        },
        Prefer: {
          name: "Prefer",
          in: "header",
          required: false,
          description: "RFC 7240. `return=minimal`: answer with a receipt (ids, number, status, total) instead of the whole resource, saving its read; GET the resource when you need it. Default: `return=representation`.",
          schema: { type: "string" },
          example: "return=minimal",
        },
        IfNoneMatch: {
          name: "If-None-Match",
          in: "header",
          required: false,
          description: "The ETag of an earlier answer: 304 without a body when it is still current.",
          schema: { type: "string" },
        },
      },
      headers: {
        RateLimit: {
          description: "draft-ietf-httpapi-ratelimit-headers: remaining requests (r) and seconds until full (t) per policy.",
          schema: { type: "string" },
          example: '"key";r=59;t=1, "ip";r=299;t=1',
        },
        RateLimitPolicy: {
          description: "draft-ietf-httpapi-ratelimit-headers: each policy's quota (q, the burst) and window (w, seconds to refill it).",
          schema: { type: "string" },
          example: '"key";q=60;w=6, "ip";q=300;w=10',
        },
        PreferenceApplied: { description: "RFC 7240: `return=minimal` when the answer is the receipt.", schema: { type: "string" }, example: "return=minimal" },
        RetryAfter: { description: "Seconds to wait before retrying.", schema: { type: "integer", minimum: 0 } },
        ETag: { description: "A weak validator of the JSON answer; send it as If-None-Match.", schema: { type: "string" }, example: 'W/"Jq3nD0nH8Xh2cQ3vB9f1rT6yK0sL4aP"' },
      },
    },
  };
}

let cached: { document: Json; body: string; etag: string } | null = null;

/** The document, its serialized JSON and a strong ETag of it, built on first use and kept for the process. */
export function openApiDocument(): { document: Json; body: string; etag: string } {
  if (!cached) {
    const document = buildOpenApiDocument();
    const body = JSON.stringify(document);
    cached = { document, body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
  }
  return cached;
}
