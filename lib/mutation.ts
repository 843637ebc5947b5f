import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { db, type Tx } from "@/db/client";
import { DomainError, type Result } from "@/lib/domain/errors";
import { can, type Permission } from "@/lib/domain/permissions";
import { auditRow, insertAuditRows, recordAudit, type AuditInput, type AuditRow } from "@/lib/services/audit";
import type { Actor, RequestContext } from "@/lib/domain/actor";
import { withIdempotency } from "@/lib/services/idempotency";
import { together } from "@/db/prepared";
import { logger } from "@/lib/logger";
import { pgErrorCode, uniqueViolation } from "@/lib/pg-error";
import { nudgeRelay } from "@/lib/jobs/queue";
import type { EmittedEvent } from "@/lib/domain/webhook-events";

export type MutationContext = {
  tx: Tx;
  actor: Actor;
  request: RequestContext;
  /** Appends an audit row inside this mutation's transaction (written with its last statement, before commit). */
  audit: (event: AuditInput) => Promise<void>;
  /** Appends many audit rows at once (bulk operations), inside the same transaction. */
  auditMany: (events: AuditInput[]) => Promise<void>;
  /**
   * Writes a business event to the outbox inside this transaction (outbox_events): it exists exactly
   * when the change commits, and the job worker delivers it (webhooks; notifications later).
   */
  emit: (event: EmittedEvent) => Promise<void>;
  /** Runs after a successful commit (cache revalidation, notifications); never inside the transaction. */
  afterCommit: (effect: () => void | Promise<void>) => void;
};

export type Mutation<S extends z.ZodType, T> = {
  /** Audit action name and idempotency operation, e.g. "user.create". */
  name: string;
  entityType: string;
  input: S;
  permission: Permission;
  /** Must not run twice: the caller supplies an idempotency key (hidden form field or header). */
  idempotent?: boolean;
  run: (ctx: MutationContext, input: z.output<S>) => Promise<T>;
};

export const idempotencyKeySchema = z
  .string()
  .trim()
  .min(8, "The idempotency key is missing: reload the page (forms carry one), or send an Idempotency-Key header of 8 to 200 characters.")
  .max(200)
  .regex(/^[A-Za-z0-9_.:-]+$/, "The idempotency key may hold letters, digits and -_.: only.");

export function defineMutation<S extends z.ZodType, T>(def: Mutation<S, T>): Mutation<S, T> {
  return def;
}

export function newRequestContext(partial: Partial<RequestContext> = {}): RequestContext {
  return { requestId: partial.requestId ?? randomUUID(), ip: partial.ip ?? null, userAgent: partial.userAgent ?? null };
}

/**
 * The one path every mutation takes: parse → actor → permission → one transaction (idempotency key,
 * the use case, its audit rows) → commit → after-commit effects → typed result.
 */
export async function runMutation<S extends z.ZodType, T>(
  def: Mutation<S, T>,
  who: {
    actor: Actor | null;
    request: RequestContext;
    idempotencyKey?: string | null;
    /**
     * Where the key is unique: by default the user (forms), for /api/v1 the API key (`key:<id>`),
     * so two integrations of one user never collide. With a scope given, a key sent for a mutation
     * that does not require one is honoured too (every API POST may carry one).
     */
    idempotencyScope?: string;
  },
  rawInput: unknown,
  options: {
    /**
     * A read of what the mutation wrote, run inside its transaction and sent together with its last
     * statement (the API answers a write with the resource: no second connection or round trip after
     * the commit). Not run when the idempotency key replays an earlier result (`read` is then absent:
     * read it after the call).
     */
    readBack?: (tx: Tx, data: T) => Promise<unknown>;
  } = {},
): Promise<Result<T> & { read?: unknown }> {
  const { actor, request } = who;
  if (!actor) return { ok: false, code: "unauthenticated", error: "Your session has ended. Sign in again." };

  const parsed = def.input.safeParse(rawInput);
  if (!parsed.success) {
    const flat = z.flattenError(parsed.error);
    return {
      ok: false,
      code: "validation_failed",
      error: flat.formErrors[0] ?? "Some fields need attention.",
      fieldErrors: flat.fieldErrors as Record<string, string[]>,
    };
  }

  if (!can(actor.role, def.permission)) {
    await recordDenied(def, actor, request, { entityType: def.entityType });
    return { ok: false, code: "forbidden", error: "You are not allowed to do this." };
  }

  let key: string | null = null;
  if (def.idempotent || (who.idempotencyScope !== undefined && who.idempotencyKey)) {
    const k = idempotencyKeySchema.safeParse(who.idempotencyKey ?? "");
    if (!k.success) {
      return { ok: false, code: "validation_failed", error: k.error.issues[0]?.message ?? "Invalid idempotency key." };
    }
    key = k.data;
  }

  const effects: Array<() => void | Promise<void>> = [];
  let read: unknown;
  try {
    const data = await db.transaction(async (tx) => {
      // Audit rows are built when recorded and written together by the transaction's last statement
      // (with the idempotency key's completion, or on their own): still inside the transaction, so
      // they commit or roll back with the change, in fewer round trips.
      let pending: AuditRow[] | null = [];
      const record = (rows: AuditRow[]) => {
        if (!pending) throw new Error(`${def.name}: an audit row was recorded after the mutation's writes had finished.`);
        pending.push(...rows);
        return Promise.resolve();
      };
      const takePending = () => {
        const rows = pending ?? [];
        pending = null;
        return rows;
      };
      // Outbox events likewise: written by the same last statement, so they exist exactly when the change commits.
      let events: EmittedEvent[] | null = [];
      const takeEvents = () => {
        const taken = events ?? [];
        events = null;
        return taken;
      };
      const ctx: MutationContext = {
        tx,
        actor,
        request,
        audit: (event) => record([auditRow({ actor, request }, event)]),
        auditMany: (events) => record(events.map((event) => auditRow({ actor, request }, event))),
        emit: (event) => {
          if (!events) throw new Error(`${def.name}: an event was emitted after the mutation's writes had finished.`);
          events.push(event);
          // The nudge is a hint the response does not wait for (it never rejects).
          if (events.length === 1) effects.push(() => void nudgeRelay());
          return Promise.resolve();
        },
        afterCommit: (effect) => effects.push(effect),
      };
      if (!key) {
        const result = await def.run(ctx, parsed.data);
        const [, readResult] = await together(insertAuditRows(tx, takePending(), takeEvents()), options.readBack ? options.readBack(tx, result) : Promise.resolve(undefined));
        read = readResult;
        return result;
      }
      const outcome = await withIdempotency(
        tx,
        { scope: who.idempotencyScope ?? `user:${actor.id}`, key, operation: def.name, input: parsed.data },
        () => def.run(ctx, parsed.data),
        { auditRows: takePending, events: takeEvents, readBack: options.readBack && ((result) => options.readBack!(tx, result)) },
      );
      read = outcome.read;
      if (outcome.replayed) effects.length = 0;
      return outcome.data;
    });
    for (const effect of effects) {
      try {
        await effect();
      } catch (error) {
        // The change is committed; a failed side effect must not turn it into an error.
        logger.error("after-commit effect failed", { requestId: request.requestId, mutation: def.name, error });
      }
    }
    return options.readBack && read !== undefined ? { ok: true, data, read } : { ok: true, data };
  } catch (error) {
    // Lock timeout, deadlock, serialization failure: nothing was written, a retry may succeed.
    if (["55P03", "40P01", "40001"].includes(pgErrorCode(error) ?? "")) {
      return { ok: false, code: "conflict", error: "Someone else is changing the same records right now. Try again in a moment." };
    }
    const duplicate = uniqueViolation(error);
    if (duplicate) return { ok: false, code: "validation_failed", error: duplicate.message, fieldErrors: { [duplicate.field]: [duplicate.message] } };
    if (error instanceof DomainError) {
      if (error.options.auditDenied) await recordDenied(def, actor, request, error.options.auditDenied);
      return { ok: false, code: error.code, error: error.message, fieldErrors: error.fieldErrors };
    }
    logger.error("mutation failed", { requestId: request.requestId, mutation: def.name, error });
    return {
      ok: false,
      code: "internal",
      error: `Something went wrong and nothing was changed. Reference: ${request.requestId}`,
      requestId: request.requestId,
    };
  }
}

async function recordDenied(
  def: Mutation<z.ZodType, unknown>,
  actor: Actor,
  request: RequestContext,
  target: { entityType: string; entityId?: string; companyId?: string | null },
): Promise<void> {
  try {
    await db.transaction((tx) =>
      recordAudit(tx, { actor, request }, {
        action: def.name,
        entityType: target.entityType,
        entityId: target.entityId ?? null,
        companyId: target.companyId ?? actor.companyId,
        outcome: "denied",
      }),
    );
  } catch (error) {
    logger.error("could not record a denied attempt", { requestId: request.requestId, error });
  }
}
