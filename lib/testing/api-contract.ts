import { existsSync } from "node:fs";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { AnyOperation } from "@/lib/api-v1/operation";
import { problemCodes, problemStatus, type ProblemCode } from "@/lib/api-v1/problem";

// The API contract test's client (lib/testing/integration/api-contract.integration.test.ts): it
// calls the route modules' exported handlers with real Requests and a real API key, checks every
// answer against the OpenAPI document (the status is documented for the operation, the body
// validates against its JSON Schema with ajv, errors are problem+json with a known code) and
// records which operations were answered 2xx. Scenario files (lib/testing/contract/*.ts) export
// `scenarios: ContractScenario[]` and drive it through ContractKeys.

export type ContractCall = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; idempotencyKey?: string; headers?: Record<string, string> };
export type ContractResponse = { status: number; headers: Headers; body: unknown /* parsed JSON, or Buffer for non-JSON */ };
export type ContractClient = { call(operationId: string, call?: ContractCall): Promise<ContractResponse> };
export type ContractKeys = { customer: ContractClient /* buyer of Acme, all customer scopes */; finance: ContractClient; admin: ContractClient };
export type ContractScenario = { name: string; run(keys: ContractKeys): Promise<void> };

type Json = Record<string, unknown>;
type RouteHandler = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response> | Response;

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;

const DOCUMENT_ID = "urn:orderly:openapi";

/** The route file of an operation: app/api/v1/<path with {x} as [x]>/route.ts. */
export function routeFileOf(op: Pick<AnyOperation, "path">): string {
  return path.join(process.cwd(), "app/api/v1", op.path.replace(/\{(\w+)\}/g, "[$1]"), "route.ts");
}

/** JSON Schema validation against the document's components (ajv, draft 2020-12 with formats). */
export class ContractSchemas {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(readonly document: Json) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
  }

  /** Validates `value` against a schema of the document (refs into components resolved); null when valid, else the errors. */
  check(schema: unknown, value: unknown): string | null {
    const key = JSON.stringify(schema);
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(JSON.parse(key.replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`)) as Json);
      this.compiled.set(key, validate);
    }
    if (validate(value)) return null;
    return this.ajv.errorsText(validate.errors, { separator: "; ", dataVar: "body" });
  }

  /** A component by its local ref (#/components/responses/NotFound …). */
  resolve<T = Json>(value: unknown): T {
    let current = value as Json;
    while (current && typeof current.$ref === "string") {
      const ref = current.$ref;
      if (!ref.startsWith("#/")) throw new Error(`External ref ${ref}`);
      current = ref
        .slice(2)
        .split("/")
        .reduce<unknown>((node, part) => (node as Json | undefined)?.[part], this.document) as Json;
      if (current === undefined) throw new Error(`Unresolved ref ${ref}`);
    }
    return current as T;
  }

  /** The documented responses of an operation (refs resolved), by status. */
  responsesOf(op: Pick<AnyOperation, "path" | "method">): Record<string, Json> {
    const paths = this.document.paths as Record<string, Record<string, Json>>;
    const operation = paths[op.path]?.[op.method.toLowerCase()];
    if (!operation) throw new Error(`${op.method} ${op.path} is not in the document.`);
    const out: Record<string, Json> = {};
    for (const [status, response] of Object.entries(operation.responses as Json)) out[status] = this.resolve(response);
    return out;
  }
}

const mediaType = (headers: Headers) => (headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();

/**
 * Checks one answer against the document; returns the problems found (empty: it conforms).
 * Successful answers must carry the RateLimit headers, and JSON GETs an ETag.
 */
export function conformance(schemas: ContractSchemas, op: AnyOperation, response: ContractResponse): string[] {
  const failures: string[] = [];
  const documented = schemas.responsesOf(op);
  const spec = documented[String(response.status)];
  if (!spec) return [`status ${response.status} is not documented (documented: ${Object.keys(documented).join(", ")})`];
  const content = spec.content as Record<string, { schema?: unknown }> | undefined;
  const type = mediaType(response.headers);
  if (response.status === 304) {
    if (response.body !== null) failures.push("304 with a body");
  } else if (content) {
    const media = content[type];
    if (!media) failures.push(`content-type ${type || "(none)"} is not documented for ${response.status} (documented: ${Object.keys(content).join(", ")})`);
    else if (media.schema && type.endsWith("json")) {
      const error = schemas.check(media.schema, response.body);
      if (error) failures.push(`body does not match the schema: ${error}`);
    }
  }
  if (response.status >= 400) {
    if (type !== "application/problem+json") failures.push(`an error answered ${type}, not application/problem+json`);
    const body = response.body as { code?: string; status?: number } | null;
    if (!body || !problemCodes.includes(body.code as ProblemCode)) failures.push(`unknown problem code ${String(body?.code)}`);
    else if (problemStatus(body.code as ProblemCode) !== response.status || body.status !== response.status) failures.push(`problem ${body.code} answered with status ${response.status}`);
  } else {
    for (const header of ["ratelimit", "ratelimit-policy"]) if (!response.headers.get(header)) failures.push(`no ${header} header`);
    if (op.method === "GET" && response.status === 200 && type.endsWith("json") && !response.headers.get("etag")) failures.push("a JSON GET answered without an ETag");
  }
  return failures;
}

/** Operations answered 2xx so far, by operationId (the test asserts every operation is here at the end). */
export type Exercised = Set<string>;

/**
 * A client for one API key: `call(operationId)` builds the request from the operation's path,
 * imports its route module, calls the exported handler for the method and checks the answer
 * (throws when it does not conform to the document).
 */
export function contractClient(options: { key: string; operations: readonly AnyOperation[]; schemas: ContractSchemas; exercised: Exercised; origin?: string }): ContractClient {
  const byId = new Map(options.operations.map((op) => [op.operationId, op]));
  const origin = options.origin ?? "http://localhost";
  return {
    async call(operationId, call = {}) {
      const op = byId.get(operationId);
      if (!op) throw new Error(`No operation ${operationId} in lib/api-v1/operations.ts.`);
      const params = call.params ?? {};
      const pathname = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = params[name];
        if (value === undefined) throw new Error(`${operationId}: path parameter ${name} missing.`);
        return encodeURIComponent(value);
      });
      const url = new URL(`/api/v1${pathname}`, origin);
      for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
      const headers = new Headers({ authorization: `Bearer ${options.key}`, "user-agent": "api-contract-test", ...call.headers });
      if (call.idempotencyKey !== undefined) headers.set("idempotency-key", call.idempotencyKey);
      let body: string | undefined;
      if (call.body !== undefined) {
        body = JSON.stringify(call.body);
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
      }
      const file = routeFileOf(op);
      if (!existsSync(file)) throw new Error(`${operationId}: no route file ${path.relative(process.cwd(), file)}.`);
      const route = (await import(/* @vite-ignore */ file)) as Record<string, RouteHandler | undefined>;
      const handler = route[op.method];
      if (typeof handler !== "function") throw new Error(`${operationId}: ${path.relative(process.cwd(), file)} exports no ${op.method}.`);
      const raw = await handler(new Request(url, { method: op.method, headers, body }), { params: Promise.resolve(params) });

      const type = mediaType(raw.headers);
      const bytes = Buffer.from(await raw.arrayBuffer());
      let parsed: unknown = null;
      if (bytes.length > 0) parsed = type.endsWith("json") ? JSON.parse(bytes.toString("utf8")) : bytes;
      const response: ContractResponse = { status: raw.status, headers: raw.headers, body: parsed };
      const failures = conformance(options.schemas, op, response);
      if (failures.length) {
        throw new Error(`${operationId} ${op.method} ${url.pathname}${url.search} → ${raw.status} does not conform to the OpenAPI document:\n- ${failures.join("\n- ")}\nbody: ${type.endsWith("json") ? JSON.stringify(parsed).slice(0, 2000) : `${bytes.length} bytes of ${type}`}`);
      }
      if (raw.status >= 200 && raw.status < 300) options.exercised.add(operationId);
      return response;
    },
  };
}
