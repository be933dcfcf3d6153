import { notFound } from "next/navigation";
import { headers } from "next/headers";
import { originFromHeaders } from "@/lib/api/origin";
import { liveScripts } from "@/lib/compiler/serve";
import { requireActor } from "@/lib/auth/session";
import { getSite } from "@/lib/config/sites";
import { NotFoundError } from "@/lib/errors";
import { can } from "@/lib/rbac/permissions";
import { ButtonLink, Card, PageHeader } from "@/components/ui/primitives";
import { SiteForm } from "@/components/sites/site-form";
import { RegionsManager } from "@/components/sites/regions-manager";
import { EnvironmentsManager } from "@/components/sites/environments-manager";
import { DeleteSite } from "@/components/sites/delete-site";
import { watchOverview } from "@/lib/stream/watch";
import { WatchLinks } from "@/components/stream/watch-links";

export const metadata = { title: "Site" };

export default async function SitePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const site = await getSite(actor, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const origin = originFromHeaders(await headers());
  const scripts = await liveScripts(site.container?.environments ?? []);
  const [watch] = await watchOverview(actor, site.id);
  return (
    <>
      <PageHeader
        title={site.name}
        description={`${site.hostnames.join(", ")} · ${site.defaultCurrency}`}
        actions={
          <div className="flex flex-wrap gap-2">
            {site.container ? (
              <ButtonLink href={`/containers/${site.container.id}`} variant="secondary">
                Container
              </ButtonLink>
            ) : null}
            <ButtonLink href={`/sites/${site.id}/docs`} variant="secondary">
              Tracking plan docs
            </ButtonLink>
            <ButtonLink href={`/sites/${site.id}/health`} variant="secondary">
              Health
            </ButtonLink>
            <ButtonLink href={`/sites/${site.id}/alerts`} variant="secondary">
              Alerts
            </ButtonLink>
          </div>
        }
      />
      <div className="space-y-6">
        <Card title="Settings">
          {can(actor.role, "site:write") ? (
            <SiteForm site={site} />
          ) : (
            <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3">
              <div><dt className="text-slate-500">Name</dt><dd>{site.name}</dd></div>
              <div><dt className="text-slate-500">Hostnames</dt><dd>{site.hostnames.join(", ")}</dd></div>
              <div><dt className="text-slate-500">Default currency</dt><dd>{site.defaultCurrency}</dd></div>
            </dl>
          )}
        </Card>
        <Card title="Regions" description="Which currency and consent default apply, by country or by hostname and path.">
          <RegionsManager siteId={site.id} regions={site.regions} canWrite={can(actor.role, "region:write")} siteCurrency={site.defaultCurrency} />
        </Card>
        <Card title="Environments" description="Each environment serves its own container script. Events from non-production environments never reach production destinations.">
          {site.container ? (
            <EnvironmentsManager
              containerId={site.container.id}
              environments={site.container.environments.map((e) => ({ ...e, integrity: scripts.get(e.id)?.integrity ?? null }))}
              canWrite={can(actor.role, "environment:write")}
              origin={origin}
            />
          ) : (
            <p className="text-sm text-slate-600">This site has no container. Create one with POST /api/v1/containers.</p>
          )}
        </Card>
        {watch ? (
          <Card title="Install and watch" description="The snippet, server key and examples per environment; its events as they arrive; each destination's failed deliveries.">
            <WatchLinks site={watch} />
          </Card>
        ) : null}
        {can(actor.role, "site:delete") ? (
          <Card title="Danger zone" description="Deleting a site deletes its regions, container and environments. The audit log keeps the record.">
            <DeleteSite siteId={site.id} name={site.name} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
