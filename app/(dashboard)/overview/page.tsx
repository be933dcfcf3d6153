import Link from "next/link";
import { requireActor } from "@/lib/auth/session";
import { listSites } from "@/lib/config/sites";
import { listMembers } from "@/lib/team/members";
import { listAuditEntries } from "@/lib/audit/list";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, formatDate } from "@/components/ui/primitives";
import { describeAudit } from "@/lib/audit/describe";
import { teamHealth } from "@/lib/health/report";
import { KeyFigures } from "@/components/health/figures";

export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requireActor();
  const [sites, members, recent, health] = await Promise.all([
    listSites(actor),
    listMembers(actor),
    listAuditEntries(actor, { limit: 8, page: 1 }).then((r) => r.data),
    teamHealth(actor, "24h"),
  ]);
  const stats = [
    { label: "Sites", value: sites.length, href: "/sites" },
    { label: "Regions", value: sites.reduce((n, s) => n + s._count.regions, 0), href: "/sites" },
    { label: "Members", value: members.length, href: "/members" },
  ];
  return (
    <>
      <PageHeader
        title="Overview"
        description="Your team's sites, their signal, and what changed lately."
        actions={actor.role !== "viewer" ? <ButtonLink href="/sites/new">New site</ButtonLink> : null}
      />
      <div className="mb-6 grid grid-cols-1 gap-4 sm:grid-cols-3">
        {stats.map((s) => (
          <Link key={s.label} href={s.href} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-indigo-300">
            <p className="text-sm text-slate-600">{s.label}</p>
            <p className="mt-1 text-2xl font-semibold text-slate-900">{s.value}</p>
          </Link>
        ))}
      </div>
      {sites.length ? (
        <Card
          title="Signal, last 24 hours"
          description="Against the 24 hours before, from the health rollups."
          actions={<Link href="/health" className="text-sm font-medium text-indigo-700 hover:underline">Health of every site</Link>}
          className="mb-6"
        >
          <KeyFigures totals={health.totals} names={["received", "accepted", "rejected", "duplicates", "delivered", "failed", "dead"]} />
        </Card>
      ) : null}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Sites">
          {sites.length === 0 ? (
            <EmptyState title="No sites yet" action={actor.role !== "viewer" ? <ButtonLink href="/sites/new">Create your first site</ButtonLink> : null}>
              A site is a storefront: its hostnames, currency and regions.
            </EmptyState>
          ) : (
            <ul className="divide-y divide-slate-100">
              {sites.map((site) => (
                <li key={site.id} className="flex items-center justify-between py-2">
                  <Link href={`/sites/${site.id}`} className="font-medium text-indigo-700 hover:underline">
                    {site.name}
                  </Link>
                  <span className="text-sm text-slate-600">
                    {site.hostnames[0]} · {site.defaultCurrency} · {site._count.regions} regions ·{" "}
                    <Link href={`/sites/${site.id}/health`} className="font-medium text-indigo-700 hover:underline">
                      health
                    </Link>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="Recent changes" actions={<Link href="/audit" className="text-sm font-medium text-indigo-700 hover:underline">Audit log</Link>}>
          {recent.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing has changed yet.</p>
          ) : (
            <ul className="space-y-2 text-sm">
              {recent.map((e) => (
                <li key={e.id} className="flex flex-wrap items-baseline gap-x-2">
                  <span className="font-medium">{e.actorLabel}</span>
                  <span className="text-slate-700">{describeAudit(e)}</span>
                  <span className="text-xs text-slate-500">{formatDate(e.createdAt)}</span>
                  {e.actorTokenId ? <Badge>API</Badge> : null}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
    </>
  );
}
