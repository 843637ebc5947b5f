import "server-only";
import type { Tx } from "@/db/client";
import { claimIdempotencyKey, completeIdempotencyKey, findIdempotencyKey, resetLockTimeout, setLockTimeout } from "@/db/queries/idempotency";
import { DomainError } from "@/lib/domain/errors";
import { keyedFingerprint, stableStringify } from "@/lib/domain/fingerprint";
import { env } from "@/lib/env";
import { pgErrorCode } from "@/lib/pg-error";
import type { AuditRow } from "@/db/queries/audit";
import { jsonParam, together } from "@/db/prepared";
import { outboxEventsParam } from "@/db/queries/webhooks";
import type { EmittedEvent } from "@/lib/domain/webhook-events";


/** The request's fingerprint, keyed with the app's secret (see keyedFingerprint). */
export function fingerprint(operation: string, input: unknown): string {
  return keyedFingerprint(env().authSecret, operation, input);
}

export type IdempotencyRequest = {
  scope: string;
  key: string;
  operation: string;
  input: unknown;
  /**
   * How long a duplicate waits for the first request to finish before it is told to retry.
   * Default: the connection's lock_timeout (DATABASE_LOCK_TIMEOUT_MS), with no extra round trip.
   */
  waitMs?: number;
};

/**
 * Runs `work` at most once per (scope, key). The key row is inserted in the caller's transaction:
 * a concurrent duplicate blocks on the unique key until the first commits (then it returns the
 * stored result) or rolls back (then it does the work itself). If the first takes longer than
 * waitMs, the duplicate gets `idempotency_in_progress` and may retry later.
 * `options.auditRows` and `options.events`, asked for after the work, are written in the statement
 * that completes the key.
 */
export async function withIdempotency<T>(
  tx: Tx,
  req: IdempotencyRequest,
  work: () => Promise<T>,
  options: { auditRows?: () => AuditRow[]; events?: () => readonly EmittedEvent[]; readBack?: (data: T) => Promise<unknown> } = {},
): Promise<{ data: T; replayed: boolean; read?: unknown }> {
  const print = fingerprint(req.operation, req.input);
  if (req.waitMs !== undefined) await setLockTimeout(tx, req.waitMs);
  let inserted: { key: string }[];
  try {
    inserted = await claimIdempotencyKey(tx, { scope: req.scope, key: req.key, operation: req.operation, fingerprint: print });
  } catch (error) {
    if (pgErrorCode(error) === "55P03") {
      throw new DomainError("idempotency_in_progress", "This request is still being processed. Try again in a moment.");
    }
    throw error;
  }
  if (req.waitMs !== undefined) await resetLockTimeout(tx);

  if (inserted.length === 0) {
    const [existing] = await findIdempotencyKey(tx, { scope: req.scope, key: req.key });
    if (!existing) throw new DomainError("idempotency_in_progress", "This request is still being processed. Try again in a moment.");
    if (existing.fingerprint !== print || existing.operation !== req.operation) {
      throw new DomainError(
        "idempotency_key_reused",
        "This idempotency key was already used for a different request. Reload the form and try again.",
      );
    }
    if (existing.status !== "completed") {
      throw new DomainError("idempotency_in_progress", "This request is still being processed. Try again in a moment.");
    }
    return { data: existing.result as T, replayed: true };
  }

  // The first caller gets exactly what a replay will get: the stored JSON form of the result.
  const data = await work();
  const json = data === undefined || data === null ? null : stableStringify(data);
  const stored = (json === null ? null : JSON.parse(json)) as T;
  // The caller's read of what the work wrote is sent with the completion (same transaction, one round trip).
  const [, read] = await together(
    completeIdempotencyKey(tx, {
      scope: req.scope,
      key: req.key,
      result: json,
      completedAt: new Date().toISOString(),
      audit: jsonParam(options.auditRows?.() ?? []),
      events: outboxEventsParam(options.events?.() ?? []),
    }),
    options.readBack ? options.readBack(stored) : Promise.resolve(undefined),
  );
  return { data: stored, replayed: false, read };
}
