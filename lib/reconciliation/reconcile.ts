// Reconciliation: every backend order of a period against what Tagpipe received and
// delivered, per destination — delivered, rejected, ignored (and why), pending, missing;
// plus duplicated, value/currency mismatch, extra conversions (no order behind them), and
// cancelled/refunded orders apart. Accuracy per destination = (delivered + ignored) /
// paid orders, per day and per region.
//
// Computed on demand by one SQL statement (set-based: joins and aggregates in PostgreSQL,
// no per-order query and no per-order walk in Node for the summary) over three range reads:
// - the site's orders placed in the period (index siteId, placedAt);
// - the purchases its environments received from the period's start to its end plus the
//   window (the collector's own index environmentId, receivedAt);
// - their outbox rows, found by a range of the Delivery primary key: the collector makes
//   each row's UUIDv7 id from its event's millisecond (lib/collector/writer.ts), so the
//   period is one key range, and no index on Delivery.collectedEventId is needed (each
//   index costs the collector's insert per event).
// It answers the summary grouped (per day, region, status, destination and outcome: a few
// hundred rows for 100,000 orders); Node turns each group into its outcome (classify.ts)
// and re-derives the routing of the few orders whose conversions got no outbox row.
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
import { classify, routed, type Dest, type DestinationResult, type EventRow, type IgnoredReason, type Kind, type OrderRow, type RouteOf, type Tolerance } from "./classify";

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
/** Adds `n` orders of the same result. */
function add(c: Counts, r: DestinationResult, n: number) {
  c.orders += n;
  c[r.outcome] += n;
  if (r.reason) c.ignoredBy[r.reason] += n;
  if (r.duplicated) c.duplicated += n;
  if (r.mismatch) c.mismatch += n;
}
function accuracy(c: { orders: number; delivered: number; ignored: number }): number | null {
  return c.orders ? (c.delivered + c.ignored) / c.orders : null;
}

type Tally = { orders: number; delivered: number; ignored: number };
function tally<T extends Tally>(map: Map<string, T>, key: string, create: () => T, r: DestinationResult, n: number) {
  let row = map.get(key);
  if (!row) map.set(key, (row = create()));
  row.orders += n;
  if (r.outcome === "delivered") row.delivered += n;
  if (r.outcome === "ignored") row.ignored += n;
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
 * only the counts (the summary, the accuracy alert): the statement of one row per order
 * and destination is not run at all.
 */
export type RangeOptions = { results: boolean };

/**
 * The statement's common part: per order of the period and destination, one row `f` that
 * sums up the order's conversions and their outbox rows as a `Kind` (classify.ts), with
 * the facts its result needs. Everything is joined and grouped by PostgreSQL over the
 * three range reads (no per-order probe), so 100,000 orders come back as a few hundred
 * summary rows rather than 100,000 to walk. Where an order has several conversions, the
 * aggregates pick without sorting: the least region, the least error, any delivered copy
 * outside the tolerance (array_agg(… ORDER BY …) would sort once per order).
 *
 *   $1 site  $2 team  $3, $4 the period  $5 the site's environments  $6 its production ones
 *   $7, $8 the purchases' range  $9 destination ids  $10 whether each merges by order id
 *   $11, $12 the outbox rows' key range  $13 the early grace, $14 the window (ms)
 *   $15, $16 the tolerance (absolute, percent)  $17 the purchase's name
 */
const RECONCILED = `
WITH dst AS (SELECT * FROM unnest($9::text[], $10::bool[]) AS t(id, by_order)),
o AS (
  SELECT "orderId", "placedAt", value, currency, status, channel, CASE WHEN status IN ('cancelled', 'refunded') THEN status ELSE 'paid' END AS cls
  FROM "Order" WHERE "siteId" = $1 AND "teamId" = $2 AND "placedAt" >= $3::timestamp AND "placedAt" < $4::timestamp
),
e AS (
  -- num: the value as JavaScript's Number() reads the JSON's text (anything else is no value).
  SELECT id, "orderId", "environmentId" = ANY($6::text[]) AND NOT test AS production, region, "receivedAt", params->>'value' AS value, params->>'currency' AS currency,
         CASE WHEN params->>'value' ~ '^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$' THEN (params->>'value')::numeric END AS num
  FROM "CollectedEvent"
  WHERE "environmentId" = ANY($5::text[]) AND "receivedAt" >= $7::timestamp AND "receivedAt" < $8::timestamp AND name = $17 AND status = 'accepted' AND "teamId" = $2
),
dl AS (
  SELECT d."collectedEventId" AS eid, d."destinationId" AS dest, d.status, d."lastError" AS error,
         CASE WHEN d.status = 'dead' THEN d."attemptLog"->-1->>'outcome' END AS last
  FROM "Delivery" d
  WHERE d.id >= $11 AND d.id < $12 AND d."teamId" = $2 AND d."destinationId" = ANY($9::text[]) AND d."collectedEventId" IN (SELECT id FROM e WHERE production)
),
a AS (
  -- Each order with each destination, its conversions in the window, and their outbox rows there.
  -- A mismatch: a delivered conversion's value or currency outside the tolerance of the
  -- order's (the rule of withinTolerance, classify.ts).
  SELECT o."orderId", o."placedAt", o.cls, dst.id AS dest, dst.by_order,
         coalesce(min(e.region) FILTER (WHERE e.production), min(e.region)) AS region,
         array_agg(DISTINCT e.id) FILTER (WHERE e.production) AS prod,
         array_agg(DISTINCT e.id) FILTER (WHERE NOT e.production) AS tests,
         array_agg(DISTINCT e.id) FILTER (WHERE dl.status = 'delivered') AS delivered,
         min(ARRAY[e.value, e.currency]) FILTER (WHERE dl.status = 'delivered' AND NOT coalesce(
           upper(e.currency) = upper(o.currency) AND abs(e.num - o.value) <= greatest($15::numeric, abs(o.value) * $16::numeric / 100) + 1e-9, false)) AS mismatch,
         bool_or(dl.status = 'suppressed') AS suppressed,
         bool_or(dl.status = 'pending') AS pending,
         bool_or(dl.status = 'dead' AND dl.last IS DISTINCT FROM 'refused') AS rejected,
         min(dl.error) FILTER (WHERE dl.status = 'dead' AND dl.last IS DISTINCT FROM 'refused') AS rejected_error,
         bool_or(dl.status = 'dead' AND dl.last = 'refused') AS refused,
         min(dl.error) FILTER (WHERE dl.status = 'dead' AND dl.last = 'refused') AS refused_error,
         bool_or(dl.status = 'held') AS held
  FROM o CROSS JOIN dst
  LEFT JOIN e ON e."orderId" = o."orderId" AND e."receivedAt" >= o."placedAt" - $13 * interval '1 millisecond' AND e."receivedAt" <= o."placedAt" + $14 * interval '1 millisecond'
  LEFT JOIN dl ON dl.eid = e.id AND dl.dest = dst.id
  GROUP BY o."orderId", o."placedAt", o.cls, dst.id, dst.by_order
),
f AS (
  SELECT "orderId", "placedAt", cls, region, dest,
         CASE WHEN delivered IS NOT NULL THEN 'delivered' WHEN suppressed THEN 'suppressed' WHEN pending THEN 'pending'
              WHEN rejected THEN 'rejected' WHEN refused THEN 'refused' WHEN held THEN 'held'
              WHEN prod IS NOT NULL THEN 'route' WHEN tests IS NOT NULL THEN 'test' ELSE 'missing' END AS kind,
         CASE WHEN rejected THEN rejected_error ELSE refused_error END AS error,
         coalesce(cardinality(delivered) > 1 AND NOT by_order, false) AS duplicated,
         delivered IS NOT NULL AND mismatch IS NOT NULL AS mismatch,
         mismatch[1] AS "sentValue", mismatch[2] AS "sentCurrency",
         coalesce(delivered, prod, tests, '{}') AS "eventIds"
  FROM a
)`;

/** The summary in one row: the orders' facts grouped (never one row per order), the orders left to the routing, the extras, the counts. */
const SUMMARY = `${RECONCILED},
oo AS (
  SELECT "orderId", bool_and((kind IN ('delivered', 'suppressed') AND NOT duplicated) OR kind = 'route') AS once, bool_or(kind = 'route') AS routed
  FROM f WHERE cls = 'paid' GROUP BY "orderId"
),
ex AS (
  SELECT e.id FROM e
  WHERE e.production AND e."receivedAt" >= $3::timestamp AND e."receivedAt" < $4::timestamp
    AND NOT EXISTS (SELECT 1 FROM o WHERE o."orderId" = e."orderId" AND e."receivedAt" >= o."placedAt" - $13 * interval '1 millisecond' AND e."receivedAt" <= o."placedAt" + $14 * interval '1 millisecond')
    -- An order placed outside the period is no extra: its conversion belongs to another period.
    AND NOT EXISTS (SELECT 1 FROM "Order" x WHERE x."siteId" = $1 AND x."orderId" = e."orderId" AND (x."placedAt" < $3::timestamp OR x."placedAt" >= $4::timestamp))
)
SELECT
  (SELECT coalesce(json_agg(g), '[]') FROM (
     SELECT to_char("placedAt", 'YYYY-MM-DD') AS day, region, cls, dest, kind, CASE WHEN kind = 'refused' THEN error END AS error, duplicated, mismatch, count(*)::int AS n
     FROM f WHERE kind <> 'route' GROUP BY 1, 2, 3, 4, 5, 6, 7, 8) g) AS groups,
  (SELECT coalesce(json_agg(r), '[]') FROM (
     SELECT f."orderId", to_char(f."placedAt", 'YYYY-MM-DD') AS day, f.region, f.cls, f.dest, f."eventIds", coalesce(oo.once, false) AS once
     FROM f LEFT JOIN oo ON oo."orderId" = f."orderId" WHERE f.kind = 'route' AND f.dest IS NOT NULL) r) AS routes,
  (SELECT coalesce(json_agg(x), '[]') FROM (
     SELECT dl.dest, count(*)::int AS rows, count(DISTINCT dl.eid)::int AS events FROM ex JOIN dl ON dl.eid = ex.id WHERE dl.status = 'delivered' GROUP BY GROUPING SETS ((dl.dest), ())) x) AS extra,
  (SELECT coalesce(json_agg(c), '[]') FROM (SELECT cls, count(*)::int AS n FROM o GROUP BY cls) c) AS orders,
  (SELECT count(*)::int FROM oo WHERE once AND NOT routed) AS "countedOnce"`;

/** One row per order and destination (a null destination when none is reconciled), for the order lists. */
const PER_ORDER = `${RECONCILED}
SELECT o."orderId", floor(extract(epoch from o."placedAt") * 1000)::float8 AS "placedMs", o.value::text AS value, o.currency, o.status, o.channel,
       f.region, f.dest, f.kind, f.error, f.duplicated, f.mismatch, f."sentValue", f."sentCurrency", f."eventIds"
FROM o LEFT JOIN f ON f."orderId" = o."orderId"`;

/**
 * One statement over a period's orders in a transaction of its own: without JIT (its row
 * estimates are large, and PostgreSQL spent 5.7 s compiling it for 4 s of work, measured on
 * 100,000 orders) and with room to hash its joins and groups in memory (the default 4 MB
 * spilled them to disk).
 */
function analytic(db: Awaited<ReturnType<typeof database>>, text: string, params: unknown[]): Promise<unknown[]> {
  return db.transaction(async (sql) => {
    await sql.query("SET LOCAL jit = off");
    await sql.query("SET LOCAL work_mem = '64MB'");
    return sql.query(text, params);
  });
}

type Cls = "paid" | "cancelled" | "refunded";
type Group = { day: string; region: string | null; cls: Cls; dest: string; kind: Kind; error: string | null; duplicated: boolean; mismatch: boolean; n: number };
type RouteRow = { orderId: string; day: string; region: string | null; cls: Cls; dest: string; eventIds: string[]; once: boolean };
type Summary = { groups: Group[]; routes: RouteRow[]; extra: { dest: string | null; rows: number; events: number }[]; orders: { cls: Cls; n: number }[]; countedOnce: number };
type PerOrderRow = {
  orderId: string;
  placedMs: number;
  value: string;
  currency: string;
  status: string;
  channel: string | null;
  region: string | null;
  dest: string | null;
  kind: Kind | null;
  error: string | null;
  duplicated: boolean;
  mismatch: boolean;
  sentValue: string | null;
  sentCurrency: string | null;
  eventIds: string[];
};

const numberOrNull = (v: string | null) => {
  const n = v === null || v === "" ? null : Number(v);
  return n === null || Number.isNaN(n) ? null : n;
};

export async function reconcileRange(
  actor: { teamId: string },
  siteId: string,
  range: { fromMs: number; toMs: number; windowHours: number; tolerance: Tolerance },
  options: RangeOptions = { results: true },
): Promise<Reconciliation> {
  const loaded = await loadSite(actor, siteId);
  const { fromMs, toMs, tolerance } = range;
  const windowMs = range.windowHours * 3_600_000;
  const db = await database();

  const snapshotNames = new Map<string, string>();
  if (loaded.site.containerId) {
    for (const d of await db.prisma.destination.findMany({ where: { containerId: loaded.site.containerId, teamId: actor.teamId }, select: { id: true, name: true } })) snapshotNames.set(d.id, d.name);
  }
  const dests = reconciledDestinations(loaded, snapshotNames);
  const destById = new Map(dests.map((d) => [d.id, d]));
  // Purchases received from the period's start (less the grace) to its end plus the window.
  const lo = fromMs - EARLY_GRACE_MS;
  const hi = toMs + windowMs;
  const params = [
    siteId,
    actor.teamId,
    ts(fromMs),
    ts(toMs),
    loaded.envs.map((e) => e.id),
    loaded.envs.filter((e) => e.kind === "production").map((e) => e.id),
    ts(lo),
    ts(hi),
    // With no destination reconciled, one null destination keeps each order's row (and region) for the lists.
    dests.length ? dests.map((d) => d.id) : [null],
    dests.length ? dests.map((d) => d.dedupBy === "order_id") : [false],
    uuid7Bound(lo),
    uuid7Bound(hi + 1),
    EARLY_GRACE_MS,
    windowMs,
    tolerance.absolute,
    tolerance.percent,
    ORDER_EVENT,
  ];
  // The order lists' rows come from a statement of their own, on a second connection at once.
  const [[summary], perOrder] = await Promise.all([analytic(db, SUMMARY, params) as Promise<Summary[]>, options.results ? (analytic(db, PER_ORDER, params) as Promise<PerOrderRow[]>) : Promise.resolve([])]);
  const routed = await routeOrders(loaded, actor.teamId, summary.routes, destById);

  const perDest = new Map(dests.map((d) => [d.id, { paid: emptyCounts(), cancelled: emptyCounts(), refunded: emptyCounts(), extra: 0 }]));
  const overall = emptyCounts();
  const daily = new Map<string, { day: string; destinationId: string; orders: number; delivered: number; ignored: number }>();
  const regions = new Map<string, { region: string; destinationId: string; orders: number; delivered: number; ignored: number }>();
  const count = (g: { day: string; region: string | null; cls: Cls; dest: string }, r: DestinationResult, n: number) => {
    const bucket = perDest.get(g.dest);
    if (!bucket) return;
    add(bucket[g.cls], r, n);
    if (g.cls !== "paid") return;
    add(overall, r, n);
    tally(daily, `${g.day}|${g.dest}`, () => ({ day: g.day, destinationId: g.dest, orders: 0, delivered: 0, ignored: 0 }), r, n);
    tally(regions, `${g.region ?? ""}|${g.dest}`, () => ({ region: g.region ?? "none", destinationId: g.dest, orders: 0, delivered: 0, ignored: 0 }), r, n);
  };
  for (const g of summary.groups) {
    const dest = destById.get(g.dest);
    if (dest) count(g, classify({ kind: g.kind, error: g.error, duplicated: g.duplicated, mismatch: g.mismatch ? { value: null, currency: null } : null, eventIds: [] }, dest), g.n);
  }
  // An order left to the routing counts once when its other destinations did and every routed one is delivered.
  const onceRouted = new Map<string, boolean>();
  for (const row of summary.routes) {
    const r = routed.get(`${row.orderId}|${row.dest}`)!;
    count(row, r, 1);
    if (row.cls === "paid") onceRouted.set(row.orderId, (onceRouted.get(row.orderId) ?? row.once) && r.outcome === "delivered");
  }
  let countedOnce = summary.countedOnce;
  for (const once of onceRouted.values()) if (once) countedOnce++;
  let extra = 0;
  for (const x of summary.extra) {
    if (x.dest === null) extra = x.events;
    else if (perDest.has(x.dest)) perDest.get(x.dest)!.extra = x.rows;
  }
  const counts = { total: 0, paid: 0, cancelled: 0, refunded: 0 };
  for (const c of summary.orders) {
    counts[c.cls] += c.n;
    counts.total += c.n;
  }

  overall.accuracy = accuracy(overall);
  return {
    site: { id: loaded.site.id, name: loaded.site.name },
    period: { from: new Date(fromMs).toISOString().slice(0, 10), to: new Date(Math.max(fromMs, toMs - DAY_MS)).toISOString().slice(0, 10), windowHours: range.windowHours },
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
    results: orderResults(perOrder, destById, routed),
  };
}

/** The per-order results of the order lists, from the statement's rows and the routed ones. */
function orderResults(rows: PerOrderRow[], destById: Map<string, Dest>, routed: Map<string, DestinationResult>): OrderResult[] {
  const byOrder = new Map<string, OrderResult>();
  for (const row of rows) {
    let result = byOrder.get(row.orderId);
    if (!result) {
      result = { orderId: row.orderId, placedMs: row.placedMs, value: Number(row.value), currency: row.currency, status: row.status, channel: row.channel, region: row.region, destinations: {} };
      byOrder.set(row.orderId, result);
    }
    const dest = row.dest === null ? undefined : destById.get(row.dest);
    if (!dest || !row.kind) continue;
    const mismatch = row.mismatch ? { value: numberOrNull(row.sentValue), currency: row.sentCurrency } : null;
    result.destinations[dest.id] = row.kind === "route" ? routed.get(`${row.orderId}|${dest.id}`)! : classify({ kind: row.kind, error: row.error, duplicated: row.duplicated, mismatch, eventIds: row.eventIds }, dest);
  }
  return [...byOrder.values()];
}

/**
 * Kind `route`, decided in Node: the collector's routing (lib/collector/routing.ts) of each
 * production conversion, under the version it was collected under. Only orders whose
 * conversions got no outbox row at a destination come here (consent denied, another
 * region, the browser's tag): a few, read by primary key.
 */
async function routeOrders(loaded: Loaded, teamId: string, rows: RouteRow[], destById: Map<string, Dest>): Promise<Map<string, DestinationResult>> {
  const out = new Map<string, DestinationResult>();
  if (!rows.length) return out;
  const { sql } = await database();
  const found = await sql.query<Omit<EventRow, "adConsent" | "fired"> & { adConsent: string | null; fired: unknown }>(
    `SELECT id, "orderId", "environmentId", test, region, consent->>'ad_storage' AS "adConsent", "versionNumber", context->'fired' AS fired
     FROM "CollectedEvent" WHERE id = ANY($1::text[]) AND "teamId" = $2 ORDER BY "receivedAt", id`,
    [[...new Set(rows.flatMap((r) => r.eventIds))], teamId],
  );
  const events = new Map(
    found.map((e): [string, EventRow] => [e.id, { ...e, orderId: e.orderId ?? "", adConsent: e.adConsent ?? "granted", fired: Array.isArray(e.fired) ? (e.fired as string[]) : undefined }]),
  );
  const configs = await versionConfigs(loaded, teamId, [...events.values()]);
  const route: RouteOf = (e, destinationId) => {
    const config = e.versionNumber === null ? null : configs.get(`${e.environmentId}:${e.versionNumber}`);
    const def = config?.events.get(ORDER_EVENT);
    const d = config?.destinations.find((x) => x.id === destinationId);
    return config && def && d ? routeTo(d, def.id, { region: e.region, adConsent: e.adConsent, test: e.test, fired: e.fired, orderId: e.orderId }) : null;
  };
  // In the order they were received, as the ids' own order in the statement is not.
  const order = [...events.keys()];
  const rank = new Map(order.map((id, i) => [id, i]));
  for (const row of rows) {
    const production = row.eventIds.filter((id) => events.has(id)).sort((a, b) => rank.get(a)! - rank.get(b)!).map((id) => events.get(id)!);
    out.set(`${row.orderId}|${row.dest}`, routed(production, destById.get(row.dest)!, route));
  }
  return out;
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
