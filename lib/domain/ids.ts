/** A canonical UUID: ids from URLs are checked before they reach SQL, so a bad one is a 404, not a 500. */
export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
