import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listSites } from "@/lib/config/sites";
import { openIncidentCounts } from "@/lib/health/incidents";
import { Badge, Card, EmptyState, PageHeader, Table, Td, Th } from "@/components/ui/primitives";

export const metadata = { title: "Alerts" };

export default async function AlertsPage() {
  const actor = await requireActor();
  const [sites, open] = await Promise.all([listSites(actor), openIncidentCounts(actor)]);
  return (
    <>
      <PageHeader title="Alerts" description="Drops, silences, failures and silent drops, per site. Open a site for its incidents, channels and rules." />
      {sites.length === 0 ? (
        <EmptyState title="No sites yet">Alerts watch the traffic of each site you add.</EmptyState>
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Site</Th>
                <Th>Open incidents</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {sites.map((site) => {
                const n = open.get(site.id) ?? 0;
                return (
                  <tr key={site.id}>
                    <Td>
                      <Link href={`/sites/${site.id}/alerts`} className="font-medium text-indigo-700 hover:underline">
                        {site.name}
                      </Link>
                    </Td>
                    <Td>{n ? <Badge tone="red">{n} open</Badge> : <Badge tone="green">all clear</Badge>}</Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
        </Card>
      )}
    </>
  );
}
