import Form from "next/form";
import Link from "next/link";
import { Button, Input } from "@/components/ui";

/** GET search over a list (`?q=`); submitting starts again at page 1. Works without JavaScript. */
export function SearchForm({ action, q, label = "Search", placeholder }: { action: string; q?: string; label?: string; placeholder?: string }) {
  return (
    // Keyed by the query so "Clear" (a navigation, not a reset) shows the empty field again.
    <Form key={q ?? ""} action={action} role="search" className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-end">
      <Input label={label} name="q" type="search" defaultValue={q ?? ""} placeholder={placeholder} wrapperClassName="sm:w-80" />
      <div className="flex gap-2">
        <Button type="submit" variant="secondary">
          Search
        </Button>
        {q && (
          <Link href={action} className="inline-flex min-h-10 items-center px-2 text-sm font-medium text-brand-700 hover:underline">
            Clear search
          </Link>
        )}
      </div>
    </Form>
  );
}
