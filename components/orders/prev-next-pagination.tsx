import Link from "next/link";
import { buttonClasses } from "@/components/ui";

/** Previous / next for lists that know only whether a next page exists (no total count). */
export function PrevNextPagination({ page, prevHref, nextHref, label = "Pagination" }: { page: number; prevHref: string | null; nextHref: string | null; label?: string }) {
  const enabled = buttonClasses("secondary", "sm");
  const disabled = `${enabled} pointer-events-none opacity-50`;
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
      <p data-testid="pagination-status">Page {page}</p>
      <div className="flex gap-2">
        {prevHref ? (
          <Link href={prevHref} rel="prev" className={enabled}>
            Previous
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            Previous
          </span>
        )}
        {nextHref ? (
          <Link href={nextHref} rel="next" className={enabled}>
            Next
          </Link>
        ) : (
          <span aria-disabled="true" className={disabled}>
            Next
          </span>
        )}
      </div>
    </nav>
  );
}
