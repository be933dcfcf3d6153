// The catalog check on the Health page (server component): the share of content_ids in
// conversions found in the catalog, the unknown ids with the events that carried them,
// and prices that differ from the catalog's.
import Link from "next/link";
import type { catalogCheck } from "@/lib/reconciliation/catalog";
import { Table, Td, Th } from "../ui/primitives";

type Check = Awaited<ReturnType<typeof catalogCheck>>;
const pct = (x: number | null) => (x === null ? "—" : `${(Math.round(x * 1000) / 10).toLocaleString("en-GB")} %`);

export function CatalogCheck({ check, siteId }: { check: Check; siteId: string }) {
  const event = (e: { id: string; environmentId: string }) => `/sites/${siteId}/stream/${e.environmentId}/events/${e.id}`;
  if (!check.products) return <p className="text-sm text-slate-600">No catalog yet: upload one below to check the content ids your conversions carry.</p>;
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <div className="rounded-lg border border-slate-200 p-3" data-figure="catalog-found">
          <dt className="text-xs font-medium text-slate-600">Content ids found</dt>
          <dd className="mt-1 text-xl font-semibold text-slate-900">{pct(check.foundShare)}</dd>
          <dd className="text-xs text-slate-500">of {check.occurrences.toLocaleString("en-GB")} in conversions</dd>
        </div>
        <div className="rounded-lg border border-slate-200 p-3">
          <dt className="text-xs font-medium text-slate-600">Unknown ids</dt>
          <dd className="mt-1 text-xl font-semibold text-slate-900">{check.unknownCount.toLocaleString("en-GB")}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 p-3">
          <dt className="text-xs font-medium text-slate-600">Prices that differ</dt>
          <dd className="mt-1 text-xl font-semibold text-slate-900">{check.priceDifferenceCount.toLocaleString("en-GB")}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 p-3">
          <dt className="text-xs font-medium text-slate-600">Products in the catalog</dt>
          <dd className="mt-1 text-xl font-semibold text-slate-900">{check.products.toLocaleString("en-GB")}</dd>
        </div>
      </dl>
      {check.unknown.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Unknown content id</Th>
              <Th className="text-right">Times seen</Th>
              <Th>Events that carried it</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {check.unknown.slice(0, 10).map((u) => (
              <tr key={u.contentId} data-unknown={u.contentId}>
                <Td className="font-mono text-xs">{u.contentId}</Td>
                <Td className="text-right tabular-nums">{u.occurrences}</Td>
                <Td>
                  {u.examples.map((e, i) => (
                    <Link key={e.id} href={event(e)} className="mr-2 inline-block whitespace-nowrap text-indigo-700 hover:underline">
                      event {i + 1}
                    </Link>
                  ))}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {check.priceDifferences.length ? (
        <Table>
          <thead>
            <tr>
              <Th>Product</Th>
              <Th className="text-right">In the conversion</Th>
              <Th className="text-right">In the catalog</Th>
              <Th>Event</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {check.priceDifferences.slice(0, 10).map((d) => (
              <tr key={`${d.eventId}-${d.contentId}`} data-price={d.contentId}>
                <Td className="font-mono text-xs">{d.contentId}</Td>
                <Td className="text-right tabular-nums">
                  {d.price} {d.currency ?? ""}
                </Td>
                <Td className="text-right tabular-nums">
                  {d.catalogPrice} {d.catalogCurrency ?? ""}
                </Td>
                <Td>
                  <Link href={event({ id: d.eventId, environmentId: d.environmentId })} className="text-indigo-700 hover:underline">
                    open
                  </Link>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      <p className="text-xs text-slate-500">From the newest {check.scannedLimit.toLocaleString("en-GB")} conversions with content ids among each environment&apos;s newest {check.scannedRows.toLocaleString("en-GB")} events of the last {check.days === 1 ? "day" : `${check.days} days`}; prices within ±0.01 or ±1 % count as equal.</p>
    </div>
  );
}
