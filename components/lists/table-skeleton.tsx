/**
 * Placeholder for a list's table while its rows load. Lists use it as a <Suspense> fallback inside the
 * page rather than as loading.tsx: a loading.tsx would start the response before the page's permission
 * check, and a refused or missing record would then answer 200 instead of 404.
 */
export function TableSkeleton({ label, rows = 8 }: { label: string; rows?: number }) {
  return (
    <div role="status" aria-live="polite" className="animate-pulse">
      <span className="sr-only">Loading {label}…</span>
      <div aria-hidden="true" className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <div className="h-10 bg-slate-100" />
        {Array.from({ length: rows }, (_, i) => (
          <div key={i} className="flex gap-4 border-t border-slate-200 px-4 py-3">
            <div className="h-4 w-1/4 rounded bg-slate-200" />
            <div className="h-4 w-1/3 rounded bg-slate-200" />
            <div className="h-4 w-1/6 rounded bg-slate-200" />
          </div>
        ))}
      </div>
    </div>
  );
}
