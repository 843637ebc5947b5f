import Link from "next/link";
import { buttonClasses } from "@/components/ui";

type PaginationBase = {
  page: number;
  /** Link target for a page number (keeps the list's other query parameters). */
  href: (page: number) => string;
  /** Names the navigation landmark when a page holds more than one list. */
  label?: string;
  /** Link text; staff lists say "Previous page" / "Next page", the customer pages "Previous" / "Next". */
  previousLabel?: string;
  nextLabel?: string;
};

export type PaginationProps = PaginationBase &
  (
    | { total: number; pageSize: number }
    /** Lists that know only whether a next page exists (no total count). */
    | { hasNext: boolean }
  );

export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/**
 * Previous / next links and where the reader is: "Page X of Y · N results" when the total is known,
 * else "Page X". Links render as disabled text at either end.
 */
export function Pagination(props: PaginationProps) {
  const { page, href, label = "Pagination", previousLabel = "Previous page", nextLabel = "Next page" } = props;
  let status;
  let prev: number | null;
  let next: number | null;
  if ("total" in props) {
    const { total, pageSize } = props;
    const pages = pageCount(total, pageSize);
    prev = page > 1 ? Math.min(page - 1, pages) : null;
    next = page < pages ? page + 1 : null;
    status = (
      <p>
        <span data-testid="pagination-status">
          Page {Math.min(page, pages)} of {pages}
        </span>
        <span className="text-slate-500"> · {total === 1 ? "1 result" : `${total} results`}</span>
      </p>
    );
  } else {
    prev = page > 1 ? page - 1 : null;
    next = props.hasNext ? page + 1 : null;
    status = <p data-testid="pagination-status">Page {page}</p>;
  }
  const enabled = buttonClasses("secondary", "sm");
  const disabled = `${enabled} pointer-events-none opacity-50`;
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      {status}
      <div className="flex gap-2">
        {prev ? (
          <Link href={href(prev)} rel="prev" className={enabled}>
            {previousLabel}
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            {previousLabel}
          </span>
        )}
        {next ? (
          <Link href={href(next)} rel="next" className={enabled}>
            {nextLabel}
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            {nextLabel}
          </span>
        )}
      </div>
    </nav>
  );
}
