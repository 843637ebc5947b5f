import Link from "next/link";
import { buttonClasses } from "@/components/ui";

export type PaginationProps = {
  page: number;
  total: number;
  pageSize: number;
  /** Link target for a page number (keeps the list's other query parameters). */
  href: (page: number) => string;
  /** Names the navigation landmark when a page holds more than one list. */
  label?: string;
};

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Previous / next links and "Page X of Y"; links render as disabled text at either end. */
export function Pagination({ page, total, pageSize, href, label = "Pagination" }: PaginationProps) {
  const pages = pageCount(total, pageSize);
  const prev = page > 1 ? Math.min(page - 1, pages) : null;
  const next = page < pages ? page + 1 : null;
  const disabled = `${buttonClasses("secondary", "sm")} pointer-events-none opacity-50`;
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p>
        <span data-testid="pagination-status">
          Page {Math.min(page, pages)} of {pages}
        </span>
        <span className="text-slate-500"> · {total === 1 ? "1 result" : `${total} results`}</span>
      </p>
      <div className="flex gap-2">
        {prev ? (
          <Link href={href(prev)} rel="prev" className={buttonClasses("secondary", "sm")}>
            Previous page
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            Previous page
          </span>
        )}
        {next ? (
          <Link href={href(next)} rel="next" className={buttonClasses("secondary", "sm")}>
            Next page
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            Next page
          </span>
        )}
      </div>
    </nav>
  );
}
