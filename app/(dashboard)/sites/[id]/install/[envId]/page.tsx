import { notFound } from "next/navigation";
import { headers } from "next/headers";
import Link from "next/link";
import { originFromHeaders } from "@/lib/api/origin";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/rbac/permissions";
import { installInfo } from "@/lib/stream/install";
import { Alert, ButtonLink, Card, PageHeader } from "@/components/ui/primitives";
import { CopyBlock } from "@/components/ui/copy-block";
import { ServerKey } from "@/components/stream/server-key";
import { TestEventButton } from "@/components/stream/test-event-button";
import { EnvironmentTabs } from "@/components/stream/environment-tabs";

export const metadata = { title: "Install" };

export default async function InstallPage({ params }: { params: Promise<{ id: string; envId: string }> }) {
  const actor = await requireActor();
  const { id, envId } = await params;
  const origin = originFromHeaders(await headers());
  const info = await installInfo(actor, envId, origin).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  if (info.site.id !== id) notFound();
  const streamHref = `/sites/${id}/stream/${envId}`;
  return (
    <>
      <PageHeader
        title={`Install · ${info.environment.name}`}
        description={
          <>
            <Link className="text-indigo-700 hover:underline" href={`/sites/${id}`}>
              {info.site.name}
            </Link>{" "}
            · {info.liveVersion === null ? "nothing published yet" : `version ${info.liveVersion} live`}
          </>
        }
        actions={<ButtonLink href={streamHref} variant="secondary">Live events</ButtonLink>}
      />
      <EnvironmentTabs siteId={id} environmentId={envId} view="install" />
      <div className="space-y-6">
        <Card title="Container snippet" description="Put one of these in the storefront's <head>, on every page.">
          <div className="space-y-4">
            <CopyBlock id="snippet-plain" label="Snippet" code={info.snippets.plain} />
            {info.snippets.pinned ? (
              <CopyBlock id="snippet-pinned" label="Pinned to the live version, with Subresource Integrity" code={info.snippets.pinned} />
            ) : (
              <Alert tone="amber">Nothing is published to this environment yet: the script answers 404, and there is no pinned version to show.</Alert>
            )}
            <CopyBlock id="snippet-nonce" label="With a CSP nonce (replace {{CSP_NONCE}} with your page's nonce)" code={info.snippets.nonce} />
            <p className="text-xs text-slate-600">
              The pinned URL never changes content, so a publish does not reach pages using it until you update the snippet. The container loads its tags (the vendor code) as a second
              script on the first conversion that fires a pixel, pinned by the SHA-384 the container script carries, so pinning the container pins its tags too. That script, the
              vendors&apos; code and the preview panel get the page&apos;s nonce.
            </p>
          </div>
        </Card>
        <Card title="Data layer" description="Push these from the storefront (GA4's shape). Each fires its event with the live version's triggers and mappings.">
          {info.examples.length ? (
            <div className="space-y-4">
              {info.examples.map((e) => (
                <div key={e.event} className="space-y-1">
                  <CopyBlock id={`example-${e.event}`} label={e.how === "data_layer" ? `${e.event}` : `${e.event} (no data-layer trigger: call tagpipe("track"))`} code={e.code} />
                  {e.unmapped.length ? <p className="text-xs text-slate-600">Mapped from elsewhere than the data layer: {e.unmapped.join(", ")}.</p> : null}
                </div>
              ))}
            </div>
          ) : (
            <p className="text-sm text-slate-600">The live version handles no event yet. Add events to the container and publish a version.</p>
          )}
        </Card>
        <Card title="Server-side events" description="Send orders from your backend with the environment's server key; the same event_id as the browser's merges the two copies.">
          <div className="space-y-4">
            <ServerKey environmentId={envId} hasKey={info.environment.hasServerKey} prefix={info.environment.serverKeyPrefix} canWrite={can(actor.role, "environment:write")} />
            <CopyBlock id="server-curl" label="curl" code={info.server.curl} />
            <CopyBlock id="server-node" label="Node fetch" code={info.server.node} />
          </div>
        </Card>
        <Card title="Test it" description="Sends a test server event through the collector (marked test, event_id tagpipe_test_…); it shows in the live stream with its deliveries.">
          <TestEventButton environmentId={envId} streamHref={streamHref} canSend={can(actor.role, "draft:write")} />
        </Card>
      </div>
    </>
  );
}
