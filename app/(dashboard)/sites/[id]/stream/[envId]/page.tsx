import { notFound } from "next/navigation";
import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { streamContext } from "@/lib/stream/watch";
import { ButtonLink, PageHeader } from "@/components/ui/primitives";
import { LiveStream } from "@/components/stream/live-stream";
import { EnvironmentTabs } from "@/components/stream/environment-tabs";

export const metadata = { title: "Live events" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" ? v : "");

export default async function StreamPage({ params, searchParams }: { params: Promise<{ id: string; envId: string }>; searchParams: Promise<Search> }) {
  const actor = await requireActor();
  const { id, envId } = await params;
  const search = await searchParams;
  const context = await streamContext(actor, id, envId).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const base = `/sites/${id}/stream/${envId}`;
  return (
    <>
      <PageHeader
        title={`Live events · ${context.environment.name}`}
        description={
          <>
            <Link className="text-indigo-700 hover:underline" href={`/sites/${id}`}>
              {context.site.name}
            </Link>{" "}
            · newest first · {context.liveVersion === null ? "nothing published yet" : `version ${context.liveVersion} live`}
          </>
        }
        actions={<ButtonLink href={`/sites/${id}/install/${envId}`} variant="secondary">Install</ButtonLink>}
      />
      <EnvironmentTabs siteId={id} environmentId={envId} view="stream" />
      <LiveStream
        environmentId={envId}
        detailHref={`${base}/events`}
        installHref={`/sites/${id}/install/${envId}`}
        eventNames={context.eventNames}
        destinations={context.destinations}
        initial={{ name: one(search.name), status: one(search.status), source: one(search.source), destinationId: one(search.destinationId), delivery: one(search.delivery), q: one(search.q) }}
      />
      {context.destinations.length ? (
        <p className="mt-6 text-sm text-slate-600">
          Delivery logs:{" "}
          {context.destinations.map((d, i) => (
            <span key={d.id}>
              {i ? ", " : ""}
              <Link className="text-indigo-700 hover:underline" href={`/sites/${id}/deliveries/${d.id}`}>
                {d.name}
              </Link>
            </span>
          ))}
        </p>
      ) : null}
    </>
  );
}
