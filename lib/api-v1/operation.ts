import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import type { ApiScope } from "@/lib/domain/api-keys";
import type { ErrorCode } from "@/lib/domain/errors";
import { json } from "@/lib/http/json";
import { readLimited, utf8 } from "@/lib/http/read-limited";
import type { Tx } from "@/db/client";
import { runMutation, type Mutation } from "@/lib/mutation";
import { PdfRenderError } from "@/lib/pdf/render";
import { apiV1, type ApiContext } from "./auth";
import { problem, type ProblemCode } from "./problem";

// One /api/v1 operation = one object: its method and path, the scope it needs, the zod schemas
// of its path parameters, query, body and responses, and its handler. The route file exports
// `routeHandler(op)`; the OpenAPI document (lib/api-v1/openapi.ts) is generated from the same
// objects (lib/api-v1/operations/index.ts lists them), so the schema that validates a request is
// the schema the spec publishes, and the contract test walks the same list.

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type ResponseSpec = {
  description: string;
  /** The JSON body (wire format: amounts and big numbers as strings, instants as ISO strings). */
  schema?: z.ZodType;
  /** Default application/json; e.g. application/pdf for a document (no schema then). */
  contentType?: string;
  example?: unknown;
};

type Schema = z.ZodType<unknown, Record<string, unknown>> | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export type OperationContext<P extends Schema, Q extends Schema, B extends Schema> = ApiContext & {
  /** The HTTP request (`request` is the request context: id, IP, user agent). */
  http: Request;
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  /** The Idempotency-Key header (validated when present), for runApiMutation. */
  idempotencyKey: string | null;
};

export type ApiOperation<P extends Schema = Schema, Q extends Schema = Schema, B extends Schema = Schema> = {
  /** OpenAPI operationId, camelCase and unique: listOrders, getInvoicePdf … */
  operationId: string;
  method: HttpMethod;
  /** Path under /api/v1 in OpenAPI form: "/orders/{id}". The route file lives at the same path. */
  path: string;
  /** OpenAPI tag (the reference page's section): "Catalogue", "Orders" … */
  tag: string;
  summary: string;
  description?: string;
  /** The scope the key needs; null: any valid key. */
  scope: ApiScope | null;
  params?: P;
  query?: Q;
  /** JSON request body (POST/PUT/PATCH). Omitted: no body is read. */
  body?: B;
  /** The body may be left out (no content-type, no bytes): `body` then parses `{}` (fields added to a bodiless POST). */
  bodyOptional?: boolean;
  /** An example request body; the contract test checks it against `body`. */
  requestExample?: unknown;
  /**
   * POST only. "required": the request must carry an Idempotency-Key (creates an order, records a
   * payment). Otherwise a key sent is honoured all the same (runApiMutation).
   */
  idempotency?: "required";
  /** Success and the errors particular to this operation (the common ones are added by the spec). */
  responses: Record<number, ResponseSpec>;
  /**
   * A write that answers with the whole resource may offer a receipt instead: the schema of its
   * success answer under `Prefer: return=minimal` (RFC 7240), built from what the mutation returned,
   * without reading the resource back. The spec publishes the success schema as either.
   */
  receipt?: z.ZodType;
  /**
   * GET only: the Cache-Control of a 200 or 304 answer. Default `private, no-cache` (revalidate
   * by ETag); a resource whose URL changes with its content (a product image) may be `immutable`.
   */
  cacheControl?: string;
  /** `null`: not found for this caller (404, revealing nothing). */
  handle(ctx: OperationContext<P, Q, B>): Promise<Response | null>;
};

/** Any operation (the list in operations.ts). */
export type AnyOperation = ApiOperation<Schema, Schema, Schema>;

export function defineOperation<P extends Schema = undefined, Q extends Schema = undefined, B extends Schema = undefined>(op: ApiOperation<P, Q, B>): ApiOperation<P, Q, B> {
  return op;
}

export const MAX_API_BODY_BYTES = 2 * 1024 * 1024;

const idempotencyKeyHeader = z
  .string()
  .trim()
  .min(8, "Idempotency-Key holds 8 to 200 characters.")
  .max(200, "Idempotency-Key holds 8 to 200 characters.")
  .regex(/^[A-Za-z0-9_.:-]+$/, "Idempotency-Key may hold letters, digits and -_.: only.");

/** A zod failure as a validation problem with per-field errors (`errors`), as every v1 answer has it. */
export function validationProblem(error: z.ZodError, where: "query" | "path" | "body"): Response {
  const flat = z.flattenError(error);
  const first = flat.formErrors[0] ?? Object.entries(flat.fieldErrors).map(([k, v]) => `${k}: ${(v as string[])[0]}`)[0];
  return problem("validation_failed", first ?? `The ${where} is not valid.`, { extra: { errors: flat.fieldErrors } });
}

/** Query parameters as a record; a parameter given twice is refused (never silently the first). */
function queryRecord(url: URL): Record<string, string> | string {
  const raw: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (Object.hasOwn(raw, name)) return `Give ${name} once.`;
    raw[name] = value;
  }
  return raw;
}

async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: Response }> {
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    return { ok: false, response: problem("unsupported_media_type", "Send a JSON body with content-type: application/json.") };
  }
  const read = await readLimited(request, MAX_API_BODY_BYTES);
  if (!read.ok) return { ok: false, response: problem("payload_too_large", `The body is larger than ${MAX_API_BODY_BYTES} bytes.`) };
  try {
    return { ok: true, body: JSON.parse(utf8(read.bytes)) };
  } catch {
    return { ok: false, response: problem("invalid_json", "The body is not valid JSON.") };
  }
}

/**
 * ETag for a GET's JSON answer: a digest of the body, so a client that sends If-None-Match with it
 * gets 304 without the body (the data is read either way; it saves the transfer and the client's
 * parsing). Weak, because the same data may serialize differently after an upgrade.
 */
async function withEtag(request: Request, response: Response): Promise<Response> {
  if (response.status !== 200 || !(response.headers.get("content-type") ?? "").includes("json")) return response;
  const body = await response.text();
  const etag = `W/"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = new Headers(response.headers);
  headers.set("etag", etag);
  const ifNoneMatch = request.headers.get("if-none-match");
  const matches = ifNoneMatch !== null && ifNoneMatch.split(",").some((t) => t.trim() === etag || t.trim() === "*");
  if (matches) {
    headers.delete("content-type");
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { status: 200, headers });
}

type RouteParams = { params: Promise<Record<string, string | string[]>> };

/**
 * The route handler for an operation: key, scope and rate limit (apiV1), then path, query,
 * Idempotency-Key and body validated by the operation's schemas, then the handler. GETs answer
 * with an ETag and `cache-control: private, no-cache` (or the operation's cacheControl); everything
 * else is no-store.
 */
export function routeHandler<P extends Schema, Q extends Schema, B extends Schema>(op: ApiOperation<P, Q, B>) {
  return async (request: Request, route: RouteParams = { params: Promise.resolve({}) }): Promise<Response> => {
    const response = await apiV1(request, op.scope, async (ctx) => {
      const rawParams = await route.params;
      const params = op.params ? op.params.safeParse(rawParams) : { success: true as const, data: undefined };
      // A malformed id is "no such resource", like an unknown one.
      if (!params.success) return problem("not_found", "Not found.");
      const raw = queryRecord(ctx.url);
      if (typeof raw === "string") return problem("validation_failed", raw);
      const query = op.query ? op.query.safeParse(raw) : { success: true as const, data: undefined };
      if (!query.success) return validationProblem(query.error, "query");

      const keyHeader = request.headers.get("idempotency-key");
      let idempotencyKey: string | null = null;
      if (keyHeader !== null) {
        const parsedKey = idempotencyKeyHeader.safeParse(keyHeader);
        if (!parsedKey.success) return problem("validation_failed", parsedKey.error.issues[0]!.message, { extra: { errors: { "Idempotency-Key": [parsedKey.error.issues[0]!.message] } } });
        idempotencyKey = parsedKey.data;
      } else if (op.idempotency === "required") {
        return problem("idempotency_key_required", "Send an Idempotency-Key header (8 to 200 characters, e.g. a UUID): retrying with the same key never does the work twice.");
      }

      let body: unknown = undefined;
      const bodiless = op.bodyOptional && !request.headers.get("content-type") && (request.headers.get("content-length") ?? "0") === "0";
      if (op.body && bodiless) {
        const parsed = op.body.safeParse({});
        if (!parsed.success) return validationProblem(parsed.error, "body");
        body = parsed.data;
      } else if (op.body) {
        const read = await readJsonBody(request);
        if (!read.ok) return read.response;
        const parsed = op.body.safeParse(read.body);
        if (!parsed.success) return validationProblem(parsed.error, "body");
        body = parsed.data;
      }
      return op.handle({ ...ctx, http: request, params: params.data as Out<P>, query: query.data as Out<Q>, body: body as Out<B>, idempotencyKey });
    });
    if (op.method !== "GET") return response;
    const tagged = await withEtag(request, response);
    if (tagged.status === 200 || tagged.status === 304) tagged.headers.set("cache-control", op.cacheControl ?? "private, no-cache");
    return tagged;
  };
}

const problemOfError: Record<ErrorCode, ProblemCode> = {
  validation_failed: "validation_failed",
  unauthenticated: "unauthenticated",
  forbidden: "forbidden",
  not_found: "not_found",
  conflict: "conflict",
  idempotency_key_reused: "idempotency_key_reused",
  idempotency_in_progress: "idempotency_in_progress",
  quotation_expired: "quotation_expired",
  throttled: "rate_limited",
  internal: "internal",
};

/**
 * Runs a mutation (lib/mutation.ts, the same path as the forms) as the key's actor, with the
 * request's Idempotency-Key scoped to the API key, and answers: `onSuccess(data)` or the
 * mutation's error as problem+json (`errors` holding the field errors).
 */
export async function runApiMutation<S extends z.ZodType, T, R = never>(
  ctx: Pick<OperationContext<Schema, Schema, Schema>, "actor" | "key" | "request" | "idempotencyKey">,
  def: Mutation<S, T>,
  input: unknown,
  onSuccess: (data: T, read: NoInfer<R> | undefined) => Response | Promise<Response>,
  /** What the answer shows, read inside the mutation's transaction (see runMutation's readBack); absent on a replay. */
  readBack?: (tx: Tx, data: T) => Promise<R>,
): Promise<Response> {
  const result = await runMutation(def, { actor: ctx.actor, request: ctx.request, idempotencyKey: ctx.idempotencyKey, idempotencyScope: `key:${ctx.key.id}` }, input, { readBack });
  if (result.ok) return onSuccess(result.data, result.read as R | undefined);
  const extra: Record<string, unknown> = {};
  if (result.fieldErrors) extra.errors = result.fieldErrors;
  if (result.requestId) extra.requestId = result.requestId;
  const headers: Record<string, string> = result.code === "idempotency_in_progress" || result.code === "conflict" ? { "retry-after": "1" } : {};
  return problem(problemOfError[result.code], result.error, { extra, headers });
}

/** A PDF answer for /api/v1 (quotation, invoice, credit note), or the pool's 503 when it is saturated. */
export async function pdfResponse(render: () => Promise<{ filename: string; pdf: Buffer } | null>): Promise<Response | null> {
  try {
    const doc = await render();
    if (!doc) return null;
    return new Response(new Uint8Array(doc.pdf), {
      status: 200,
      headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${doc.filename}"`, "content-length": String(doc.pdf.length) },
    });
  } catch (error) {
    if (error instanceof PdfRenderError && error.code === "queue_full") return problem("busy", "Many documents are being prepared right now. Try again in a few seconds.", { headers: { "retry-after": "5" } });
    throw error;
  }
}

/**
 * RFC 7240: does the request ask for `return=minimal`? (Prefer may list several preferences, in one
 * header or several, each possibly with parameters; an unknown one is ignored, as the RFC says.)
 */
export function prefersMinimal(request: Request): boolean {
  const header = request.headers.get("prefer");
  if (!header) return false;
  return header.split(",").some((preference) => preference.split(";")[0]!.replace(/\s+/g, "").toLowerCase() === "return=minimal");
}

/** The receipt answer of a write done under `Prefer: return=minimal`: says so in Preference-Applied. */
export function receiptResponse(body: unknown, status: 200 | 201, headers: Record<string, string> = {}): Response {
  return json(body, status, { "preference-applied": "return=minimal", ...headers });
}

/** 200/201 JSON (bigints as strings). */
export const ok = (body: unknown, status: 200 | 201 = 200, headers: Record<string, string> = {}) => json(body, status, headers);
