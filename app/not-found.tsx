import Link from "next/link";

export const metadata = { title: "Page not found" };

// Any unknown address outside the dashboard (the dashboard has its own, inside its layout).
export default function NotFound() {
  return (
    <main id="content" className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-md text-center">
        <p className="mb-6 text-xl font-semibold tracking-tight text-indigo-700">Tagpipe</p>
        <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
          <p className="text-sm font-semibold text-indigo-700">404</p>
          <h1 className="mt-1 text-lg font-semibold text-slate-900">Page not found</h1>
          <p className="mt-2 text-sm text-slate-600">There is nothing at this address. It may have moved, or the link may be mistyped.</p>
          <Link href="/overview" className="mt-5 inline-flex rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-700">
            Go to the dashboard
          </Link>
        </div>
      </div>
    </main>
  );
}
