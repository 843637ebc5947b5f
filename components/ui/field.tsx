import clsx from "clsx";
import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";
import { LengthLimit } from "./length-limit";

type FieldOwnProps = {
  label: ReactNode;
  name: string;
  /** One message or a list (e.g. zod `fieldErrors[name]`). */
  error?: string | string[];
  hint?: ReactNode;
  /** Class for the wrapper; `className` goes to the control itself. */
  wrapperClassName?: string;
};

export type InputProps = FieldOwnProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name">;
export type SelectProps = FieldOwnProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, "name">;
export type TextareaProps = FieldOwnProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name">;
export type CheckboxProps = FieldOwnProps & Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "type">;

function fieldA11y(id: string, error: string | string[] | undefined, hint: ReactNode, describedBy: string | undefined, maxLength?: number) {
  const errors = (Array.isArray(error) ? error : error ? [error] : []).filter(Boolean);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const lengthId = `${id}-length`;
  const ids = [describedBy, hint ? hintId : null, errors.length ? errorId : null, maxLength ? lengthId : null].filter(Boolean).join(" ");
  return {
    errors,
    hintId,
    errorId,
    lengthId,
    controlProps: { id, "aria-invalid": errors.length > 0 || undefined, "aria-describedby": ids || undefined },
  };
}

function controlClasses(invalid: boolean, className: string | undefined) {
  return clsx(
    // text-base below sm avoids iOS zooming into focused fields.
    "block w-full min-w-0 rounded-md border bg-white px-3 py-2 text-base text-slate-900 shadow-sm sm:text-sm",
    "placeholder:text-slate-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-brand-600",
    "disabled:cursor-not-allowed disabled:bg-slate-100 disabled:text-slate-600",
    invalid ? "border-red-700" : "border-slate-500",
    className,
  );
}

function Label({ htmlFor, required, children }: { htmlFor: string; required?: boolean; children: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="block text-sm font-medium text-slate-800">
      {children}
      {required && (
        <span aria-hidden="true" className="text-red-700">
          {" "}*
        </span>
      )}
    </label>
  );
}

function Hint({ id, children }: { id: string; children: ReactNode }) {
  if (!children) return null;
  return (
    <p id={id} className="text-sm text-slate-600">
      {children}
    </p>
  );
}

// Always rendered (empty when valid) so the polite live region exists before a message arrives.
function ErrorText({ id, errors }: { id: string; errors: string[] }) {
  return (
    <p id={id} aria-live="polite" className="text-sm text-red-700 empty:hidden">
      {errors.map((e, i) => (
        <span key={i} className="block">
          {e}
        </span>
      ))}
    </p>
  );
}

// No useId: these must render in server components, so default ids derive from the name.
// `maxLength` is not passed to the control: the browser would cut a long paste without a word.
// LengthLimit says so instead, and the server's schema rejects the value with the same limit.
export function Input({ label, name, error, hint, wrapperClassName, id, className, maxLength, ...props }: InputProps) {
  const fieldId = id ?? `field-${name}`;
  const a = fieldA11y(fieldId, error, hint, props["aria-describedby"], maxLength);
  return (
    <div className={clsx("space-y-1", wrapperClassName)}>
      <Label htmlFor={fieldId} required={props.required}>
        {label}
      </Label>
      <input {...props} {...a.controlProps} name={name} className={controlClasses(a.errors.length > 0, className)} />
      <Hint id={a.hintId}>{hint}</Hint>
      <ErrorText id={a.errorId} errors={a.errors} />
      {maxLength !== undefined && <LengthLimit id={a.lengthId} targetId={fieldId} max={maxLength} quietUntilEdited={a.errors.length > 0} />}
    </div>
  );
}

export function Select({ label, name, error, hint, wrapperClassName, id, className, children, ...props }: SelectProps) {
  const fieldId = id ?? `field-${name}`;
  const a = fieldA11y(fieldId, error, hint, props["aria-describedby"]);
  return (
    <div className={clsx("space-y-1", wrapperClassName)}>
      <Label htmlFor={fieldId} required={props.required}>
        {label}
      </Label>
      <select {...props} {...a.controlProps} name={name} className={controlClasses(a.errors.length > 0, className)}>
        {children}
      </select>
      <Hint id={a.hintId}>{hint}</Hint>
      <ErrorText id={a.errorId} errors={a.errors} />
    </div>
  );
}

export function Textarea({ label, name, error, hint, wrapperClassName, id, className, rows = 4, maxLength, ...props }: TextareaProps) {
  const fieldId = id ?? `field-${name}`;
  const a = fieldA11y(fieldId, error, hint, props["aria-describedby"], maxLength);
  return (
    <div className={clsx("space-y-1", wrapperClassName)}>
      <Label htmlFor={fieldId} required={props.required}>
        {label}
      </Label>
      <textarea
        {...props}
        {...a.controlProps}
        name={name}
        rows={rows}
        className={controlClasses(a.errors.length > 0, className)}
      />
      <Hint id={a.hintId}>{hint}</Hint>
      <ErrorText id={a.errorId} errors={a.errors} />
      {maxLength !== undefined && <LengthLimit id={a.lengthId} targetId={fieldId} max={maxLength} quietUntilEdited={a.errors.length > 0} />}
    </div>
  );
}

export function Checkbox({ label, name, error, hint, wrapperClassName, id, className, ...props }: CheckboxProps) {
  // Checkbox groups share a name, so include the value to keep default ids unique.
  const fieldId = id ?? (props.value !== undefined ? `field-${name}-${String(props.value)}` : `field-${name}`);
  const a = fieldA11y(fieldId, error, hint, props["aria-describedby"]);
  return (
    <div className={clsx("space-y-1", wrapperClassName)}>
      <div className="flex items-start gap-2">
        <input
          {...props}
          {...a.controlProps}
          type="checkbox"
          name={name}
          className={clsx(
            "mt-0.5 size-4 shrink-0 cursor-pointer rounded border-slate-500 accent-brand-600",
            "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600",
            "disabled:cursor-not-allowed",
            className,
          )}
        />
        <label htmlFor={fieldId} className="cursor-pointer text-sm text-slate-800">
          {label}
        </label>
      </div>
      <div className="pl-6">
        <Hint id={a.hintId}>{hint}</Hint>
        <ErrorText id={a.errorId} errors={a.errors} />
      </div>
    </div>
  );
}
