import { Input } from "@/components/ui";
import { FilterForm } from "./filter-form";

/** GET search over a list (`?q=`); submitting starts again at page 1. Works without JavaScript. */
export function SearchForm({ action, q, label = "Search", placeholder }: { action: string; q?: string; label?: string; placeholder?: string }) {
  return (
    // Keyed by the query so "Clear" (a navigation, not a reset) shows the empty field again.
    <FilterForm
      key={q ?? ""}
      action={action}
      filtered={Boolean(q)}
      submitLabel="Search"
      clearLabel="Clear search"
      className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-end"
    >
      <Input label={label} name="q" type="search" defaultValue={q ?? ""} placeholder={placeholder} wrapperClassName="sm:w-80" />
    </FilterForm>
  );
}
