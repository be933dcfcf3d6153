import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listSites } from "@/lib/config/sites";
import { pendingSitePurges } from "@/lib/config/purge-jobs";
import { can } from "@/lib/rbac/permissions";
import { Alert, ButtonLink, Card, EmptyState, PageHeader, Table, Td, Th, formatDate } from "@/components/ui/primitives";

export const metadata = { title: "Sites" };

export default async function SitesPage() {
  const actor = await requireActor();
  const [sites, purging] = await Promise.all([listSites(actor), pendingSitePurges(actor.teamId)]);
  const canWrite = can(actor.role, "site:write");
  return (
    <>
      <PageHeader
        title="Sites"
        description="Each site is a storefront with its hostnames, default currency, regions and container."
        actions={canWrite ? <ButtonLink href="/sites/new">New site</ButtonLink> : null}
      />
      {purging.length > 0 && (
        <div className="mb-4 space-y-2">
          {purging.map((p) => (
            <Alert key={p.siteId} tone="amber">
              The data of the deleted {p.label} is being removed (since {formatDate(p.since)}).
            </Alert>
          ))}
        </div>
      )}
      {sites.length === 0 ? (
        <EmptyState title="No sites yet" action={canWrite ? <ButtonLink href="/sites/new">Create your first site</ButtonLink> : null}>
          Create a site for each storefront you track.
        </EmptyState>
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Hostnames</Th>
                <Th>Currency</Th>
                <Th>Regions</Th>
                <Th>Updated</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {sites.map((site) => (
                <tr key={site.id}>
                  <Td>
                    <Link href={`/sites/${site.id}`} className="font-medium text-indigo-700 hover:underline">
                      {site.name}
                    </Link>
                  </Td>
                  <Td className="text-slate-600">{site.hostnames.join(", ")}</Td>
                  <Td>{site.defaultCurrency}</Td>
                  <Td>{site._count.regions}</Td>
                  <Td className="whitespace-nowrap text-slate-600">{formatDate(site.updatedAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </>
  );
}
