import { DomainError, type FieldErrors } from "./errors";

/**
 * Collects the problems a use case finds in its input, so a form shows all of them at once instead
 * of one per submit. `throwIfAny` raises them together as one validation_failed error.
 */
export class FieldProblems {
  private readonly errors: FieldErrors = {};

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  has(field: string): boolean {
    return field in this.errors;
  }

  get empty(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw this.error();
  }

  /** The problems as one validation_failed error (a single problem's message, else a summary). */
  error(): DomainError {
    const messages = Object.values(this.errors).flat();
    return new DomainError("validation_failed", messages.length === 1 ? messages[0]! : "Some fields need attention.", { fieldErrors: { ...this.errors } });
  }
}
