// What the API and pages show of a reconciliation: the summary (per destination, per day,
// per region), the orders behind any figure (filtered, paged, or all as CSV), and one
// order with its conversions and their deliveries.
import { database } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors";
import type { ReconciliationOrdersQuery, ReconciliationQuery } from "../schemas/orders";
import { reconcile, type OrderResult, type Reconciliation } from "./reconcile";

export async function reconciliationSummary(actor: Actor, siteId: string, q: ReconciliationQuery) {
  const { results, ...summary } = await reconcile(actor, siteId, q, Date.now(), { results: false });
  void results;
  return summary;
}

function matches(o: OrderResult, q: ReconciliationOrdersQuery, destIds: string[]): boolean {
  if (q.q && o.orderId !== q.q) return false;
  if (q.day && new Date(o.placedMs).toISOString().slice(0, 10) !== q.day) return false;
  if (q.region && (o.region ?? "none") !== q.region) return false;
  if (q.outcome === "cancelled" || q.outcome === "refunded") return o.status === q.outcome;
  if (q.outcome === "any") return true;
  if (o.status !== "paid") return false;
  return destIds.some((id) => {
    const r = o.destinations[id];
    if (!r) return false;
    if (q.outcome === "duplicated") return !!r.duplicated;
    if (q.outcome === "mismatch") return !!r.mismatch;
    return r.outcome === q.outcome;
  });
}

function orderView(o: OrderResult, rec: Reconciliation) {
  return {
    orderId: o.orderId,
    placedAt: new Date(o.placedMs).toISOString(),
    value: o.value,
    currency: o.currency,
    status: o.status,
    channel: o.channel,
    region: o.region,
    destinations: rec.destinations.map((d) => ({ destinationId: d.id, destination: d.name, platform: d.platform, ...o.destinations[d.id] })),
  };
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The orders behind a figure; `format: csv` answers every matching order as CSV, one line per order and destination. */
export async function reconciliationOrders(actor: Actor, siteId: string, q: ReconciliationOrdersQuery) {
  const rec = await reconcile(actor, siteId, q);
  const destIds = q.destinationId ? [q.destinationId] : rec.destinations.map((d) => d.id);
  const hits = rec.results.filter((o) => matches(o, q, destIds)).sort((a, b) => b.placedMs - a.placedMs || a.orderId.localeCompare(b.orderId));
  if (q.format === "csv") {
    const lines = ["order_id,created_at,value,currency,status,region,destination,platform,outcome,reason,duplicated,value_mismatch,message"];
    for (const o of hits) {
      for (const d of rec.destinations) {
        if (q.destinationId && d.id !== q.destinationId) continue;
        const r = o.destinations[d.id];
        lines.push(
          [o.orderId, new Date(o.placedMs).toISOString(), o.value, o.currency, o.status, o.region, d.name, d.platform, r.outcome, r.reason, r.duplicated ? "yes" : "", r.mismatch ? `${r.mismatch.value ?? ""} ${r.mismatch.currency ?? ""}`.trim() : "", r.message]
            .map(csvCell)
            .join(","),
        );
      }
    }
    return new Response(lines.join("\n") + "\n", {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="reconciliation-${rec.site.id}-${rec.period.from}-${rec.period.to}.csv"`, "cache-control": "no-store" },
    });
  }
  return {
    period: rec.period,
    destinations: rec.destinations.map((d) => ({ id: d.id, name: d.name, platform: d.platform })),
    total: hits.length,
    offset: q.offset,
    data: hits.slice(q.offset, q.offset + q.limit).map((o) => orderView(o, rec)),
  };
}

/** One order: its stored fields, what happened at each destination, and every conversion that carried its id (with links to the event detail). */
export async function reconciliationOrder(actor: Actor, siteId: string, orderId: string, q: ReconciliationQuery) {
  const { sql } = await database();
  const [placed] = await sql.query<{ day: string }>(`SELECT to_char("placedAt", 'YYYY-MM-DD') AS day FROM "Order" WHERE "siteId" = $1 AND "orderId" = $2 AND "teamId" = $3`, [siteId, orderId, actor.teamId]);
  if (!placed) throw new NotFoundError("Order");
  const rec = await reconcile(actor, siteId, { ...q, from: placed.day, to: placed.day });
  const o = rec.results.find((r) => r.orderId === orderId);
  if (!o) throw new NotFoundError("Order");
  const events = await sql.query<{ id: string; eventId: string; environmentId: string; source: string; status: string; receivedAt: Date; value: string | null; currency: string | null; region: string | null }>(
    `SELECT e.id, e."eventId", e."environmentId", e.source, e.status, e."receivedAt", e.params->>'value' AS value, e.params->>'currency' AS currency, e.region
     FROM "CollectedEvent" e JOIN "Environment" env ON env.id = e."environmentId"
     JOIN "Container" c ON c.id = env."containerId"
     WHERE c."siteId" = $1 AND e."teamId" = $2 AND e."orderKey" = $3
     UNION
     SELECT e.id, e."eventId", e."environmentId", e.source, e.status, e."receivedAt", e.params->>'value', e.params->>'currency', e.region
     FROM "CollectedEvent" e WHERE e.id = ANY($4::text[]) AND e."teamId" = $2
     ORDER BY 6`,
    [siteId, actor.teamId, orderId, Object.values(o.destinations).flatMap((d) => d.eventIds)],
  );
  return { ...orderView(o, rec), events: events.map((e) => ({ ...e, receivedAt: new Date(e.receivedAt).toISOString() })) };
}
