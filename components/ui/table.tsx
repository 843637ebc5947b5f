import clsx from "clsx";
import type { HTMLAttributes, TableHTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";

export type TableProps = TableHTMLAttributes<HTMLTableElement> & {
  /** Screen-reader-only caption; also names the scroll region. */
  caption?: string;
};

export function Table({ caption, className, children, ...props }: TableProps) {
  return (
    // Focusable + named so keyboard users can scroll wide tables on narrow screens.
    <div
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm"
      {...(caption ? { role: "region", "aria-label": caption, tabIndex: 0 } : {})}
    >
      <table {...props} className={clsx("min-w-full divide-y divide-slate-200 text-left text-sm", className)}>
        {caption && <caption className="sr-only">{caption}</caption>}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead {...props} className={clsx("bg-slate-50", className)} />;
}

export function TBody({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody {...props} className={clsx("divide-y divide-slate-200", className)} />;
}

export function TR({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr {...props} className={clsx("hover:bg-slate-50", className)} />;
}

export function TH({ className, scope = "col", ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return (
    <th
      {...props}
      scope={scope}
      className={clsx("px-4 py-3 text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase", className)}
    />
  );
}

export function TD({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td {...props} className={clsx("px-4 py-3 align-top text-slate-800", className)} />;
}
