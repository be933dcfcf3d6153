import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { reconciliationSummary } from "@/lib/reconciliation/views";
import { reconciliationQuery } from "@/lib/schemas/orders";
import { Badge, ButtonLink, Card, EmptyState, PageHeader, Table, Td, Th } from "@/components/ui/primitives";
import { Picker } from "@/components/health/figures";
import { AccuracyChart } from "@/components/reconciliation/accuracy-chart";

export const metadata = { title: "Reconciliation" };

const DAYS: [string, string][] = [["1", "Today"], ["7", "7 d"], ["30", "30 d"], ["90", "90 d"]];
const REASONS: Record<string, string> = { consent: "consent", region: "region", test: "test env.", no_click_id: "no click id", refused: "would refuse" };
const pct = (x: number | null) => (x === null ? "—" : `${(Math.round(x * 1000) / 10).toLocaleString("en-GB")} %`);

export default async function ReconciliationPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requireActor();
  const { id } = await params;
  const asked = await searchParams;
  const days = DAYS.some(([d]) => d === asked.days) ? Number(asked.days) : 7;
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const query = reconciliationQuery.parse({ from, to: today });
  const rec = await reconciliationSummary(actor, id, query).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const base = `/sites/${id}/reconciliation`;
  const drill = (extra: Record<string, string>) => `${base}/orders?${new URLSearchParams({ from, to: today, ...extra })}`;
  const dayList = Array.from({ length: days }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
  const cell = (n: number, destinationId: string, outcome: string, tone?: string) =>
    n ? (
      <Link href={drill({ destinationId, outcome })} className={`font-medium hover:underline ${tone ?? "text-indigo-700"}`}>
        {n.toLocaleString("en-GB")}
      </Link>
    ) : (
      <span className="text-slate-400">0</span>
    );
  return (
    <>
      <PageHeader
        title={`Reconciliation · ${rec.site.name}`}
        description={`Each order your shop recorded, against what every destination received: placed ${rec.period.from} to ${rec.period.to} (UTC), conversions counted up to ${rec.period.windowHours} h after the order. Accuracy = (delivered + deliberately not sent) ÷ paid orders.`}
        actions={
          <>
            <ButtonLink variant="secondary" href={`/sites/${id}/orders`}>
              Import orders
            </ButtonLink>
            <a href={`/api/v1/sites/${id}/reconciliation/orders?${new URLSearchParams({ from, to: today, format: "csv" })}`} className="text-sm font-medium text-indigo-700 hover:underline" download>
              Export CSV
            </a>
          </>
        }
      />
      <div className="mb-4">
        <Picker base={base} current={String(days)} options={DAYS} label="Period" param="days" extra={{}} />
      </div>
      {rec.orders.total === 0 ? (
        <EmptyState title="No orders in this period" action={<ButtonLink href={`/sites/${id}/orders`}>Import orders</ButtonLink>}>
          Upload your shop&apos;s orders as a CSV file, or send them from your backend to POST /api/v1/sites/{id}/orders; each is then matched with the conversions Tagpipe received and delivered.
        </EmptyState>
      ) : rec.destinations.length === 0 ? (
        <EmptyState title="No destination to reconcile">The production environment has no published version sending the purchase to a server-side destination.</EmptyState>
      ) : (
        <div className="space-y-6">
          <dl className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-4">
            {rec.destinations.map((d) => (
              <div key={d.id} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm" data-destination={d.platform}>
                <dt className="text-xs font-medium text-slate-600">{d.platform.replace("_", " ")}</dt>
                <dd className="mt-1 text-base font-semibold text-slate-900">
                  reached {d.name}: {d.delivered.toLocaleString("en-GB")} of {d.orders.toLocaleString("en-GB")} orders
                </dd>
                <dd className="mt-1 text-sm text-slate-700">
                  accuracy <span className={`font-semibold ${d.accuracy !== null && d.accuracy < 0.9 ? "text-red-700" : "text-emerald-700"}`}>{pct(d.accuracy)}</span>
                  {d.missing ? (
                    <>
                      {" · "}
                      <Link href={drill({ destinationId: d.id, outcome: "missing" })} className="font-medium text-red-700 hover:underline">
                        {d.missing} missing
                      </Link>
                    </>
                  ) : null}
                </dd>
              </div>
            ))}
          </dl>
          <Card title="Accuracy over time" description="Per day of the order; the dashed line is the 90 % the accuracy alert watches by default.">
            <AccuracyChart days={dayList} destinations={rec.destinations} rows={rec.daily} threshold={90} />
          </Card>
          <Card title="Per destination" description={`${rec.orders.paid.toLocaleString("en-GB")} paid orders. Every figure opens the orders behind it.`}>
            <Table>
              <thead>
                <tr>
                  <Th>Destination</Th>
                  <Th className="text-right">Accuracy</Th>
                  <Th className="text-right">Delivered</Th>
                  <Th>Not sent (why)</Th>
                  <Th className="text-right">Rejected</Th>
                  <Th className="text-right">Pending</Th>
                  <Th className="text-right">Missing</Th>
                  <Th className="text-right">Twice</Th>
                  <Th className="text-right">Value off</Th>
                  <Th className="text-right">Extra</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rec.destinations.map((d) => (
                  <tr key={d.id}>
                    <Td className="font-medium">{d.name}</Td>
                    <Td className="text-right tabular-nums">
                      <Badge tone={d.accuracy === null ? "slate" : d.accuracy >= 0.9 ? "green" : "red"}>{pct(d.accuracy)}</Badge>
                    </Td>
                    <Td className="text-right tabular-nums">{cell(d.delivered, d.id, "delivered")}</Td>
                    <Td>
                      {d.ignored ? (
                        <Link href={drill({ destinationId: d.id, outcome: "ignored" })} className="font-medium text-indigo-700 hover:underline">
                          {d.ignored.toLocaleString("en-GB")}
                        </Link>
                      ) : (
                        <span className="text-slate-400">0</span>
                      )}
                      <span className="ml-1 text-xs text-slate-500">
                        {Object.entries(d.ignoredBy)
                          .filter(([, n]) => n)
                          .map(([r, n]) => `${REASONS[r]} ${n}`)
                          .join(", ")}
                      </span>
                    </Td>
                    <Td className="text-right tabular-nums">{cell(d.rejected, d.id, "rejected", "text-red-700")}</Td>
                    <Td className="text-right tabular-nums">{cell(d.pending, d.id, "pending")}</Td>
                    <Td className="text-right tabular-nums">{cell(d.missing, d.id, "missing", "text-red-700")}</Td>
                    <Td className="text-right tabular-nums">{cell(d.duplicated, d.id, "duplicated", "text-amber-700")}</Td>
                    <Td className="text-right tabular-nums">{cell(d.mismatch, d.id, "mismatch", "text-amber-700")}</Td>
                    <Td className="text-right tabular-nums">{d.extra ? d.extra.toLocaleString("en-GB") : <span className="text-slate-400">0</span>}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <p className="mt-3 text-xs text-slate-500">
              Extra: conversions delivered with no order behind them ({rec.overall.extra.toLocaleString("en-GB")} in all). Twice: two different conversions of one order delivered where the platform would not merge them. Value
              off: the delivered value or currency differs from the order&apos;s by more than ±{rec.tolerance.absolute} or ±{rec.tolerance.percent} %, whichever is larger.
            </p>
          </Card>
          <div className="grid grid-cols-1 gap-6 2xl:grid-cols-2">
            <Card title="Per region" description="The region of the order's conversion; orders nothing arrived for have none.">
              <Table>
                <thead>
                  <tr>
                    <Th>Region</Th>
                    <Th>Destination</Th>
                    <Th className="text-right">Orders</Th>
                    <Th className="text-right">Accuracy</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rec.regions.map((r) => (
                    <tr key={`${r.region}|${r.destinationId}`}>
                      <Td>{r.region}</Td>
                      <Td>{rec.destinations.find((d) => d.id === r.destinationId)?.name}</Td>
                      <Td className="text-right tabular-nums">
                        <Link href={drill({ destinationId: r.destinationId, region: r.region })} className="font-medium text-indigo-700 hover:underline">
                          {r.orders.toLocaleString("en-GB")}
                        </Link>
                      </Td>
                      <Td className="text-right tabular-nums">{pct(r.accuracy)}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </Card>
            <Card title="Cancelled and refunded" description="Shown apart: not counted in accuracy. A delivered conversion here may need a refund event at the platform.">
              <Table>
                <thead>
                  <tr>
                    <Th>Destination</Th>
                    <Th className="text-right">Cancelled</Th>
                    <Th className="text-right">of them delivered</Th>
                    <Th className="text-right">Refunded</Th>
                    <Th className="text-right">of them delivered</Th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rec.destinations.map((d) => (
                    <tr key={d.id}>
                      <Td>{d.name}</Td>
                      <Td className="text-right tabular-nums">{cell(d.cancelled.orders, d.id, "cancelled")}</Td>
                      <Td className="text-right tabular-nums">{d.cancelled.delivered}</Td>
                      <Td className="text-right tabular-nums">{cell(d.refunded.orders, d.id, "refunded")}</Td>
                      <Td className="text-right tabular-nums">{d.refunded.delivered}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            </Card>
          </div>
        </div>
      )}
    </>
  );
}
