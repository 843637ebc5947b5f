// POST /api/bench/orders/{id}/accept: raw-SQL baseline of POST /api/v1/orders/{id}/accept for `npm run bench -- api`; only with BENCH_ROUTES=1, 404 otherwise
import { benchRoutesEnabled, notFound, rawAccept } from "@/lib/bench/api-raw";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  if (!benchRoutesEnabled()) return notFound();
  const { id } = await params;
  const body = (await request.json()) as { buyerId: string; quotationVersion: number };
  const key = request.headers.get("idempotency-key") ?? crypto.randomUUID();
  const result = await rawAccept(id, body.buyerId, body.quotationVersion, key);
  if (result === null) return notFound();
  if ("conflict" in result) return Response.json({ code: "conflict", detail: result.conflict }, { status: 409 });
  return Response.json(result, { status: 200 });
}
