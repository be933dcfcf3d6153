import { requireActor } from "@/lib/auth/session";
import { listSites } from "@/lib/config/sites";
import { PERIODS, teamHealth, type Counts, type Period } from "@/lib/health/report";
import { ButtonLink, Card, EmptyState, PageHeader } from "@/components/ui/primitives";
import { KeyFigures, Picker } from "@/components/health/figures";
import { SiteFigures } from "@/components/health/team-figures";

export const metadata = { title: "Health" };

const zero = (): Counts => ({ received: 0, accepted: 0, rejected: 0, duplicates: 0, delivered: 0, failed: 0, dead: 0 });

export default async function HealthIndexPage({ searchParams }: { searchParams: Promise<{ period?: string }> }) {
  const actor = await requireActor();
  const { period: asked } = await searchParams;
  const period: Period = asked && asked in PERIODS ? (asked as Period) : "24h";
  const [sites, health] = await Promise.all([listSites(actor), teamHealth(actor, period)]);
  const rows = sites.map((s) => {
    const h = health.sites.find((x) => x.siteId === s.id);
    return { id: s.id, name: s.name, current: h?.current ?? zero(), previous: h?.previous ?? zero() };
  });
  return (
    <>
      <PageHeader title="Health" description="Every site's signal: what was received and delivered, against the period before. Open a site for its charts, quality and coverage." />
      {sites.length === 0 ? (
        <EmptyState title="No sites yet" action={actor.role !== "viewer" ? <ButtonLink href="/sites/new">Create your first site</ButtonLink> : null}>
          Health appears once a site receives events.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <Picker base="/health" current={period} options={[["24h", "24 h"], ["7d", "7 d"], ["30d", "30 d"]]} label="Period" param="period" extra={{}} />
          <KeyFigures totals={health.totals} />
          <Card title="Sites">
            <SiteFigures rows={rows} />
          </Card>
        </div>
      )}
    </>
  );
}
