// RFC 9457 problem details for /api/v1: `application/problem+json` with type, title, status,
// detail and a stable `code` (an extension member clients can switch on). `type` is a URN per
// code: stable and unique without promising a page at some URL.

export type ProblemCode =
  | "unauthenticated"
  | "invalid_api_key"
  | "api_key_expired"
  | "api_key_revoked"
  | "api_key_inactive"
  | "insufficient_scope"
  | "forbidden"
  | "rate_limited"
  | "validation_failed"
  | "not_found"
  | "conflict"
  | "idempotency_key_required"
  | "idempotency_key_reused"
  | "idempotency_in_progress"
  | "quotation_expired"
  | "unsupported_media_type"
  | "invalid_json"
  | "payload_too_large"
  | "method_not_allowed"
  | "busy"
  | "internal";

const problems: Record<ProblemCode, { status: number; title: string }> = {
  unauthenticated: { status: 401, title: "Authentication required" },
  invalid_api_key: { status: 401, title: "Invalid API key" },
  api_key_expired: { status: 401, title: "API key expired" },
  api_key_revoked: { status: 401, title: "API key revoked" },
  api_key_inactive: { status: 401, title: "API key inactive" },
  insufficient_scope: { status: 403, title: "Insufficient scope" },
  forbidden: { status: 403, title: "Forbidden" },
  rate_limited: { status: 429, title: "Too many requests" },
  validation_failed: { status: 400, title: "Invalid request" },
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  idempotency_key_required: { status: 400, title: "Idempotency-Key required" },
  idempotency_key_reused: { status: 422, title: "Idempotency-Key reused" },
  idempotency_in_progress: { status: 409, title: "Request in progress" },
  quotation_expired: { status: 409, title: "Quotation expired" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  invalid_json: { status: 400, title: "Invalid JSON" },
  payload_too_large: { status: 413, title: "Payload too large" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  busy: { status: 503, title: "Busy" },
  internal: { status: 500, title: "Internal error" },
};

export const problemType = (code: ProblemCode) => `urn:orderly:problem:${code.replaceAll("_", "-")}`;

export const problemCodes = Object.keys(problems) as ProblemCode[];

export function problemStatus(code: ProblemCode): number {
  return problems[code].status;
}

export function problem(code: ProblemCode, detail: string, options: { headers?: Record<string, string>; extra?: Record<string, unknown> } = {}): Response {
  const { status, title } = problems[code];
  const headers: Record<string, string> = { "content-type": "application/problem+json; charset=utf-8", "cache-control": "no-store", ...options.headers };
  // RFC 6750: a 401 names the scheme (and why the token was refused).
  if (status === 401) headers["www-authenticate"] = code === "unauthenticated" ? 'Bearer realm="api"' : `Bearer realm="api", error="invalid_token"`;
  if (code === "insufficient_scope") headers["www-authenticate"] = `Bearer realm="api", error="insufficient_scope"`;
  return new Response(JSON.stringify({ type: problemType(code), title, status, detail, code, ...options.extra }), { status, headers });
}
