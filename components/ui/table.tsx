import clsx from "clsx";
import type { HTMLAttributes, TableHTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";

export type TableProps = TableHTMLAttributes<HTMLTableElement> & {
  /** Screen-reader-only caption; also names the scroll region. */
  caption?: string;
  /**
   * Below `md` each row becomes a card: its cells stack, each after its column's name (TD `label`),
   * so a phone shows every figure without sideways scrolling. The same rows and cells render at
   * every width (one markup, one set of test ids); only CSS changes. Cells without a label (a
   * row's title, its buttons) take the card's full width.
   */
  stack?: boolean;
};

// Tailwind classes rather than a stylesheet of our own: the CSP allows no inline styles, and this
// keeps the whole stacked layout beside the table it changes. Selectors are the table's own rows
// and cells (`>`), so a table nested in a cell is left alone.
export const tableStackClasses = [
  "max-md:block",
  "max-md:[&>thead]:hidden",
  "max-md:[&>tbody]:block",
  "max-md:[&>tbody>tr]:flex max-md:[&>tbody>tr]:flex-col max-md:[&>tbody>tr]:py-3",
  "max-md:[&>tbody>tr>td]:flex max-md:[&>tbody>tr>td]:items-baseline max-md:[&>tbody>tr>td]:justify-between max-md:[&>tbody>tr>td]:gap-4 max-md:[&>tbody>tr>td]:py-1",
  "max-md:[&>tbody>tr>td:not([data-label])]:block",
  "max-md:[&>tbody>tr>td[data-label]]:before:shrink-0 max-md:[&>tbody>tr>td[data-label]]:before:text-slate-600 max-md:[&>tbody>tr>td[data-label]]:before:content-[attr(data-label)]",
  // A card is as wide as the screen: its values wrap (a long email, an audit action, a date) instead of
  // widening it, whatever `whitespace-nowrap` a cell or its content sets for the wide table; a <pre>
  // keeps its line breaks and wraps its long lines.
  "max-md:[&>tbody>tr>td]:whitespace-normal max-md:[&>tbody>tr>td]:[overflow-wrap:anywhere]",
  "max-md:[&>tbody>tr>td_:not(pre)]:whitespace-normal max-md:[&>tbody>tr>td_pre]:whitespace-pre-wrap",
  // The column's name in the page's font, whatever the value's cell sets (a mono SKU, a bold total).
  "max-md:[&>tbody>tr>td[data-label]]:before:font-sans max-md:[&>tbody>tr>td[data-label]]:before:text-sm max-md:[&>tbody>tr>td[data-label]]:before:font-normal",
].join(" ");

export function Table({ caption, stack = false, className, children, ...props }: TableProps) {
  return (
    // Focusable + named so keyboard users can scroll wide tables on narrow screens.
    <div
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm"
      {...(caption ? { role: "region", "aria-label": caption, tabIndex: 0 } : {})}
    >
      <table {...props} className={clsx("min-w-full divide-y divide-slate-200 text-left text-sm", stack && tableStackClasses, className)}>
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

export type TDProps = TdHTMLAttributes<HTMLTableCellElement> & {
  /** The column's name, shown before the value when the table is stacked (Table `stack`). */
  label?: string;
};

export function TD({ className, label, children, ...props }: TDProps) {
  return (
    <td {...props} data-label={label} className={clsx("px-4 py-3 align-top text-slate-800", className)}>
      {/* One box for the value, so a stacked cell is two parts (name, value) whatever the value holds. */}
      {label === undefined ? children : <div className="min-w-0 max-md:text-right">{children}</div>}
    </td>
  );
}
