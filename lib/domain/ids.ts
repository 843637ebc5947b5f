import { z } from "zod";

/** A canonical UUID: ids from URLs are checked before they reach SQL, so a bad one is a 404, not a 500. */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}

/**
 * The zod schema of an id: the same test as isUuid (any 8-4-4-4-12 hex, not only RFC 9562
 * versions, so the API accepts every id the pages do), published as `format: uuid`.
 */
export const uuidString = (message = "Not a valid id (a UUID).") => z.guid({ error: message });
