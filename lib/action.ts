import "server-only";
import { randomUUID } from "node:crypto";
import { headers } from "next/headers";
import type { z } from "zod";
import type { Result } from "@/lib/domain/errors";
import { runMutation, type Mutation } from "@/lib/mutation";
import { requestContextFrom } from "@/lib/request-context";
import { getActor } from "@/lib/session";

/**
 * What a form action answers when its second argument is not a form. Server actions are public
 * endpoints: a caller can post any arguments (React's wire format carries numbers, strings, nothing),
 * not only the FormData React's form sends, and `form.get` on anything else was a TypeError (a 500,
 * in some actions after the mutation had run on an empty input). Every form action checks first:
 * `if (!(form instanceof FormData)) return notAForm;`
 */
export const notAForm = { ok: false, code: "validation_failed", error: "Send the form's fields as form data." } as const;

/** Form state for useActionState: null before the first submit. */
export type FormState<T = unknown> = (Result<T> & { message?: string }) | null;

function formDataToObject(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    if (key.startsWith("$ACTION")) continue;
    out[key] = value;
  }
  return out;
}

/**
 * Runs a mutation for a server action: the actor is loaded from the session, the request's IP and
 * user agent go into the audit rows, the idempotency key comes from the form's hidden field.
 */
export async function performMutation<S extends z.ZodType, T>(
  def: Mutation<S, T>,
  input: FormData | Record<string, unknown>,
): Promise<Result<T>> {
  const raw = input instanceof FormData ? formDataToObject(input) : input;
  const { idempotencyKey, ...rest } = raw as { idempotencyKey?: unknown };
  const request = requestContextFrom(await headers(), randomUUID());
  return runMutation(
    def,
    { actor: await getActor(), request, idempotencyKey: typeof idempotencyKey === "string" ? idempotencyKey : null },
    rest,
  );
}
