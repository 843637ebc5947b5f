/** The SQLSTATE of a PostgreSQL error, also when drizzle wraps it (DrizzleQueryError.cause). */
export function pgErrorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The constraint name of a unique/check violation, when PostgreSQL reports it. */
export function pgConstraint(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === "object"; depth++) {
    const name = (e as { constraint_name?: unknown; constraint?: unknown }).constraint_name ?? (e as { constraint?: unknown }).constraint;
    if (typeof name === "string") return name;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

// The unique indexes a user can run into, with the field and message their form shows. The
// services check these before writing, so a violation means two requests took the same value at
// once: the index decides and the loser sees the same field error instead of "something went wrong".
const uniqueKeys: Record<string, { field: string; message: string }> = {
  users_email_lower_key: { field: "email", message: "A user with this email already exists." },
  companies_name_lower_key: { field: "name", message: "A company with this name already exists." },
  price_lists_name_lower_key: { field: "name", message: "A price list with this name already exists." },
  products_sku_lower_key: { field: "sku", message: "This SKU is already used by another product." },
  requisition_lists_company_name_key: { field: "name", message: "Your company already has a list with this name." },
};

/** The field error for a unique violation of one of the indexes above, or null. */
export function uniqueViolation(error: unknown): { field: string; message: string } | null {
  if (pgErrorCode(error) !== "23505") return null;
  return uniqueKeys[pgConstraint(error) ?? ""] ?? null;
}
