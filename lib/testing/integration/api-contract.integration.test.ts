/// <reference types="vite/client" />
import { existsSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { buildOpenApiDocument, commonErrorStatuses, openApiDocument } from "@/lib/api-v1/openapi";
import { operations } from "@/lib/api-v1/operations";
import { apiScopes } from "@/lib/domain/api-keys";
import { runMutation } from "@/lib/mutation";
import { createCompanyApiKey, createStaffApiKey, setApiKeyLimits } from "@/lib/services/api-keys";
import { ContractSchemas, conformance, contractClient, routeFileOf, type ContractKeys, type ContractScenario, type Exercised } from "@/lib/testing/api-contract";
import { actorByEmail, request, setupTestDatabase } from "@/lib/testing/helpers";

// The API contract: the OpenAPI document is valid OpenAPI 3.1, every operation in
// lib/api-v1/operations.ts has its route, every example validates, and a real run of the scenario
// files answers only what the document says. Ends by asserting every operation was answered 2xx.
//
// Scenario files: every lib/testing/contract/*.ts exporting `scenarios` is picked up (one file per
// area: core.ts, orders.ts, billing.ts …), in file name order.
const scenarioFiles = import.meta.glob<{ scenarios: ContractScenario[] }>("../contract/*.ts", { eager: true });

setupTestDatabase();

const document = buildOpenApiDocument();
const schemas = new ContractSchemas(document);
type Json = Record<string, unknown>;
const paths = document.paths as Record<string, Record<string, Json>>;

describe("the OpenAPI document", () => {
  it("is valid OpenAPI 3.1 and lists every operation once, with its scope", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.errors ?? []).toEqual([]);
    expect([result.valid, validator.version]).toEqual([true, "3.1"]);
    const listed = Object.entries(paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => `${method.toUpperCase()} ${path} ${String(op.operationId)}`));
    expect(listed.sort()).toEqual(operations.map((op) => `${op.method} ${op.path} ${op.operationId}`).sort());
    for (const op of operations) {
      const spec = paths[op.path]![op.method.toLowerCase()]!;
      expect(spec.security, op.operationId).toEqual([{ apiKey: op.scope === null ? [] : [op.scope] }]);
      expect(spec.description, op.operationId).toContain(op.scope === null ? "Any valid API key" : `Scope: \`${op.scope}\``);
      const headerParams = (spec.parameters as Json[]).map((p) => schemas.resolve(p)).filter((p) => p.in === "header");
      if (op.method === "GET") expect(headerParams.map((p) => [p.name, p.required]), op.operationId).toEqual([["If-None-Match", false]]);
      else expect(headerParams.map((p) => [p.name, p.required]), op.operationId).toEqual([["Idempotency-Key", op.idempotency === "required"], ...(op.receipt ? [["Prefer", false]] : [])]);
      for (const status of commonErrorStatuses(op)) expect(Object.keys(spec.responses as Json), op.operationId).toContain(String(status));
    }
    const securityScheme = (document.components as { securitySchemes: Json }).securitySchemes;
    expect(securityScheme).toMatchObject({ apiKey: { type: "http", scheme: "bearer" } });
    for (const scope of apiScopes) expect(JSON.stringify(securityScheme)).toContain(scope);
  });

  it("the README's Idempotency bullet names exactly the operations that require an Idempotency-Key", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const bullet = /- \*\*Idempotency:\*\* (`POST \/orders`[\s\S]*?) require an\s+`Idempotency-Key` header/.exec(readme);
    expect(bullet, "README: the API section's Idempotency bullet").not.toBeNull();
    const named = [...bullet![1]!.matchAll(/`POST ([^`]+)`/g)].map((m) => `POST ${m[1]}`).sort();
    expect(named).toEqual(operations.filter((op) => op.idempotency === "required").map((op) => `${op.method} ${op.path}`).sort());
  });

  it("is built once per process and served at /api/v1/openapi.json without a key, with an ETag", async () => {
    expect(openApiDocument()).toBe(openApiDocument());
    const { GET } = await import("@/app/api/v1/openapi.json/route");
    const first = GET(new Request("http://localhost/api/v1/openapi.json"));
    expect([first.status, first.headers.get("content-type"), first.headers.get("cache-control")]).toEqual([200, "application/json; charset=utf-8", "public, no-cache"]);
    expect(await first.json()).toEqual(JSON.parse(JSON.stringify(document)));
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const again = GET(new Request("http://localhost/api/v1/openapi.json", { headers: { "if-none-match": etag } }));
    expect([again.status, await again.text(), again.headers.get("etag")]).toEqual([304, "", etag]);
  });

  it("every operation has a route file at its path exporting its method, opened by a signature comment", async () => {
    for (const op of operations) {
      const file = routeFileOf(op);
      expect(existsSync(file), `${op.operationId}: ${file}`).toBe(true);
      const route = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
      expect(typeof route[op.method], `${op.operationId}: ${file} exports ${op.method}`).toBe("function");
      // e.g. "// GET /api/v1/orders/{id}: …", or "// GET, PATCH, DELETE /api/v1/webhook-endpoints/{id}: …" for a file serving several.
      const signature = readFileSync(file, "utf8").split("\n")[0]!;
      expect(signature, `${op.operationId}: signature comment`).toMatch(new RegExp(`^// (?:[A-Z]+, )*${op.method}(?:, [A-Z]+)* /api/v1${op.path.replace(/[{}]/g, "\\$&")}(?::|$)`));
    }
  });

  it("every request example fits both the zod schema and the published JSON Schema; every response example its response schema", () => {
    let checked = 0;
    for (const op of operations) {
      const spec = paths[op.path]![op.method.toLowerCase()]!;
      if (op.requestExample !== undefined) {
        expect(op.body, `${op.operationId} has a requestExample but no body`).toBeDefined();
        const parsed = op.body!.safeParse(op.requestExample);
        expect(parsed.success ? null : parsed.error.issues, `${op.operationId} requestExample (zod)`).toBeNull();
        const media = (spec.requestBody as { content: Record<string, { schema: unknown }> }).content["application/json"]!;
        expect(schemas.check(media.schema, op.requestExample), `${op.operationId} requestExample (JSON Schema)`).toBeNull();
        checked++;
      }
      for (const [status, response] of Object.entries(schemas.responsesOf(op))) {
        for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, { schema?: unknown; example?: unknown }>)) {
          if (media.example === undefined || !media.schema) continue;
          expect(schemas.check(media.schema, media.example), `${op.operationId} ${status} ${type} example`).toBeNull();
          checked++;
        }
      }
    }
    // At least the common problem examples of the first operation (one per error status).
    expect(checked).toBeGreaterThanOrEqual(commonErrorStatuses(operations[0]!).length);
  });
});

describe("the contract client's checks", () => {
  const me = operations.find((op) => op.operationId === "getCaller")!;
  const headers = (extra: Record<string, string> = {}) => new Headers({ "content-type": "application/json", ratelimit: '"key";r=1;t=1', "ratelimit-policy": '"key";q=2;w=2', etag: 'W/"x"', ...extra });
  const caller = {
    key: { id: randomUUID(), name: "k", prefix: "AAAAAAAAAAAA", scopes: ["catalog:read"], expiresAt: null },
    actsAs: { userId: randomUUID(), name: "n", email: "e@example.test", role: "buyer", company: null },
    rateLimits: { key: { perMinute: 60, burst: 60 }, ip: { perMinute: 300, burst: 300 } },
  };

  it("passes a conforming answer and names each way a wrong one departs from the document", () => {
    expect(conformance(schemas, me, { status: 200, headers: headers(), body: caller })).toEqual([]);
    expect(conformance(schemas, me, { status: 418, headers: headers(), body: caller })[0]).toMatch(/^status 418 is not documented/);
    expect(conformance(schemas, me, { status: 200, headers: headers(), body: { ...caller, rateLimits: undefined } })).toEqual([
      "body does not match the schema: body must have required property 'rateLimits'",
    ]);
    expect(conformance(schemas, me, { status: 200, headers: headers(), body: { ...caller, extra: 1 } })).toEqual(["body does not match the schema: body must NOT have additional properties"]);
    expect(conformance(schemas, me, { status: 200, headers: headers({ "content-type": "text/plain" }), body: "hi" })[0]).toMatch(/^content-type text\/plain is not documented/);
    const noEtag = headers();
    noEtag.delete("etag");
    noEtag.delete("ratelimit");
    expect(conformance(schemas, me, { status: 200, headers: noEtag, body: caller })).toEqual(["no ratelimit header", "a JSON GET answered without an ETag"]);
    const problemHeaders = headers({ "content-type": "application/problem+json" });
    const notFound = { type: "urn:orderly:problem:not-found", title: "Not found", status: 404, detail: "Not found.", code: "not_found" };
    expect(conformance(schemas, me, { status: 404, headers: problemHeaders, body: notFound })).toEqual([]);
    expect(conformance(schemas, me, { status: 403, headers: problemHeaders, body: { ...notFound, status: 403 } })).toEqual(["problem not_found answered with status 403"]);
    expect(conformance(schemas, me, { status: 404, headers: problemHeaders, body: { ...notFound, code: "gone" } })).toContain("unknown problem code gone");
    expect(conformance(schemas, me, { status: 404, headers: headers(), body: notFound })).toContain("an error answered application/json, not application/problem+json");
  });
});

describe("a real run of the scenarios", () => {
  const exercised: Exercised = new Set();
  let keys: ContractKeys;

  beforeAll(async () => {
    const who = (email: string) => actorByEmail(email).then((actor) => ({ actor, request: request(), idempotencyKey: `contract-${randomUUID()}` }));
    const unwrap = <T>(result: { ok: true; data: T } | { ok: false; error: string }): T => {
      if (!result.ok) throw new Error(result.error);
      return result.data;
    };
    const scopes = [...apiScopes];
    // High limits: the scenarios make many calls, and the rate limiter has its own tests.
    const limits = { rateLimitPerMinute: "100000", rateLimitBurst: "10000" };
    const customer = unwrap(await runMutation(createCompanyApiKey, await who("approver@acme.test"), { name: "Contract test", scopes, lifetimeDays: "30" }));
    unwrap(await runMutation(setApiKeyLimits, await who("admin@demo.test"), { id: customer.id, ...limits }));
    const staff = async (role: "finance" | "admin") => unwrap(await runMutation(createStaffApiKey, await who("admin@demo.test"), { name: `Contract ${role}`, scopes, role, lifetimeDays: "30", ...limits })).key;
    const client = (key: string) => contractClient({ key, operations, schemas, exercised });
    keys = { customer: client(customer.key), finance: client(await staff("finance")), admin: client(await staff("admin")) };
  });

  const files = Object.entries(scenarioFiles).sort(([a], [b]) => a.localeCompare(b));
  it("finds the scenario files", () => {
    expect(files.map(([file]) => file)).toContain("../contract/core.ts");
  });
  for (const [file, module] of files) {
    for (const scenario of module.scenarios) {
      it(`${file.replace("../contract/", "")}: ${scenario.name}`, () => scenario.run(keys));
    }
  }

  it("answered every operation 2xx at least once", () => {
    expect(operations.map((op) => op.operationId).filter((id) => !exercised.has(id))).toEqual([]);
  });
});
