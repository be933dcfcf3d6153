// Reconciliation: every backend order of a period against what Tagpipe received and
// delivered, per destination — delivered, rejected, ignored (and why), pending, missing;
// plus duplicated, value/currency mismatch, extra conversions (no order behind them), and
// cancelled/refunded orders apart. Accuracy per destination = (delivered + ignored) /
// paid orders, per day and per region.
//
// Computed on demand from two reads, no per-order query:
// - the site's orders placed in the period (index siteId, placedAt);
// - the purchases its environments received from the period's start to its end plus the
//   window (the collector's own index environmentId, receivedAt), each joined with its
//   outbox rows, which are found by a range of the Delivery primary key: the collector
//   makes each row's UUIDv7 id from its event's millisecond (lib/collector/writer.ts), so
//   the period is one key range, and no index on Delivery.collectedEventId is needed
//   (each index costs the collector's insert per event).
// Which destinations count: the server-side platforms of the forwarder's registry
// (lib/platforms/adapters.ts) that the production version sends the purchase to —
// whatever platforms the registry holds. Browser-only pixels are not reconciled: Tagpipe
// cannot see whether a browser call reached the platform.
import { database, prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors";
import { intakeFromSnapshot, type IntakeConfig } from "../collector/intake-config";
import { routeTo } from "../collector/routing";
import { adapterOf } from "../platforms/adapters";
import type { Snapshot } from "../versions/snapshot";
import type { ReconciliationQuery } from "../schemas/orders";
import { classify, type DeliveryRow, type Dest, type DestinationResult, type EventRow, type IgnoredReason, type OrderRow, type Tolerance } from "./classify";

/** The conversion orders are matched with. */
export const ORDER_EVENT = "purchase";
/** A conversion may carry a timestamp a little before the shop's own (clocks differ). */
export const EARLY_GRACE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

export type OrderResult = OrderRow & { region: string | null; destinations: Record<string, DestinationResult> };

export type Counts = {
  orders: number;
  delivered: number;
  rejected: number;
  ignored: number;
  pending: number;
  missing: number;
  duplicated: number;
  mismatch: number;
  ignoredBy: Record<IgnoredReason, number>;
  accuracy: number | null;
};

export type Reconciliation = {
  site: { id: string; name: string };
  period: { from: string; to: string; windowHours: number };
  tolerance: Tolerance;
  destinations: (Dest & Counts & { extra: number; cancelled: Counts; refunded: Counts })[];
  orders: { total: number; paid: number; cancelled: number; refunded: number };
  overall: Counts & { extra: number; countedOnce: number };
  daily: { day: string; destinationId: string; orders: number; delivered: number; ignored: number; accuracy: number | null }[];
  regions: { region: string; destinationId: string; orders: number; delivered: number; ignored: number; accuracy: number | null }[];
  results: OrderResult[];
};

function emptyCounts(): Counts {
  return { orders: 0, delivered: 0, rejected: 0, ignored: 0, pending: 0, missing: 0, duplicated: 0, mismatch: 0, ignoredBy: { consent: 0, region: 0, test: 0, no_click_id: 0, refused: 0 }, accuracy: null };
}
function add(c: Counts, r: DestinationResult) {
  c.orders++;
  c[r.outcome]++;
  if (r.reason) c.ignoredBy[r.reason]++;
  if (r.duplicated) c.duplicated++;
  if (r.mismatch) c.mismatch++;
}
function accuracy(c: { orders: number; delivered: number; ignored: number }): number | null {
  return c.orders ? (c.delivered + c.ignored) / c.orders : null;
}

type Tally = { orders: number; delivered: number; ignored: number };
function tally<T extends Tally>(map: Map<string, T>, key: string, create: () => T, r: DestinationResult) {
  let row = map.get(key);
  if (!row) map.set(key, (row = create()));
  row.orders++;
  if (r.outcome === "delivered") row.delivered++;
  if (r.outcome === "ignored") row.ignored++;
}

export function periodOf(q: Pick<ReconciliationQuery, "from" | "to">, now = Date.now()): { fromMs: number; toMs: number } {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const toMs = (q.to ? Date.parse(`${q.to}T00:00:00Z`) : today) + DAY_MS;
  const fromMs = q.from ? Date.parse(`${q.from}T00:00:00Z`) : toMs - 7 * DAY_MS;
  return { fromMs, toMs: Math.max(toMs, fromMs + DAY_MS) };
}

const ts = (ms: number) => new Date(ms).toISOString().replace("Z", "");

/** The UUIDv7 prefix of ids made in millisecond `ms` (the collector's outbox ids). */
function uuid7Bound(ms: number): string {
  const h = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-7`;
}

/** One received purchase and one of its outbox rows (all delivery fields null when it has none). */
type EventDeliveryRow = {
  id: string;
  orderId: string | null;
  environmentId: string;
  test: boolean;
  region: string | null;
  adConsent: string | null;
  versionNumber: number | null;
  value: string | null;
  currency: string | null;
  receivedMs: number;
  fired: string[] | null;
  destinationId: string | null;
  status: string | null;
  lastError: string | null;
  lastOutcome: string | null;
};

type Loaded = { site: { id: string; name: string; teamId: string; containerId: string }; envs: { id: string; kind: string; name: string }[]; production: { config: IntakeConfig; purchaseId: string } | null };

async function loadSite(actor: { teamId: string }, siteId: string): Promise<Loaded> {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true, name: true, teamId: true, container: { select: { id: true, environments: { select: { id: true, kind: true, name: true, versionId: true } } } } } });
  if (!site) throw new NotFoundError("Site");
  if (!site.container) return { site: { ...site, containerId: "" }, envs: [], production: null };
  const envs = site.container.environments;
  const prod = envs.find((e) => e.kind === "production" && e.versionId);
  let production: Loaded["production"] = null;
  if (prod) {
    const version = await db.version.findFirst({ where: { id: prod.versionId!, teamId: actor.teamId }, select: { number: true, snapshot: true } });
    if (version) {
      const config = intakeFromSnapshot({ id: prod.id, name: prod.name, teamId: site.teamId, kind: prod.kind, siteId: site.id, hostnames: [] }, { number: version.number, snapshot: version.snapshot as unknown as Snapshot });
      const purchase = config.events.get(ORDER_EVENT);
      if (purchase) production = { config, purchaseId: purchase.id };
    }
  }
  return { site: { id: site.id, name: site.name, teamId: site.teamId, containerId: site.container.id }, envs, production };
}

/** The destinations reconciled: server-side platforms the production version sends the purchase to. */
function reconciledDestinations(loaded: Loaded, names: Map<string, string>): Dest[] {
  if (!loaded.production) return [];
  const { config, purchaseId } = loaded.production;
  return config.destinations
    .filter((d) => adapterOf(d.platform) && d.eventIds.has(purchaseId))
    .map((d) => ({ id: d.id, name: names.get(d.id) ?? d.platform, platform: d.platform, dedupBy: adapterOf(d.platform)!.dedupBy ?? "event_id" }));
}

export async function reconcile(actor: Actor, siteId: string, q: ReconciliationQuery, now = Date.now(), options: RangeOptions = { results: true }): Promise<Reconciliation> {
  const { fromMs, toMs } = periodOf(q, now);
  return reconcileRange(actor, siteId, { fromMs, toMs, windowHours: q.windowHours, tolerance: { absolute: q.tolerance, percent: q.tolerancePercent } }, options);
}

/**
 * The order_accuracy alert's figures: per destination, the paid orders placed in
 * [fromMs, toMs) and how many were delivered or deliberately ignored. A site without
 * orders in the window costs one index probe.
 */
export async function orderAccuracy(site: { id: string; teamId: string }, fromMs: number, toMs: number) {
  const { sql } = await database();
  const [any] = await sql.query(`SELECT 1 FROM "Order" WHERE "siteId" = $1 AND "placedAt" >= $2::timestamp AND "placedAt" < $3::timestamp LIMIT 1`, [site.id, ts(fromMs), ts(toMs)]);
  if (!any) return [];
  const rec = await reconcileRange({ teamId: site.teamId }, site.id, { fromMs, toMs, windowHours: 48, tolerance: { absolute: 0.01, percent: 1 } }, { results: false });
  return rec.destinations.map((d) => ({ destinationId: d.id, orders: d.orders, delivered: d.delivered, ignored: d.ignored }));
}

/**
 * `results: false` leaves out the per-order results (an empty list) for callers that read
 * only the counts: 100,000 of them, each with its destinations, are most of what the
 * computation allocates.
 */
export type RangeOptions = { results: boolean };

export async function reconcileRange(
  actor: { teamId: string },
  siteId: string,
  range: { fromMs: number; toMs: number; windowHours: number; tolerance: Tolerance },
  options: RangeOptions = { results: true },
): Promise<Reconciliation> {
  const loaded = await loadSite(actor, siteId);
  const { fromMs, toMs, tolerance } = range;
  const q = { windowHours: range.windowHours };
  const windowMs = q.windowHours * 3_600_000;
  const { sql } = await database();
  const db = await prisma();

  const snapshotNames = new Map<string, string>();
  if (loaded.site.containerId) {
    for (const d of await db.destination.findMany({ where: { containerId: loaded.site.containerId, teamId: actor.teamId }, select: { id: true, name: true } })) snapshotNames.set(d.id, d.name);
  }
  const dests = reconciledDestinations(loaded, snapshotNames);
  const envIds = loaded.envs.map((e) => e.id);
  const productionEnvs = new Set(loaded.envs.filter((e) => e.kind === "production").map((e) => e.id));

  // Purchases received from the period's start (less the grace) to its end plus the window.
  const lo = fromMs - EARLY_GRACE_MS;
  const hi = toMs + windowMs;
  // The two reads run at once, on two connections. The outbox rows come with their event
  // (one row per event and delivery, or one with no delivery): a separate read of the
  // deliveries joined to the same event filter scanned the events twice and sent the
  // event ids back again (measured: a third less time for 100,000 orders). The attempt
  // log (which can be long) is read only for dead letters, the one case that needs its
  // last outcome.
  const [orderRows, eventRows] = await Promise.all([
    sql.query<{ orderId: string; placedMs: number; value: string; currency: string; status: string; channel: string | null }>(
      `SELECT "orderId", floor(extract(epoch from "placedAt") * 1000)::float8 AS "placedMs", value::text AS value, currency, status, channel
       FROM "Order" WHERE "siteId" = $1 AND "teamId" = $2 AND "placedAt" >= $3::timestamp AND "placedAt" < $4::timestamp`,
      [siteId, actor.teamId, ts(fromMs), ts(toMs)],
    ),
    envIds.length
      ? sql.query<EventDeliveryRow>(
          `SELECT e.id, e."orderId", e."environmentId", e.test, e.region, e.consent->>'ad_storage' AS "adConsent", e."versionNumber",
                  e.params->>'value' AS value, e.params->>'currency' AS currency, floor(extract(epoch from e."receivedAt") * 1000)::float8 AS "receivedMs", e.context->'fired' AS fired,
                  d."destinationId", d.status,
                  CASE WHEN d.status <> 'delivered' THEN d."lastError" END AS "lastError",
                  CASE WHEN d.status = 'dead' THEN d."attemptLog"->-1->>'outcome' END AS "lastOutcome"
           FROM "CollectedEvent" e
           LEFT JOIN "Delivery" d ON d."collectedEventId" = e.id AND d.id >= $6 AND d.id < $7 AND d."teamId" = $5 AND d."destinationId" = ANY($8::text[])
           WHERE e."environmentId" = ANY($1::text[]) AND e."receivedAt" >= $2::timestamp AND e."receivedAt" < $3::timestamp AND e.name = $4 AND e.status = 'accepted' AND e."teamId" = $5`,
          [envIds, ts(lo), ts(hi), ORDER_EVENT, actor.teamId, uuid7Bound(lo), uuid7Bound(hi + 1), dests.map((d) => d.id)],
        )
      : Promise.resolve([]),
  ]);
  const orders = orderRows.map((o): OrderRow => ({ ...o, value: Number(o.value) }));
  const events: EventRow[] = [];
  const deliveries = new Map<string, DeliveryRow[]>();
  for (const e of eventRows) {
    let list = deliveries.get(e.id);
    if (!list) {
      list = [];
      deliveries.set(e.id, list);
      const value = e.value === null || e.value === "" ? null : Number(e.value);
      events.push({
        id: e.id,
        orderId: e.orderId ?? "",
        environmentId: e.environmentId,
        production: productionEnvs.has(e.environmentId) && !e.test,
        test: e.test,
        region: e.region,
        adConsent: e.adConsent ?? "granted",
        fired: Array.isArray(e.fired) ? e.fired : undefined,
        versionNumber: e.versionNumber,
        value: value === null || Number.isNaN(value) ? null : value,
        currency: e.currency,
        receivedMs: e.receivedMs,
      });
    }
    if (e.destinationId !== null) list.push({ eventId: e.id, destinationId: e.destinationId, status: e.status!, lastError: e.lastError, lastOutcome: e.lastOutcome });
  }

  // The routing of events that got no outbox row, under the version each was collected under.
  const configs = await versionConfigs(loaded, actor.teamId, events);
  const route = (e: EventRow, destinationId: string) => {
    const config = e.versionNumber === null ? null : configs.get(`${e.environmentId}:${e.versionNumber}`);
    const def = config?.events.get(ORDER_EVENT);
    const d = config?.destinations.find((x) => x.id === destinationId);
    return config && def && d ? routeTo(d, def.id, { region: e.region, adConsent: e.adConsent, test: e.test, fired: e.fired, orderId: e.orderId }) : null;
  };

  const byOrder = new Map<string, EventRow[]>();
  for (const e of events) {
    if (!e.orderId) continue;
    const list = byOrder.get(e.orderId);
    if (list) list.push(e);
    else byOrder.set(e.orderId, [e]);
  }

  const perDest = new Map(dests.map((d) => [d.id, { paid: emptyCounts(), cancelled: emptyCounts(), refunded: emptyCounts(), extra: 0 }]));
  const overall = emptyCounts();
  const daily = new Map<string, { day: string; destinationId: string; orders: number; delivered: number; ignored: number }>();
  const regions = new Map<string, { region: string; destinationId: string; orders: number; delivered: number; ignored: number }>();
  const results: OrderResult[] = [];
  const matchedEvents = new Set<string>();
  let countedOnce = 0;
  const counts = { total: orders.length, paid: 0, cancelled: 0, refunded: 0 };

  // The day of each order, formatted once per day rather than once per order.
  const dayKeys = new Map<number, string>();
  const dayOf = (ms: number) => {
    const day = Math.floor(ms / DAY_MS);
    let key = dayKeys.get(day);
    if (key === undefined) dayKeys.set(day, (key = new Date(day * DAY_MS).toISOString().slice(0, 10)));
    return key;
  };

  for (const order of orders) {
    const candidates = byOrder.get(order.orderId);
    const inWindow = candidates ? candidates.filter((e) => e.receivedMs >= order.placedMs - EARLY_GRACE_MS && e.receivedMs <= order.placedMs + windowMs) : [];
    for (const e of inWindow) matchedEvents.add(e.id);
    const region = inWindow.find((e) => e.production)?.region ?? inWindow[0]?.region ?? null;
    const result: OrderResult | null = options.results ? { ...order, region, destinations: {} } : null;
    const status = order.status === "cancelled" || order.status === "refunded" ? order.status : "paid";
    counts[status]++;
    const dayKey = dayOf(order.placedMs);
    let once = true;
    for (const d of dests) {
      const r = classify(order, inWindow, deliveries, d, route, tolerance);
      if (result) result.destinations[d.id] = r;
      const bucket = perDest.get(d.id)!;
      add(bucket[status], r);
      if (status !== "paid") continue;
      add(overall, r);
      if (r.outcome !== "delivered" || r.duplicated) once = false;
      tally(daily, `${dayKey}|${d.id}`, () => ({ day: dayKey, destinationId: d.id, orders: 0, delivered: 0, ignored: 0 }), r);
      tally(regions, `${region ?? ""}|${d.id}`, () => ({ region: region ?? "none", destinationId: d.id, orders: 0, delivered: 0, ignored: 0 }), r);
    }
    if (status === "paid" && dests.length && once) countedOnce++;
    if (result) results.push(result);
  }

  // Extra: production purchases received in the period that match no order of the site
  // (none with their order id, or none within the window), delivered somewhere.
  const unmatched = events.filter((e) => e.production && !matchedEvents.has(e.id) && e.receivedMs >= fromMs && e.receivedMs < toMs);
  const unknownIds = [...new Set(unmatched.map((e) => e.orderId).filter(Boolean))];
  const known = new Set<string>();
  if (unknownIds.length) {
    // An order placed outside the period is no extra: its conversion belongs to another period.
    const rows = await sql.query<{ orderId: string; placedMs: number }>(
      `SELECT "orderId", floor(extract(epoch from "placedAt") * 1000)::float8 AS "placedMs" FROM "Order" WHERE "siteId" = $1 AND "orderId" = ANY($2::text[]) AND ("placedAt" < $3::timestamp OR "placedAt" >= $4::timestamp)`,
      [siteId, unknownIds, ts(fromMs), ts(toMs)],
    );
    for (const r of rows) known.add(r.orderId);
  }
  let extra = 0;
  for (const e of unmatched) {
    if (e.orderId && known.has(e.orderId)) continue;
    let any = false;
    for (const row of deliveries.get(e.id) ?? []) {
      const bucket = perDest.get(row.destinationId);
      if (bucket && row.status === "delivered") {
        bucket.extra++;
        any = true;
      }
    }
    if (any) extra++;
  }

  overall.accuracy = accuracy(overall);
  return {
    site: { id: loaded.site.id, name: loaded.site.name },
    period: { from: new Date(fromMs).toISOString().slice(0, 10), to: new Date(Math.max(fromMs, toMs - DAY_MS)).toISOString().slice(0, 10), windowHours: q.windowHours },
    tolerance,
    destinations: dests.map((d) => {
      const b = perDest.get(d.id)!;
      b.paid.accuracy = accuracy(b.paid);
      return { ...d, ...b.paid, extra: b.extra, cancelled: b.cancelled, refunded: b.refunded };
    }),
    orders: counts,
    overall: { ...overall, extra, countedOnce },
    daily: [...daily.values()].sort((a, b) => a.day.localeCompare(b.day)).map((r) => ({ ...r, accuracy: accuracy(r) })),
    regions: [...regions.values()].sort((a, b) => a.region.localeCompare(b.region)).map((r) => ({ ...r, accuracy: accuracy(r) })),
    results,
  };
}

async function versionConfigs(loaded: Loaded, teamId: string, events: EventRow[]): Promise<Map<string, IntakeConfig>> {
  const out = new Map<string, IntakeConfig>();
  const numbers = [...new Set(events.map((e) => e.versionNumber).filter((n): n is number => n !== null))];
  if (!numbers.length || !loaded.site.containerId) return out;
  const db = await prisma();
  const versions = await db.version.findMany({ where: { containerId: loaded.site.containerId, teamId, number: { in: numbers } }, select: { number: true, snapshot: true } });
  for (const env of loaded.envs) {
    for (const v of versions) {
      out.set(`${env.id}:${v.number}`, intakeFromSnapshot({ id: env.id, name: env.name, teamId, kind: env.kind, siteId: loaded.site.id, hostnames: [] }, { number: v.number, snapshot: v.snapshot as unknown as Snapshot }));
    }
  }
  return out;
}
