import type { ReactNode } from "react";

export type EmptyStateProps = {
  title: ReactNode;
  description: ReactNode;
  action?: ReactNode;
};

export function EmptyState({ title, description, action }: EmptyStateProps) {
  return (
    <div className="flex flex-col items-center rounded-lg border border-dashed border-slate-300 bg-white px-4 py-10 text-center">
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="size-10 text-slate-400"
      >
        <path d="M2.25 13.5h3.86a2.25 2.25 0 0 1 2.01 1.24l.26.52a2.25 2.25 0 0 0 2.01 1.24h3.22a2.25 2.25 0 0 0 2.01-1.24l.26-.52a2.25 2.25 0 0 1 2.01-1.24h3.86" />
        <path d="M2.25 13.5V18a2.25 2.25 0 0 0 2.25 2.25h15A2.25 2.25 0 0 0 21.75 18v-4.5l-2.6-7.8A2.25 2.25 0 0 0 17.02 4.2H6.98a2.25 2.25 0 0 0-2.13 1.5l-2.6 7.8Z" />
      </svg>
      {/* A <p>, not a heading, so it never breaks the host page's heading order. */}
      <p className="mt-3 text-base font-semibold text-slate-900">{title}</p>
      <p className="mt-1 max-w-md text-sm text-slate-600">{description}</p>
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}
