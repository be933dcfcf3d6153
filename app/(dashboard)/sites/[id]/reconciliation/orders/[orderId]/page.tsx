import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth/session";
import { NotFoundError } from "@/lib/errors";
import { reconciliationOrder } from "@/lib/reconciliation/views";
import { reconciliationQuery } from "@/lib/schemas/orders";
import { Card, PageHeader, Table, Td, Th, formatDate } from "@/components/ui/primitives";
import { OutcomeBadge } from "@/components/reconciliation/outcome-badge";

export const metadata = { title: "Order" };

export default async function ReconciliationOrderPage({ params }: { params: Promise<{ id: string; orderId: string }> }) {
  const actor = await requireActor();
  const { id, orderId } = await params;
  const order = await reconciliationOrder(actor, id, decodeURIComponent(orderId), reconciliationQuery.parse({})).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        title={`Order ${order.orderId}`}
        description={`Placed ${formatDate(order.placedAt)} · ${order.value.toLocaleString("en-GB", { minimumFractionDigits: 2 })} ${order.currency} · ${order.status}${order.region ? ` · region ${order.region}` : ""}${order.channel ? ` · ${order.channel}` : ""}`}
        actions={
          <Link href={`/sites/${id}/reconciliation`} className="text-sm font-medium text-indigo-700 hover:underline">
            Back to reconciliation
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="At each destination">
          <ul className="divide-y divide-slate-100">
            {order.destinations.map((d) => (
              <li key={d.destinationId} className="flex flex-wrap items-start gap-x-4 gap-y-1 py-2" data-destination={d.platform}>
                <span className="w-40 font-medium text-slate-900">{d.destination}</span>
                <OutcomeBadge outcome={d.outcome} reason={d.reason} duplicated={d.duplicated} mismatch={d.mismatch} />
                <span className="min-w-0 flex-1 text-sm text-slate-700">
                  {d.message ?? (d.outcome === "delivered" ? "accepted by the platform" : "")}
                  {d.mismatch ? ` — the conversion said ${d.mismatch.value ?? "no value"} ${d.mismatch.currency ?? ""}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </Card>
        <Card title="Conversions with this order id" description="Open one for what the collector kept, each delivery attempt and the platform's answer.">
          {order.events.length ? (
            <Table>
              <thead>
                <tr>
                  <Th>Received</Th>
                  <Th>event_id</Th>
                  <Th>Source</Th>
                  <Th>Value</Th>
                  <Th>Region</Th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {order.events.map((e) => (
                  <tr key={e.id}>
                    <Td className="whitespace-nowrap">
                      <Link href={`/sites/${id}/stream/${e.environmentId}/events/${e.id}`} className="font-medium text-indigo-700 hover:underline">
                        {formatDate(e.receivedAt)}
                      </Link>
                    </Td>
                    <Td className="font-mono text-xs">{e.eventId}</Td>
                    <Td>{e.source}</Td>
                    <Td>
                      {e.value ?? "—"} {e.currency ?? ""}
                    </Td>
                    <Td>{e.region ?? "—"}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <p className="text-sm text-slate-700">No conversion carrying this order id arrived: neither the browser (blocked, or the purchase tag did not fire) nor the backend sent it. Sending orders server-side to POST /api/v1/events closes this gap.</p>
          )}
        </Card>
      </div>
    </>
  );
}
