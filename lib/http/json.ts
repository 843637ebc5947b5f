// JSON responses of the API: one error shape `{ ok: false, code, error }`, never cached. Amounts
// are bigint minor units; JSON has no bigint, so they travel as strings. No session or database
// imports here: public routes (webhooks, health) answer with it too.

export function json(body: unknown, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers, "cache-control": "no-store" },
  });
}

export function apiError(code: string, error: string, status: number, headers: Record<string, string> = {}): Response {
  return json({ ok: false, code, error }, status, headers);
}
