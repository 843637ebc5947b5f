import "server-only";
import { listCatalogProducts } from "./catalog";
import { describeCaller } from "./me";
import type { AnyOperation } from "./operation";

// Every /api/v1 operation, in the order the reference shows them. The OpenAPI document and the
// contract test read this list; each entry's route file exports routeHandler(entry).
export const operations: AnyOperation[] = [
  describeCaller,
  listCatalogProducts,
];
