// Expected failures of a use case. The mutation wrapper turns them into typed results;
// anything else is unexpected, logged with a request id and shown as a generic message.

export type FieldErrors = Record<string, string[]>;

export type ErrorCode =
  | "validation_failed"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "idempotency_key_reused"
  | "idempotency_in_progress"
  | "throttled"
  | "quotation_expired"
  | "internal";

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: {
      fieldErrors?: FieldErrors;
      /** Record the refused attempt in the audit trail (e.g. a foreign company's id). */
      auditDenied?: { entityType: string; entityId?: string; companyId?: string | null };
    } = {},
  ) {
    super(message);
    this.name = "DomainError";
  }

  get fieldErrors(): FieldErrors | undefined {
    return this.options.fieldErrors;
  }
}

export function notFound(entity: string, audit?: DomainError["options"]["auditDenied"]): DomainError {
  return new DomainError("not_found", `${entity} not found.`, { auditDenied: audit });
}

export function fieldError(field: string, message: string): DomainError {
  return new DomainError("validation_failed", message, { fieldErrors: { [field]: [message] } });
}

export type Result<T> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode; error: string; fieldErrors?: FieldErrors; requestId?: string };
