// The container workspace's Overview tab: what the draft holds, what each environment
// serves, what stands between the draft and a version, and the draft as a file.
import Link from "next/link";
import { can } from "@/lib/rbac/permissions";
import { loadWorkspace } from "./workspace";
import { Alert, Badge, Card, formatDate } from "@/components/ui/primitives";
import { DraftProblems } from "@/components/versions/draft-problems";
import { ExportButton, ImportForm } from "@/components/versions/transfer";

export const metadata = { title: "Container" };

export default async function ContainerOverviewPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { actor, container, draft, problems } = await loadWorkspace(id);
  const base = `/containers/${id}`;
  const counts = [
    { label: "Events", value: draft.events.length, href: `${base}/events` },
    { label: "Triggers", value: draft.triggers.length, href: `${base}/triggers` },
    { label: "Variables", value: draft.variables.length, href: `${base}/variables` },
    { label: "Destinations", value: draft.destinations.length, href: `${base}/destinations` },
  ];
  return (
    <div className="space-y-6">
      <section aria-label="The draft">
        <h2 className="sr-only">The draft</h2>
        <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
          {counts.map((c) => (
            <Link key={c.label} href={c.href} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-300">
              <p className="text-sm text-slate-600">{c.label}</p>
              <p className="mt-1 text-2xl font-semibold text-slate-900">{c.value}</p>
            </Link>
          ))}
        </div>
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Environments" description="What each environment's script serves right now.">
          <ul className="divide-y divide-slate-100">
            {container.environments.map((env) => (
              <li key={env.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span className="font-medium text-slate-900">{env.name}</span>
                <span className="flex items-center gap-2 text-sm text-slate-600">
                  {env.version ? (
                    <>
                      <Badge tone="green">v{env.version.number} live</Badge>
                      {env.publishedAt ? <span>since {formatDate(env.publishedAt)}</span> : null}
                    </>
                  ) : (
                    <Badge>nothing published</Badge>
                  )}
                </span>
              </li>
            ))}
          </ul>
          {container.environments.length === 0 ? <p className="text-sm text-slate-600">No environments: add one on the site&apos;s page.</p> : null}
          <p className="mt-3 text-sm">
            <Link href={`${base}/versions`} className="font-medium text-indigo-700 hover:underline">
              Create versions, publish and roll back →
            </Link>
          </p>
        </Card>

        <Card title="Problems in the draft" description="A version can only be created from a draft without problems.">
          {problems.length === 0 ? (
            <Alert tone="green">No problems: the draft can become a version.</Alert>
          ) : (
            <>
              <p className="mb-3 text-sm text-slate-700">
                {problems.length} problem{problems.length === 1 ? "" : "s"} to fix. Each links to the tab where it is fixed.
              </p>
              <DraftProblems containerId={id} problems={problems} />
            </>
          )}
        </Card>
      </div>

      <Card
        title="Import and export"
        description="The draft as a JSON file: references by name, no secrets. Use it to copy a setup to another site or to keep a backup."
        actions={<ExportButton containerId={id} containerName={container.name} />}
      >
        {can(actor.role, "draft:write") ? (
          <ImportForm containerId={id} />
        ) : (
          <p className="text-sm text-slate-600">Importing replaces the draft, so it needs an editor, publisher or owner.</p>
        )}
        <p className="mt-4 border-t border-slate-100 pt-3 text-sm">
          <Link href={`${base}/gtm`} className="font-medium text-indigo-700 hover:underline">
            Import a Google Tag Manager container →
          </Link>{" "}
          <span className="text-slate-600">a report of every tag, trigger and variable, and the changes, before anything is written.</span>
        </p>
      </Card>
    </div>
  );
}
