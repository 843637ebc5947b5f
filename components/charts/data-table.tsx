import clsx from "clsx";
import type { ReactNode } from "react";
import { TBody, TD, TH, THead, TR } from "@/components/ui";
import { tableStackClasses } from "@/components/ui/table";

export type DataColumn = {
  key: string;
  label: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  /** The row's header cell (`<th scope="row">`), e.g. the month. */
  rowHeader?: boolean;
};

export type DataRow = { key: string; cells: Record<string, ReactNode> };

/**
 * The figures of a chart as a table: what screen readers, keyboard users and tests read, and the
 * fallback when the chart says nothing to someone. The caption is visible (it says what the rows
 * are and in which currency); the scroll region is focusable and named, so a wide table can be
 * scrolled sideways on a phone without the page scrolling.
 *
 * Props: `caption`; `columns` in order (`{ key, label, numeric?, rowHeader? }`); `rows`, each
 * `{ key, cells }` with `cells[column.key]` already formatted; `testId` on each body row; `stack`: below
 * `md` each row is a card (as Table `stack`), for report pages whose tables are the content.
 */
export function DataTable({ caption, columns, rows, testId, stack = false }: { caption: string; columns: readonly DataColumn[]; rows: readonly DataRow[]; testId?: string; stack?: boolean }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm" role="region" aria-label={caption} tabIndex={0}>
      <table className={clsx("min-w-full divide-y divide-slate-200 text-left text-sm", stack && tableStackClasses)}>
        <caption className="px-4 pt-3 pb-1 text-left text-sm font-semibold text-slate-900">{caption}</caption>
        <THead>
          <TR>
            {columns.map((c) => (
              <TH key={c.key} className={clsx(c.numeric && "text-right")}>
                {c.label}
              </TH>
            ))}
          </TR>
        </THead>
        <TBody>
          {rows.map((row) => (
            <TR key={row.key} data-testid={testId}>
              {columns.map((c) =>
                c.rowHeader ? (
                  // Not the TH primitive: its column-header look (small capitals) does not suit a row's name.
                  <th key={c.key} scope="row" className="px-4 py-3 text-left align-top font-medium whitespace-nowrap text-slate-900">
                    {row.cells[c.key]}
                  </th>
                ) : (
                  <TD key={c.key} label={stack ? c.label : undefined} className={clsx(c.numeric && "text-right whitespace-nowrap tabular-nums")}>
                    {row.cells[c.key]}
                  </TD>
                ),
              )}
            </TR>
          ))}
        </TBody>
      </table>
    </div>
  );
}
