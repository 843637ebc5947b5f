// ANY /api/v1/<no such endpoint>: 404 as an RFC 9457 problem, like every other /api/v1 answer (the
// /api catch-all answers the older JSON shape). Every real v1 endpoint is more specific and wins.
import { problem } from "@/lib/api-v1/problem";

const noSuchEndpoint = () => problem("not_found", "There is no such API v1 endpoint.");

export const GET = noSuchEndpoint;
export const POST = noSuchEndpoint;
export const PUT = noSuchEndpoint;
export const PATCH = noSuchEndpoint;
export const DELETE = noSuchEndpoint;
