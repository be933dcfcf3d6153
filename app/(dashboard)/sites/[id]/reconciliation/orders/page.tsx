import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { reconciliationOrders } from "@/lib/reconciliation/views";
import { reconciliationOrdersQuery } from "@/lib/schemas/orders";
import { Card, EmptyState, PageHeader, Table, Td, Th, formatDate } from "@/components/ui/primitives";
import { OutcomeBadge } from "@/components/reconciliation/outcome-badge";

export const metadata = { title: "Reconciliation · orders" };

const OUTCOMES: Record<string, string> = {
  any: "All orders",
  delivered: "Delivered",
  ignored: "Deliberately not sent",
  rejected: "Rejected",
  pending: "Pending",
  missing: "Missing",
  duplicated: "Counted twice",
  mismatch: "Value mismatch",
  cancelled: "Cancelled",
  refunded: "Refunded",
};

export default async function ReconciliationOrdersPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requireActor();
  const { id } = await params;
  const asked = Object.fromEntries(Object.entries(await searchParams).filter(([k, v]) => v && ["from", "to", "destinationId", "outcome", "day", "region", "q", "offset"].includes(k))) as Record<string, string>;
  const parsed = reconciliationOrdersQuery.safeParse(asked);
  const query = parsed.success ? parsed.data : reconciliationOrdersQuery.parse({});
  const list = await reconciliationOrders(actor, id, query).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  if (list instanceof Response) notFound();
  const destination = list.destinations.find((d) => d.id === query.destinationId);
  const shown = query.destinationId ? list.destinations.filter((d) => d.id === query.destinationId) : list.destinations;
  const keep = { ...asked };
  delete keep.offset;
  const page = (offset: number) => `/sites/${id}/reconciliation/orders?${new URLSearchParams({ ...keep, offset: String(offset) })}`;
  const detail = (orderId: string) => `/sites/${id}/reconciliation/orders/${encodeURIComponent(orderId)}?${new URLSearchParams({ from: list.period.from, to: list.period.to })}`;
  return (
    <>
      <PageHeader
        title={`${OUTCOMES[query.outcome]}${destination ? ` at ${destination.name}` : ""}`}
        description={`Orders placed ${list.period.from} to ${list.period.to}${query.region ? `, region ${query.region}` : ""}${query.day ? `, on ${query.day}` : ""}: ${list.total.toLocaleString("en-GB")}. Open an order to see its conversions and why.`}
        actions={
          <>
            <Link href={`/sites/${id}/reconciliation`} className="text-sm font-medium text-indigo-700 hover:underline">
              Back to reconciliation
            </Link>
            <a href={`/api/v1/sites/${id}/reconciliation/orders?${new URLSearchParams({ ...keep, format: "csv" })}`} className="text-sm font-medium text-indigo-700 hover:underline" download>
              Export CSV
            </a>
          </>
        }
      />
      <form className="mb-4 flex flex-wrap items-end gap-2" action={`/sites/${id}/reconciliation/orders`}>
        {Object.entries(keep)
          .filter(([k]) => k !== "q")
          .map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
        <div>
          <label htmlFor="order-search" className="block text-xs font-medium text-slate-600">
            Order id
          </label>
          <input id="order-search" name="q" defaultValue={query.q ?? ""} className="mt-1 w-56 rounded-md border border-slate-300 px-2 py-1.5 text-sm" />
        </div>
        <button type="submit" className="rounded-md bg-white px-3 py-1.5 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50">
          Find
        </button>
      </form>
      {list.data.length === 0 ? (
        <EmptyState title="No orders here">Nothing matches these filters in this period.</EmptyState>
      ) : (
        <Card>
          <Table>
            <thead>
              <tr>
                <Th>Order</Th>
                <Th>Placed</Th>
                <Th className="text-right">Value</Th>
                <Th>Region</Th>
                {shown.map((d) => (
                  <Th key={d.id}>{d.name}</Th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {list.data.map((o) => (
                <tr key={o.orderId}>
                  <Td>
                    <Link href={detail(o.orderId)} className="font-medium text-indigo-700 hover:underline">
                      {o.orderId}
                    </Link>
                    {o.status !== "paid" ? <span className="ml-1 text-xs text-slate-500">{o.status}</span> : null}
                  </Td>
                  <Td className="whitespace-nowrap">{formatDate(o.placedAt)}</Td>
                  <Td className="text-right tabular-nums">
                    {o.value.toLocaleString("en-GB", { minimumFractionDigits: 2 })} {o.currency}
                  </Td>
                  <Td>{o.region ?? "—"}</Td>
                  {shown.map((d) => {
                    const r = o.destinations.find((x) => x.destinationId === d.id)!;
                    return (
                      <Td key={d.id}>
                        <OutcomeBadge outcome={r.outcome} reason={r.reason} duplicated={r.duplicated} mismatch={r.mismatch} />
                      </Td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </Table>
          <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm">
            <span className="text-slate-600">
              {query.offset + 1}–{query.offset + list.data.length} of {list.total.toLocaleString("en-GB")}
            </span>
            <span className="flex gap-3">
              {query.offset > 0 ? (
                <Link href={page(Math.max(0, query.offset - query.limit))} className="font-medium text-indigo-700 hover:underline">
                  Previous
                </Link>
              ) : null}
              {query.offset + query.limit < list.total ? (
                <Link href={page(query.offset + query.limit)} className="font-medium text-indigo-700 hover:underline">
                  Next
                </Link>
              ) : null}
            </span>
          </nav>
        </Card>
      )}
    </>
  );
}
