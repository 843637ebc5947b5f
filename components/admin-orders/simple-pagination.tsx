import Link from "next/link";
import { buttonClasses } from "@/components/ui";

/** Previous / next for lists that know whether a next page exists but not the total. */
export function SimplePagination({ page, prevHref, nextHref }: { page: number; prevHref: string | null; nextHref: string | null }) {
  const enabled = buttonClasses("secondary", "sm");
  const disabled = `${enabled} pointer-events-none opacity-50`;
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p data-testid="pagination-status">Page {page}</p>
      <div className="flex gap-2">
        {prevHref ? (
          <Link href={prevHref} rel="prev" className={enabled}>
            Previous page
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            Previous page
          </span>
        )}
        {nextHref ? (
          <Link href={nextHref} rel="next" className={enabled}>
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
