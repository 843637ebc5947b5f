import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { ErrorCode } from "@/lib/domain/errors";
import { runMutation, type Mutation } from "@/lib/mutation";
import { requestContextFrom } from "@/lib/request-context";
import { getActor } from "@/lib/session";

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

/** Amounts are bigint minor units; JSON has no bigint, so they travel as strings. */
function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

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
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > MAX_JSON_BYTES) return json({ ok: false, code: "payload_too_large", error: "The body is too large." }, 413);
  let body: unknown;
  try {
    body = await request.json();
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
