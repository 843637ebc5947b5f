import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Actor, RequestContext } from "@/lib/domain/actor";
import { DomainError, type ErrorCode } from "@/lib/domain/errors";
import { can, type Permission } from "@/lib/domain/permissions";
import { isCustomerRole } from "@/lib/domain/roles";
import { apiError, json } from "@/lib/http/json";
import { readLimited, utf8 } from "@/lib/http/read-limited";
import { logger } from "@/lib/logger";
import { runMutation, type Mutation } from "@/lib/mutation";
import { requestContextFrom } from "@/lib/request-context";
import { getActor } from "@/lib/session";
import { PdfRenderError } from "@/lib/pdf/render";

// JSON API for mutations: the same services as the forms, with the idempotency key from the
// `Idempotency-Key` header. Signed-in sessions only (the session cookie); a JSON content type is
// required, so another site cannot post here with a plain HTML form (a cross-site JSON request
// needs a CORS preflight, which this app never grants).

const statusOf: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  quotation_expired: 409,
  throttled: 429,
  internal: 500,
};

export const MAX_JSON_BYTES = 12 * 1024 * 1024;

/**
 * Runs `def` for a JSON request: 415 without a JSON body, 400 for unreadable JSON, then the
 * mutation's typed result (`{ ok, data }` or `{ ok: false, code, error, fieldErrors? }`) with an
 * HTTP status that matches its code. `toInput` shapes the body (and route params) into the input.
 */
export async function mutationResponse<S extends z.ZodType, T>(
  request: Request,
  def: Mutation<S, T>,
  toInput: (body: Record<string, unknown>) => unknown = (body) => body,
): Promise<Response> {
  // Who asks comes first: an anonymous request is answered before its body is read.
  const actor = await getActor();
  if (!actor) return json({ ok: false, code: "unauthenticated", error: "Your session has ended. Sign in again." }, 401);
  if (!(request.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    return json({ ok: false, code: "unsupported_media_type", error: "Send a JSON body with content-type application/json." }, 415);
  }
  // Counted while it streams: a missing or lying Content-Length cannot make us buffer more than this.
  const read = await readLimited(request, MAX_JSON_BYTES);
  if (!read.ok) return json({ ok: false, code: "payload_too_large", error: "The body is too large." }, 413);
  let body: unknown;
  try {
    body = JSON.parse(utf8(read.bytes));
  } catch {
    return json({ ok: false, code: "invalid_json", error: "The body is not valid JSON." }, 400);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return json({ ok: false, code: "invalid_json", error: "The body must be a JSON object." }, 400);
  }
  const result = await runMutation(
    def,
    { actor, request: requestContextFrom(request.headers, randomUUID()), idempotencyKey: request.headers.get("idempotency-key") },
    toInput(body as Record<string, unknown>),
  );
  return json(result, result.ok ? 200 : statusOf[result.code]);
}

// ---- the GET side ----

const NO_STORE = "no-store";

const unauthenticated = () => apiError("unauthenticated", "Your session has ended. Sign in again.", statusOf.unauthenticated);
const forbidden = () => apiError("forbidden", "You are not allowed to do this.", statusOf.forbidden);
const notFound = () => apiError("not_found", "Not found.", statusOf.not_found);

/**
 * Who may call a GET handler: staff holding `permission`, or (customerOrPermission) also any
 * signed-in customer, whose data the handler's query scopes to their own company.
 */
export type GetAccess = { permission: Permission } | { customerOrPermission: Permission };

export type GetContext = { actor: Actor; request: RequestContext; url: URL };

/**
 * The one path every GET route handler takes: actor (401), permission (403), the handler, whose
 * `null` means "not found for this actor" (404, revealing nothing), and unexpected errors (500
 * with a reference, logged with the request id, never a stack trace). Every answer, the file or the
 * error, is `cache-control: no-store`: these are private documents and change with every payment.
 */
export async function withGet(request: Request, access: GetAccess, handler: (ctx: GetContext) => Promise<Response | null>): Promise<Response> {
  const ctx = { request: requestContextFrom(request.headers, randomUUID()), url: new URL(request.url) };
  try {
    const actor = await getActor();
    if (!actor) return unauthenticated();
    const allowed = "permission" in access ? can(actor.role, access.permission) : isCustomerRole(actor.role) || can(actor.role, access.customerOrPermission);
    if (!allowed) return forbidden();
    const response = await handler({ ...ctx, actor });
    if (!response) return notFound();
    response.headers.set("cache-control", NO_STORE);
    return response;
  } catch (error) {
    // The PDF worker pool is saturated: a short wait helps, so say when to retry.
    if (error instanceof PdfRenderError && error.code === "queue_full") {
      return apiError("busy", "Many documents are being prepared right now. Try again in a few seconds.", 503, { "retry-after": "5" });
    }
    if (error instanceof DomainError && error.code !== "internal") {
      return error.code === "not_found" ? notFound() : apiError(error.code, error.message, statusOf[error.code]);
    }
    logger.error("GET handler failed", { requestId: ctx.request.requestId, url: ctx.url.pathname, error });
    return json(
      { ok: false, code: "internal", error: `Something went wrong. Reference: ${ctx.request.requestId}`, requestId: ctx.request.requestId },
      statusOf.internal,
    );
  }
}
