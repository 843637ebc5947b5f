// ANY /api/<no such endpoint>: 404 in the API's JSON error shape, not the HTML not-found page
// (also what a path with an encoded dot segment such as /api/payments/%2e%2e/verify becomes once
// normalised). Every real endpoint is more specific than this catch-all and wins over it.
import { apiError } from "@/lib/http/json";

const noSuchEndpoint = () => apiError("not_found", "There is no such API endpoint.", 404);

export const GET = noSuchEndpoint;
export const POST = noSuchEndpoint;
export const PUT = noSuchEndpoint;
export const PATCH = noSuchEndpoint;
export const DELETE = noSuchEndpoint;
