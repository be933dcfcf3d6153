// The skeleton a dashboard page shows while it loads. Used by the loading.tsx of pages
// that cannot answer "not found" (no id in their path) and of the container tabs (inside
// their layout, which has already checked the container): a loading boundary above a
// page that calls notFound() would stream a 200 before the page knows (docs/dashboard.md).
export function PageLoading() {
  return (
    <div role="status" aria-live="polite" className="animate-pulse space-y-4">
      <div className="h-7 w-48 rounded bg-slate-200" />
      <div className="h-4 w-96 max-w-full rounded bg-slate-200" />
      <div className="h-40 rounded-lg bg-slate-200" />
      <span className="sr-only">Loading…</span>
    </div>
  );
}
