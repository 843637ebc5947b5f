import Form from "next/form";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui";

export type FilterFormProps = {
  /** The list's path; submitting leaves out `page`, so a new filter starts again at page 1. */
  action: string;
  /** Names the search landmark, e.g. "Filter orders". */
  label?: string;
  /** Shows the clear link, which goes back to the unfiltered list. */
  filtered: boolean;
  submitLabel?: string;
  clearLabel?: string;
  className?: string;
  actionsClassName?: string;
  children: ReactNode;
};

/**
 * GET filter form over a list with a submit button and, once filtered, a link that clears the filters.
 * Works without JavaScript. Key it by the current filters at the call site: selects, checkboxes and
 * inputs take their defaults only on mount, and "Clear" is a navigation, not a reset.
 */
export function FilterForm({
  action,
  label,
  filtered,
  submitLabel = "Apply filters",
  clearLabel = "Clear filters",
  className = "mb-4 flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end",
  actionsClassName = "flex gap-2",
  children,
}: FilterFormProps) {
  return (
    <Form action={action} role="search" aria-label={label} className={className}>
      {children}
      <div className={actionsClassName}>
        <Button type="submit" variant="secondary">
          {submitLabel}
        </Button>
        {filtered && (
          <Link href={action} className="inline-flex min-h-10 items-center px-2 text-sm font-medium text-brand-700 hover:underline">
            {clearLabel}
          </Link>
        )}
      </div>
    </Form>
  );
}
