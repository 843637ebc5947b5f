"use client";

import clsx from "clsx";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

/** "error" is accepted as an alias of "danger". */
export type ToastTone = "neutral" | "info" | "success" | "warning" | "danger" | "error";

export type ToastInput = { title: string; description?: string; tone?: ToastTone };
type ToastItem = ToastInput & { id: number };

export type ToastFn = (input: ToastInput) => void;
/** Callable as `toast(...)` and destructurable as `{ toast, dismiss }`. */
export type UseToastResult = ToastFn & { toast: ToastFn; dismiss: (id: number) => void };

const DISMISS_MS = 5000;

const toneClasses: Record<ToastTone, string> = {
  neutral: "border-l-slate-500",
  info: "border-l-blue-600",
  success: "border-l-green-600",
  warning: "border-l-amber-500",
  danger: "border-l-red-600",
  error: "border-l-red-600",
};

type ToastContextValue = { toast: ToastFn; dismiss: (id: number) => void };

const ToastContext = createContext<ToastContextValue | null>(null);

export function Toaster({ children }: { children?: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const nextId = useRef(0);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
    setToasts((list) => list.filter((t) => t.id !== id));
  }, []);

  const toast = useCallback<ToastFn>(
    (input) => {
      const id = ++nextId.current;
      setToasts((list) => [...list, { ...input, id }]);
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), DISMISS_MS),
      );
    },
    [dismiss],
  );

  useEffect(() => {
    const map = timers.current;
    return () => map.forEach(clearTimeout);
  }, []);

  const value = useMemo(() => ({ toast, dismiss }), [toast, dismiss]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      {/* The live region is always mounted so screen readers announce toasts added later. */}
      <div
        role="status"
        aria-live="polite"
        className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:inset-x-auto sm:right-0 sm:items-end"
      >
        {toasts.map((t) => (
          <div
            key={t.id}
            className={clsx(
              "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border border-l-4 border-slate-200 bg-white p-4 shadow-lg",
              toneClasses[t.tone ?? "neutral"],
            )}
          >
            <div className="min-w-0 flex-1">
              <p className="text-sm font-semibold text-slate-900">{t.title}</p>
              {t.description && <p className="mt-1 text-sm text-slate-600">{t.description}</p>}
            </div>
            <button
              type="button"
              onClick={() => dismiss(t.id)}
              aria-label="Dismiss notification"
              className="-m-1 rounded p-1 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="size-4">
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}

const noop: ToastContextValue = {
  toast: () => {
    if (process.env.NODE_ENV !== "production") console.warn("useToast() called outside <Toaster>; toast ignored.");
  },
  dismiss: () => {},
};

export function useToast(): UseToastResult {
  const ctx = useContext(ToastContext) ?? noop;
  return useMemo(() => Object.assign((input: ToastInput) => ctx.toast(input), ctx), [ctx]);
}

/** Fires one toast when mounted, e.g. on a page reached via redirect after an action. */
export function ToastOnMount({ title, description, tone }: ToastInput) {
  const { toast } = useToast();
  const fired = useRef(false);
  useEffect(() => {
    // Guard against StrictMode's double effect run in development.
    if (fired.current) return;
    fired.current = true;
    toast({ title, description, tone });
  }, [toast, title, description, tone]);
  return null;
}
