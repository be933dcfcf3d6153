import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { GROUPS, PERIODS, healthPage, type Grain, type GroupBy, type Health, type Period } from "@/lib/health/report";
import { Card, EmptyState, PageHeader } from "@/components/ui/primitives";
import { Breakdown, CoverageTable, KeyFigures, MatchScores, Picker, QualityView, pct } from "@/components/health/figures";
import { CountsChart, CoverageChart, type ChartPoint } from "@/components/health/charts";
import { catalogCheck } from "@/lib/reconciliation/catalog";
import { can } from "@/lib/rbac/permissions";
import { CatalogCheck } from "@/components/reconciliation/catalog-check";
import { CatalogUpload } from "@/components/reconciliation/catalog-upload";

export const metadata = { title: "Health" };

const PERIOD_OPTIONS: [Period, string][] = [["24h", "24 h"], ["7d", "7 d"], ["30d", "30 d"]];
const GROUP_LABELS: Record<GroupBy, string> = { none: "Total", event: "Event", source: "Source", destination: "Destination", region: "Region", environment: "Environment" };

/** Every bucket of the period, the groups summed, zeros where nothing was counted. */
function points(health: Health): ChartPoint[] {
  const step = health.grain === "day" ? 86_400_000 : 3_600_000;
  const start = new Date(health.from).getTime();
  const first = health.grain === "day" ? start - (start % step) : start;
  const byAt = new Map<number, ChartPoint>();
  for (let t = first; t < new Date(health.to).getTime(); t += step) byAt.set(t, { at: new Date(t).toISOString(), current: {}, previous: {} });
  const add = (list: Health["series"], key: "current" | "previous") => {
    for (const p of list) {
      const point = byAt.get(new Date(p.at).getTime());
      if (!point) continue;
      for (const [name, value] of Object.entries(p)) if (typeof value === "number") point[key][name] = (point[key][name] ?? 0) + value;
    }
  };
  add(health.series, "current");
  add(health.previous, "previous");
  return [...byAt.values()];
}

export default async function SiteHealthPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requireActor();
  const { id } = await params;
  const query = await searchParams;
  const period: Period = query.period && query.period in PERIODS ? (query.period as Period) : "7d";
  const by: GroupBy = (GROUPS as readonly string[]).includes(query.by ?? "") ? (query.by as GroupBy) : "event";
  const grain: Grain = query.grain === "hour" || query.grain === "day" ? query.grain : period === "30d" ? "day" : "hour";
  const days = period === "24h" ? 1 : period === "7d" ? 7 : 30;
  const [{ health, quality, coverage }, catalog] = await Promise.all([healthPage(actor, id, { period, by, grain }), catalogCheck(actor, id, days)]).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const base = `/sites/${id}/health`;
  const empty = health.totals.current.received + health.totals.previous.received + health.totals.current.delivered === 0;
  const chart = points(health);
  return (
    <>
      <PageHeader
        title={`Health · ${health.site.name}`}
        description="Is the signal healthy? Counts come from hourly rollups kept current as events arrive and deliveries finish; the dashed line is the previous period."
        actions={<Link href={`/sites/${id}`} className="text-sm font-medium text-indigo-700 hover:underline">Site settings</Link>}
      />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-4">
          <Picker base={base} current={period} options={PERIOD_OPTIONS} label="Period" param="period" extra={{ by }} />
          <Picker base={base} current={grain} options={[["hour", "hour"], ["day", "day"]]} label="Per" param="grain" extra={{ period, by }} />
        </div>
        <Picker base={base} current={by} options={GROUPS.filter((g) => g !== "none").map((g) => [g, GROUP_LABELS[g]])} label="By" param="by" extra={{ period, grain }} />
      </div>
      {empty ? (
        <EmptyState title="No events yet" action={<Link href={`/sites/${id}`} className="text-sm font-medium text-indigo-700 hover:underline">Open the site&apos;s environments and snippet</Link>}>
          Nothing was received for this site in the last {PERIOD_OPTIONS.find(([p]) => p === period)![1]} or the period before. Once the container script is on the storefront, or the backend sends events to POST /api/v1/events, the counts appear here within seconds.
        </EmptyState>
      ) : (
        <div className="space-y-6">
          <KeyFigures totals={health.totals} backlog={health.backlog} />
          <div className="grid grid-cols-1 gap-6 xl:grid-cols-2">
            <Card title="Intake" description={`Per ${health.grain}: received, accepted, rejected and duplicates merged.`}>
              <CountsChart points={chart} series={["received", "accepted", "rejected", "duplicates"]} grain={health.grain} label="Events received per bucket" />
            </Card>
            <Card title="Delivery" description={`Per ${health.grain}: delivered, failed attempts and dead letters.`}>
              <CountsChart points={chart} series={["delivered", "failed", "dead"]} grain={health.grain} label="Deliveries per bucket" />
            </Card>
          </div>
          <Card title={`By ${GROUP_LABELS[by].toLowerCase()}`} description="This period, with the previous period below each figure.">
            <Breakdown health={health} />
          </Card>
          <Card
            title="Deduplication coverage"
            description={`Share of conversions received from both the browser and the server with the same event_id; Meta's goal is ${pct(coverage.overall.target)}. Overall: ${pct(coverage.overall.bothShare)}.`}
          >
            {coverage.events.length ? (
              <>
                <CoverageChart rows={coverage.events.map((e) => ({ name: e.name, both: e.bothShare, browserOnly: e.browserOnlyShare, serverOnly: e.serverOnlyShare }))} target={coverage.overall.target} />
                <CoverageTable coverage={coverage} />
              </>
            ) : (
              <p className="text-sm text-slate-600">No accepted conversions in this period.</p>
            )}
          </Card>
          <Card title="Match quality per destination" description="0–10: the share of delivered events carrying each key the platform matches on, weighted by what the platform says matters most (the weights: docs/health.md).">
            {quality.destinations.length ? <MatchScores quality={quality} /> : <p className="text-sm text-slate-600">This site has no destinations.</p>}
          </Card>
          <Card title="Parameter quality per event" description="Share of stored events with a valid value for each check, with recent offending events and a link to the mapping that produced them.">
            {quality.events.length ? <QualityView quality={quality} /> : <p className="text-sm text-slate-600">No events stored in this period.</p>}
          </Card>
          <Card title="Catalog check" description="The content ids your conversions carry, against your product catalog: ids the platforms cannot match to a product, and prices that differ.">
            <CatalogCheck check={catalog} siteId={id} />
            {can(actor.role, "site:write") ? (
              <div className="mt-4 border-t border-slate-100 pt-4">
                <CatalogUpload siteId={id} />
              </div>
            ) : null}
          </Card>
        </div>
      )}
    </>
  );
}
