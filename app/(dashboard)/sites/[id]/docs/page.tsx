import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { trackingPlanDoc } from "@/lib/docs/tracking-plan";
import { changeInWords } from "@/lib/docs/render";
import { Badge, Card, EmptyState, PageHeader, Table, Td, Th, formatDate } from "@/components/ui/primitives";
import { BUTTON, cx } from "@/components/ui/styles";

export const metadata = { title: "Tracking plan documentation" };

const DOWNLOAD = cx("inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm", BUTTON.secondary);

export default async function TrackingPlanDocsPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const doc = await trackingPlanDoc(actor, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const base = `/api/v1/sites/${doc.site.id}/tracking-plan`;
  return (
    <>
      <p className="mb-1 text-sm text-slate-600">
        <Link href="/sites" className="hover:underline">Sites</Link> / <Link href={`/sites/${doc.site.id}`} className="hover:underline">{doc.site.name}</Link>
      </p>
      <PageHeader
        title="Tracking plan documentation"
        description={
          <>
            What {doc.site.name} tracks, from its container&apos;s draft
            {doc.container ? (
              <>
                {" "}(<Link href={`/containers/${doc.container.id}`} className="text-indigo-700 underline">{doc.container.name}</Link>)
              </>
            ) : null}
            : each event&apos;s parameters, triggers, destinations and owner.
          </>
        }
        actions={
          <>
            <a href={`${base}/markdown`} download className={DOWNLOAD}>
              Download Markdown
            </a>
            <a href={`${base}/html`} download className={DOWNLOAD}>
              Download HTML
            </a>
          </>
        }
      />
      <div className="space-y-6">
        {doc.events.length === 0 ? (
          <EmptyState title="No events yet">
            {doc.container ? "Add events to the container (Containers → Events) and they are documented here." : "This site has no container yet."}
          </EmptyState>
        ) : null}
        {doc.events.map((e) => (
          <Card
            key={e.id}
            title={e.name}
            description={e.description || "No description yet."}
            actions={
              <div className="flex flex-wrap items-center gap-2 text-sm">
                {e.enabled ? null : <Badge tone="amber">off</Badge>}
                <span className="text-slate-700">Owner: {e.owner ?? <Badge tone="amber">nobody yet</Badge>}</span>
              </div>
            }
          >
            <div className="space-y-5">
              <p className="text-sm text-slate-600">
                Last change: {e.lastChange ? `${e.lastChange.action === "create" ? "created" : "changed"} ${formatDate(e.lastChange.at)} by ${e.lastChange.by}` : changeInWords(null)}
              </p>
              <section aria-label={`Parameters of ${e.name}`}>
                <h3 className="mb-1 text-sm font-semibold text-slate-900">Parameters</h3>
                {e.parameters.length ? (
                  <Table stack>
                    <thead>
                      <tr>
                        <Th>Parameter</Th>
                        <Th>Type</Th>
                        <Th>Required</Th>
                        <Th>Source</Th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {e.parameters.map((p) => (
                        <tr key={p.name}>
                          <Td className="font-mono text-xs" label="Parameter">{p.name}</Td>
                          <Td label="Type">{p.type}</Td>
                          <Td label="Required">{p.required ? "yes" : "no"}</Td>
                          <Td label="Source">{p.source ?? <span className="text-amber-800">not mapped</span>}</Td>
                        </tr>
                      ))}
                    </tbody>
                  </Table>
                ) : (
                  <p className="text-sm text-slate-600">None.</p>
                )}
                {e.userData.length ? (
                  <p className="mt-2 text-sm text-slate-700">
                    User data (hashed before storage): {e.userData.map((u) => `${u.field} from ${u.source}`).join("; ")}
                  </p>
                ) : null}
              </section>
              <section aria-label={`Triggers of ${e.name}`}>
                <h3 className="mb-1 text-sm font-semibold text-slate-900">Triggers</h3>
                {e.triggers.length ? (
                  <ul className="list-disc space-y-1 pl-5 text-sm text-slate-800">
                    {e.triggers.map((t) => (
                      <li key={t.name}>
                        <strong>{t.name}</strong>: {t.words}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="text-sm text-amber-800">None: the event does not fire on its own.</p>
                )}
              </section>
              <section aria-label={`Destinations of ${e.name}`}>
                <h3 className="mb-1 text-sm font-semibold text-slate-900">Destinations</h3>
                {e.destinations.length ? (
                  <Table stack>
                    <thead>
                      <tr>
                        <Th>Destination</Th>
                        <Th>Platform</Th>
                        <Th>Event name there</Th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {e.destinations.map((d) => (
                        <tr key={d.name}>
                          <Td label="Destination">{d.name}</Td>
                          <Td label="Platform">{d.platform}</Td>
                          <Td className="font-mono text-xs" label="Event name there">{d.eventName}</Td>
                        </tr>
                      ))}
                    </tbody>
                  </Table>
                ) : (
                  <p className="text-sm text-slate-600">None: the event is collected but sent nowhere.</p>
                )}
              </section>
            </div>
          </Card>
        ))}
        <Card title="Items without an owner" description="Give each one an owner, so people know whom to ask.">
          {doc.unowned.length ? (
            <ul className="grid gap-1 text-sm text-slate-800 sm:grid-cols-2">
              {doc.unowned.map((u) => (
                <li key={`${u.kind}-${u.name}`}>
                  <span className="text-slate-600">{u.kind}:</span> {u.name}
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">Every item has an owner.</p>
          )}
        </Card>
      </div>
    </>
  );
}
