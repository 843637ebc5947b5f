// GET /api/v1/openapi.json: the OpenAPI 3.1 document of /api/v1; public (no key), cacheable with an ETag
import { openApiDocument } from "@/lib/api-v1/openapi";

export function GET(request: Request): Response {
  const { body, etag } = openApiDocument();
  // Public and the same for everyone until the next deployment: caches may keep it but check the
  // ETag each time (no-cache), so a new version is seen at once.
  const headers = { etag, "cache-control": "public, no-cache", "access-control-allow-origin": "*" };
  const ifNoneMatch = request.headers.get("if-none-match");
  if (ifNoneMatch !== null && ifNoneMatch.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*")) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { status: 200, headers: { ...headers, "content-type": "application/json; charset=utf-8" } });
}
