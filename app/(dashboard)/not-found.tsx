import { ButtonLink } from "@/components/ui/primitives";

export default function NotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="mt-1 text-lg font-semibold">Not found</h1>
      <p className="mt-1 text-sm text-slate-600">It does not exist, or it belongs to another team.</p>
      <ButtonLink href="/overview" variant="secondary" className="mt-4">
        Back to overview
      </ButtonLink>
    </div>
  );
}
