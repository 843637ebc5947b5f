// POST /api/bench/orders: raw-SQL baseline of POST /api/v1/orders for `npm run bench -- api`; only with BENCH_ROUTES=1, 404 otherwise
import { benchRoutesEnabled, notFound, rawSubmit, type RawSubmit } from "@/lib/bench/api-raw";

export async function POST(request: Request): Promise<Response> {
  if (!benchRoutesEnabled()) return notFound();
  const body = (await request.json()) as RawSubmit;
  const key = request.headers.get("idempotency-key") ?? crypto.randomUUID();
  const result = await rawSubmit(body, key);
  return Response.json({ id: result.orderId, quotation: { id: result.quotationId, number: result.number, version: result.version, totalMinor: result.totalMinor } }, { status: 201 });
}
