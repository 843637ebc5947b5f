import { z } from "zod";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "./openapi";
import { defineOperation, type AnyOperation } from "./operation";
import { idParams } from "./schemas";

// The generator on made-up operations: ids shared between a request and a response, path and
// query parameters, the Idempotency-Key and If-None-Match headers, PDFs and the common errors.

const amount = z
  .string()
  .regex(/^\d+$/)
  .transform((v) => BigInt(v))
  .meta({ id: "UnitTestAmount" });
const thing = z.object({ id: z.uuid(), amount }).meta({ id: "UnitTestThing" });
const thingOut = z.object({ id: z.uuid(), amount: z.string() }).meta({ id: "UnitTestThingView" });

const handle = async () => null;
const ops = [
  defineOperation({
    operationId: "createThing",
    method: "POST",
    path: "/things",
    tag: "Things",
    summary: "Create a thing",
    scope: "orders:write",
    body: z.strictObject({ amount }),
    requestExample: { amount: "12" },
    idempotency: "required",
    responses: { 201: { description: "Created.", schema: z.object({ thing: thingOut, amount }) } },
    handle,
  }),
  defineOperation({
    operationId: "getThing",
    method: "GET",
    path: "/things/{id}",
    tag: "Things",
    summary: "A thing",
    scope: null,
    params: idParams,
    query: z.strictObject({ expand: z.enum(["lines"]).optional().describe("Include the lines.") }),
    responses: { 200: { description: "The thing.", schema: thing } },
    handle,
  }),
  defineOperation({
    operationId: "getThingPdf",
    method: "GET",
    path: "/things/{id}/pdf",
    tag: "Things",
    summary: "A thing as PDF",
    scope: "invoices:read",
    params: idParams,
    responses: { 200: { description: "The PDF.", contentType: "application/pdf" } },
    handle,
  }),
] as AnyOperation[];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("buildOpenApiDocument", () => {
  const doc = buildOpenApiDocument(ops) as Json;

  it("puts schemas with an id in components; a request form that differs from the response form is <id>Input", () => {
    expect(Object.keys(doc.components.schemas).sort()).toEqual(["Problem", "UnitTestAmount", "UnitTestAmountInput", "UnitTestThing", "UnitTestThingView"]);
    // Output of the transform is a bigint: not representable in JSON Schema, so {} (the wire form is the input's string).
    expect(doc.components.schemas.UnitTestAmountInput).toEqual({ type: "string", pattern: "^\\d+$" });
    expect(doc.paths["/things"].post.requestBody).toEqual({
      required: true,
      content: {
        "application/json": {
          schema: { type: "object", properties: { amount: { $ref: "#/components/schemas/UnitTestAmountInput" } }, required: ["amount"], additionalProperties: false },
          example: { amount: "12" },
        },
      },
    });
    expect(doc.paths["/things/{id}"].get.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/UnitTestThing" });
    expect(doc.components.schemas.UnitTestThing.properties.amount).toEqual({ $ref: "#/components/schemas/UnitTestAmount" });
  });

  it("lists path and query parameters, If-None-Match on GETs and a required Idempotency-Key where declared", () => {
    expect(doc.paths["/things/{id}"].get.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: expect.objectContaining({ type: "string", format: "uuid" }) },
      { name: "expand", in: "query", required: false, description: "Include the lines.", schema: { type: "string", enum: ["lines"] } },
      { $ref: "#/components/parameters/IfNoneMatch" },
    ]);
    expect(doc.paths["/things"].post.parameters).toEqual([{ $ref: "#/components/parameters/IdempotencyKeyRequired" }]);
    expect(doc.components.parameters.IdempotencyKeyRequired).toMatchObject({ name: "Idempotency-Key", in: "header", required: true });
  });

  it("names the scope in security and the description, and adds the common errors per kind of operation", () => {
    expect(doc.paths["/things"].post.security).toEqual([{ apiKey: ["orders:write"] }]);
    expect(doc.paths["/things"].post.description).toContain("**Scope: `orders:write`.**");
    expect(doc.paths["/things/{id}"].get.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(doc.paths["/things"].post.responses)).toEqual(["201", "400", "401", "403", "404", "409", "413", "415", "422", "429", "500"]);
    expect(Object.keys(doc.paths["/things/{id}"].get.responses)).toEqual(["200", "304", "400", "401", "403", "404", "429", "500"]);
    expect(doc.paths["/things/{id}"].get.responses["200"].headers).toEqual({
      RateLimit: { $ref: "#/components/headers/RateLimit" },
      "RateLimit-Policy": { $ref: "#/components/headers/RateLimitPolicy" },
      ETag: { $ref: "#/components/headers/ETag" },
    });
    expect(doc.components.responses.TooManyRequests.headers["Retry-After"]).toEqual({ $ref: "#/components/headers/RetryAfter" });
  });

  it("describes a PDF as binary, without an ETag or 304", () => {
    const pdf = doc.paths["/things/{id}/pdf"].get.responses;
    expect(pdf["200"].content).toEqual({ "application/pdf": { schema: { type: "string", contentMediaType: "application/pdf", contentEncoding: "binary" } } });
    expect(pdf["200"].headers.ETag).toBeUndefined();
    expect(pdf["304"]).toBeUndefined();
  });

  it("refuses two operations with one operationId or one method and path", () => {
    expect(() => buildOpenApiDocument([ops[1]!, { ...ops[1]!, path: "/other/{id}" }])).toThrow("Duplicate operationId getThing.");
    expect(() => buildOpenApiDocument([ops[1]!, { ...ops[1]!, operationId: "again" }])).toThrow("Two operations for GET /things/{id}.");
  });
});
