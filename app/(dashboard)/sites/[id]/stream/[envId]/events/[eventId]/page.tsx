import { notFound } from "next/navigation";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { getCollectedEvent } from "@/lib/stream/events";
import { Badge, Card, PageHeader, Table, Td, Th, formatDate } from "@/components/ui/primitives";
import { DeliveryBadges, EventStatus, consentLabel } from "@/components/stream/badges";
import { RefreshButton } from "@/components/stream/refresh-button";

export const metadata = { title: "Event" };

const json = (value: unknown) => JSON.stringify(value, null, 2);
const TONE: Record<string, "green" | "amber" | "red" | "slate" | "indigo"> = { ok: "green", retry: "amber", fail: "red", refused: "red", replayed: "indigo" };

export default async function EventPage({ params }: { params: Promise<{ id: string; envId: string; eventId: string }> }) {
  const actor = await requireActor();
  const { id, envId, eventId } = await params;
  const detail = await getCollectedEvent(actor, eventId).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  if (detail.environment.id !== envId || detail.environment.siteId !== id) notFound();
  const e = detail.event;
  return (
    <>
      <PageHeader
        title={`${e.name}${e.test ? " (test)" : ""}`}
        description={
          <>
            <Link className="text-indigo-700 hover:underline" href={`/sites/${id}/stream/${envId}`}>
              {detail.environment.siteName} · {detail.environment.name} live events
            </Link>{" "}
            · received {formatDate(e.receivedAt)}
          </>
        }
        actions={<RefreshButton />}
      />
      <div className="space-y-6">
        <Card title="Summary">
          <dl className="grid grid-cols-1 gap-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <div>
              <dt className="text-slate-500">event_id</dt>
              <dd className="break-all font-mono text-xs">{e.eventId}</dd>
            </div>
            <div>
              <dt className="text-slate-500">order_id</dt>
              <dd className="break-all font-mono text-xs">{e.orderId ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Status</dt>
              <dd>
                <EventStatus status={e.status} source={e.source} errors={e.errors} />
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Source · region · consent</dt>
              <dd>
                {e.source} · {e.region ?? "no region"} · {consentLabel(e.consent)}
              </dd>
            </div>
            <div className="sm:col-span-2 lg:col-span-4">
              <dt className="text-slate-500">Deliveries</dt>
              <dd className="mt-1">
                <DeliveryBadges badges={detail.badges} />
                <ul className="mt-2 space-y-0.5 text-xs text-slate-600">
                  {detail.badges
                    .filter((b) => b.message)
                    .map((b) => (
                      <li key={b.destinationId}>
                        {b.destination}: {b.message}
                      </li>
                    ))}
                </ul>
              </dd>
            </div>
          </dl>
        </Card>
        <Card title="As stored" description="What the collector kept: user data is hashed on arrival; only IP, user agent and click ids stay clear.">
          <pre tabIndex={0} className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800">
            {json({ params: e.params, user_data: e.userData, page: e.context, consent: e.consent, errors: e.errors, event_time: e.eventTime, version: e.versionNumber, test: e.test })}
          </pre>
        </Card>
        {detail.deliveries.length === 0 ? (
          <Card title="Deliveries">
            <p className="text-sm text-slate-600">{e.status === "rejected" ? "A rejected event is never forwarded." : "No destination received this event (see the badges above for why)."}</p>
          </Card>
        ) : null}
        {detail.deliveries.map((d) => (
          <Card
            key={d.id}
            title={`${d.destination} · ${d.eventName}`}
            description={`${d.platform} · ${d.status}${d.attempts ? ` after ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}` : ""}${d.lastError ? ` · ${d.lastError.slice(0, 200)}` : ""}`}
          >
            {d.attemptLog.length === 0 ? (
              <p className="text-sm text-slate-600">{d.status === "held" ? "Held: not sent." : "Not attempted yet."}</p>
            ) : (
              <div className="space-y-4">
                <Table>
                  <thead>
                    <tr>
                      <Th>#</Th>
                      <Th>Time (UTC)</Th>
                      <Th>Outcome</Th>
                      <Th>HTTP</Th>
                      <Th>Took</Th>
                      <Th>Error</Th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {d.attemptLog.map((a, i) => (
                      <tr key={i}>
                        <Td>{a.n ?? ""}</Td>
                        <Td className="whitespace-nowrap font-mono text-xs">{a.at ? new Date(a.at).toISOString().replace("T", " ").slice(0, 23) : ""}</Td>
                        <Td>
                          <Badge tone={TONE[a.outcome ?? ""] ?? "slate"}>{a.outcome === "ok" ? "delivered" : a.outcome === "replayed" ? `replayed by ${a.by ?? "?"}` : a.outcome}</Badge>
                        </Td>
                        <Td>{a.status ?? a.request?.httpStatus ?? "—"}</Td>
                        <Td>{a.request?.durationMs !== undefined && a.request?.durationMs !== null ? `${a.request.durationMs} ms` : "—"}</Td>
                        <Td className="max-w-md break-words text-xs">{a.error ?? ""}</Td>
                      </tr>
                    ))}
                  </tbody>
                </Table>
                {d.attemptLog
                  .filter((a) => a.request)
                  .map((a, i) => (
                    <details key={i} className="rounded-md border border-slate-200 p-3 text-sm" open={i === 0}>
                      <summary className="cursor-pointer font-medium text-slate-800">
                        Attempt {a.n}: POST {a.request!.url} → {a.request!.httpStatus ?? "no answer"}
                        {a.request!.count > 1 ? ` (a batch of ${a.request!.count} events)` : ""}
                      </summary>
                      <div className="mt-2 space-y-2">
                        {a.request!.count > 1 && a.request!.eventPart ? (
                          <>
                            <p className="text-xs font-medium text-slate-700">This event in the request</p>
                            <pre tabIndex={0} className="max-h-80 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs">{json(a.request!.eventPart)}</pre>
                          </>
                        ) : null}
                        <p className="text-xs font-medium text-slate-700">Request body, exactly as sent{a.request!.bodyTruncated ? " (first 256 KB)" : ""}</p>
                        <pre tabIndex={0} className="max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs">{a.request!.body ?? ""}</pre>
                        <p className="text-xs font-medium text-slate-700">The platform&apos;s answer</p>
                        <pre tabIndex={0} className="max-h-60 overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-2 font-mono text-xs">{a.request!.response || "(empty)"}</pre>
                      </div>
                    </details>
                  ))}
              </div>
            )}
          </Card>
        ))}
      </div>
    </>
  );
}
