// Import a Google Tag Manager container into this container's draft: upload, read the
// report and the diff, apply (components/gtm/gtm-import.tsx).
import Link from "next/link";
import { can } from "@/lib/rbac/permissions";
import { loadWorkspace } from "../workspace";
import { Alert } from "@/components/ui/primitives";
import { GtmImport } from "@/components/gtm/gtm-import";

export const metadata = { title: "Import from Google Tag Manager" };

export default async function GtmImportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor } = await loadWorkspace(id);
  return (
    <div className="space-y-4">
      <div>
        <h2 className="text-lg font-semibold text-slate-900">Import from Google Tag Manager</h2>
        <p className="text-sm text-slate-600">
          Tags, triggers and variables of a GTM web container become this draft&apos;s destinations, events, triggers and variables. Every item of the file is
          reported: imported, converted with changes, or not importable and why.{" "}
          <Link href={`/containers/${id}`} className="font-medium text-indigo-700 hover:underline">
            Back to the overview
          </Link>
        </p>
      </div>
      {can(actor.role, "draft:write") ? <GtmImport containerId={id} /> : <Alert tone="amber">Importing changes the draft, so it needs an editor, publisher or owner.</Alert>}
    </div>
  );
}
