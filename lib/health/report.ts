// What the Health page, the Overview and the API read: sums over the hourly rollups
// (never the raw events) for a period and the one before it, the live backlog from the
// outbox index, and the quality and coverage figures with a few example events each
// (a LIMIT 5 query bounded to one hour, found from the rollups).
import { database, prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors";
import { MATCH_KEYS, PARAM_CHECKS, type MatchKeyName, type ParamCheckName } from "./keys";
import { coverage, keyShares, matchScore, share, validShare, MATCH_WEIGHTS, type Coverage } from "./quality";

export const PERIODS = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30 } as const;
export type Period = keyof typeof PERIODS;
export type Grain = "hour" | "day";
export const GROUPS = ["none", "event", "source", "destination", "region", "environment"] as const;
export type GroupBy = (typeof GROUPS)[number];

export const COUNT_NAMES = ["received", "accepted", "rejected", "duplicates", "delivered", "failed", "dead"] as const;
export type Counts = Record<(typeof COUNT_NAMES)[number], number>;
const zero = (): Counts => ({ received: 0, accepted: 0, rejected: 0, duplicates: 0, delivered: 0, failed: 0, dead: 0 });

/** The site with what the figures name: environments, destinations, container events (for links). */
async function siteContext(actor: Actor, siteId: string) {
  const db = await prisma();
  const site = await db.site.findFirst({
    where: { id: siteId, teamId: actor.teamId },
    select: {
      id: true,
      name: true,
      container: {
        select: {
          id: true,
          environments: { select: { id: true, name: true, kind: true } },
          destinations: { select: { id: true, name: true, definition: true } },
          events: { select: { id: true, planEvent: { select: { name: true } } } },
        },
      },
    },
  });
  if (!site) throw new NotFoundError("Site");
  const container = site.container;
  return {
    id: site.id,
    name: site.name,
    containerId: container?.id ?? null,
    environments: container?.environments ?? [],
    destinations: (container?.destinations ?? []).map((d) => ({ id: d.id, name: d.name, platform: String((d.definition as { platform?: string }).platform ?? "") })),
    events: (container?.events ?? []).map((e) => ({ id: e.id, name: e.planEvent.name })),
  };
}
type SiteContext = Awaited<ReturnType<typeof siteContext>>;

/** Everything the Health page shows, the site read once and the three reports at once. */
export async function healthPage(actor: Actor, siteId: string, options: { period: Period; by: GroupBy; grain?: Grain }) {
  const ctx = await siteContext(actor, siteId);
  const [health, quality, coverage] = await Promise.all([siteHealth(actor, siteId, options, ctx), siteQuality(actor, siteId, options.period, ctx), siteCoverage(actor, siteId, options.period, ctx)]);
  return { health, quality, coverage };
}

export type Span = "hour" | "day";

/**
 * The period [from, to) and the previous one [prev, from), as long, just before. Hourly
 * rows: the period ends with the current hour. Daily rows: with the current day (so "30
 * days" is today and the 29 days before).
 */
function window(period: Period, span: Span = "hour") {
  const hours = PERIODS[period];
  const end = span === "day" ? `date_trunc('day', LOCALTIMESTAMP) + interval '1 day'` : `date_trunc('hour', LOCALTIMESTAMP) + interval '1 hour'`;
  return `SELECT (${end})::timestamp(3) AS "to", (${end} - interval '${hours} hours')::timestamp(3) AS "from", (${end} - interval '${2 * hours} hours')::timestamp(3) AS "prev"`;
}
/** Daily rows for 30 days (30 per dimension instead of 720), hourly ones otherwise. */
const spanOf = (period: Period): Span => (period === "30d" ? "day" : "hour");
const utc = (t: string) => `${t.replace(" ", "T")}Z`;

const GROUP_SQL: Record<GroupBy, string> = {
  none: "''",
  event: "name",
  source: "source",
  destination: '"destinationId"',
  region: "region",
  environment: '"environmentId"',
};

export type SeriesPoint = { at: string; group: string } & Counts;
export type Health = {
  site: { id: string; name: string };
  period: Period;
  grain: Grain;
  by: GroupBy;
  from: string;
  to: string;
  previousFrom: string;
  /** The current period, per bucket (and group). */
  series: SeriesPoint[];
  /** The previous period, per bucket, shifted by one period so it lines up with `series`. */
  previous: SeriesPoint[];
  totals: { current: Counts; previous: Counts };
  groups: { group: string; label: string; current: Counts; previous: Counts }[];
  backlog: { pending: number; oldestAgeSeconds: number | null };
};

function labelOf(ctx: SiteContext, by: GroupBy, group: string): string {
  if (by === "destination") return ctx.destinations.find((d) => d.id === group)?.name ?? "(deleted destination)";
  if (by === "environment") return ctx.environments.find((e) => e.id === group)?.name ?? "(deleted environment)";
  if (by === "region") return group || "no region";
  if (by === "none") return "all";
  return group;
}

type Row = { at: string; shifted: string; prev: boolean; grp: string } & Record<(typeof COUNT_NAMES)[number], number>;

/** The counts over time for a site, grouped by one dimension, with the previous period beside. */
export async function siteHealth(actor: Actor, siteId: string, options: { period: Period; grain?: Grain; by?: GroupBy }, known?: SiteContext): Promise<Health> {
  const ctx = known ?? (await siteContext(actor, siteId));
  const grain = options.grain ?? (options.period === "30d" ? "day" : "hour");
  const span: Span = grain;
  const by = options.by ?? "none";
  const { sql } = await database();
  const hours = PERIODS[options.period];
  // Event-level counts live in destinationId = '' rows, delivery counts in the others:
  // summing all rows gives each its own total. Grouped by destination, only the latter.
  const [rows, [w], waiting] = await Promise.all([
    // Grouped on the raw values, cast afterwards: casting 30 days of rows to text first
    // cost more than the sums.
    sql.query<Row>(
    `WITH w AS (${window(options.period, span)})
     SELECT at::text AS at, (at + CASE WHEN prev THEN interval '${hours} hours' ELSE interval '0' END)::text AS shifted, prev, grp, ${COUNT_NAMES.map((c) => `"${c}"`).join(", ")}
     FROM (
       SELECT h.hour AS at, h.hour < w."from" AS prev, ${GROUP_SQL[by]} AS grp, ${COUNT_NAMES.map((c) => `sum(h."${c}")::int AS "${c}"`).join(", ")}
       FROM "HealthRollup" h, w
       WHERE h."siteId" = $1 AND h.span = '${span}' AND h."teamId" = $2 AND h.hour >= w.prev AND h.hour < w."to" ${by === "destination" ? `AND h."destinationId" <> ''` : ""}
       GROUP BY 1, 2, 3) x
     ORDER BY 1`,
    [ctx.id, actor.teamId],
    ),
    sql.query<{ from: string; to: string; prev: string }>(`SELECT "from"::text, "to"::text, prev::text FROM (${window(options.period, span)}) w`),
    backlog(actor, ctx.destinations.map((d) => d.id)),
  ]);
  const series: SeriesPoint[] = [];
  const previous: SeriesPoint[] = [];
  const totals = { current: zero(), previous: zero() };
  const groups = new Map<string, { current: Counts; previous: Counts }>();
  for (const r of rows) {
    const counts = Object.fromEntries(COUNT_NAMES.map((c) => [c, Number(r[c])])) as Counts;
    const point = { at: utc(r.shifted), group: r.grp, ...counts };
    (r.prev ? previous : series).push(point);
    const g = groups.get(r.grp) ?? { current: zero(), previous: zero() };
    for (const c of COUNT_NAMES) {
      (r.prev ? totals.previous : totals.current)[c] += counts[c];
      (r.prev ? g.previous : g.current)[c] += counts[c];
    }
    groups.set(r.grp, g);
  }
  return {
    site: { id: ctx.id, name: ctx.name },
    period: options.period,
    grain,
    by,
    from: utc(w.from),
    to: utc(w.to),
    previousFrom: utc(w.prev),
    series,
    previous,
    totals,
    groups: [...groups.entries()].map(([group, v]) => ({ group, label: labelOf(ctx, by, group), ...v })).sort((a, b) => b.current.received + b.current.delivered - (a.current.received + a.current.delivered)),
    backlog: waiting,
  };
}

/** Deliveries waiting, and the age of the oldest: read live from the outbox's (teamId, status) index. */
async function backlog(actor: Actor, destinationIds: string[]): Promise<Health["backlog"]> {
  if (!destinationIds.length) return { pending: 0, oldestAgeSeconds: null };
  const { sql } = await database();
  const [row] = await sql.query<{ pending: number; age: number | null }>(
    `SELECT count(*)::int AS pending, extract(epoch FROM (LOCALTIMESTAMP - min("createdAt")))::float8 AS age
     FROM "Delivery" WHERE "teamId" = $1 AND status = 'pending' AND "destinationId" = ANY($2::text[])`,
    [actor.teamId, destinationIds],
  );
  return { pending: row.pending, oldestAgeSeconds: row.age === null ? null : Math.max(0, Math.round(row.age)) };
}

/** The team's key figures for the Overview: per site, this period against the previous. */
export async function teamHealth(actor: Actor, period: Period) {
  const { sql } = await database();
  const rows = await sql.query<{ siteId: string; prev: boolean } & Counts>(
    `WITH w AS (${window(period, spanOf(period))})
     SELECT h."siteId", h.hour < w."from" AS prev, ${COUNT_NAMES.map((c) => `sum(h."${c}")::int AS "${c}"`).join(", ")}
     FROM "HealthRollup" h, w WHERE h."teamId" = $1 AND h.span = '${spanOf(period)}' AND h.hour >= w.prev AND h.hour < w."to"
     GROUP BY 1, 2`,
    [actor.teamId],
  );
  const bySite = new Map<string, { current: Counts; previous: Counts }>();
  const totals = { current: zero(), previous: zero() };
  for (const r of rows) {
    const s = bySite.get(r.siteId) ?? { current: zero(), previous: zero() };
    for (const c of COUNT_NAMES) {
      (r.prev ? s.previous : s.current)[c] += Number(r[c]);
      (r.prev ? totals.previous : totals.current)[c] += Number(r[c]);
    }
    bySite.set(r.siteId, s);
  }
  return { period, totals, sites: [...bySite.entries()].map(([siteId, v]) => ({ siteId, ...v })) };
}

export type Example = { eventId: string; receivedAt: string; problem: string };

const PARAM_PROBLEM: Record<ParamCheckName, string> = {
  value: "params.value",
  currency: "params.currency",
  content_ids: "params.content_ids",
  order_id: "params.order_id",
  required: "is required",
};

/**
 * Up to 5 recent events of `name` matching `where`: from the latest hour of the period
 * whose rollup says there are some, so the scan is one hour of one site's events.
 */
async function examples(ctx: SiteContext, name: string, hourWhere: string, where: string, problem: (row: { errors: { field: string; message: string }[]; source: string }) => string, from: string): Promise<Example[]> {
  if (!ctx.environments.length) return [];
  const { sql } = await database();
  // Two statements: the hour first, then the events of that hour with the hour as a
  // literal bound. In one statement the planner could not see the bound and, over ten
  // million events, walked the time index backwards through all of them (8 s).
  const [hour] = await sql.query<{ h: string | null }>(
    `SELECT max(hour)::text AS h FROM "HealthRollup" WHERE "siteId" = $1 AND span = 'hour' AND name = $2 AND "destinationId" = '' AND hour >= $3::timestamp AND ${hourWhere}`,
    [ctx.id, name, from.replace("T", " ").replace("Z", "")],
  );
  if (!hour?.h) return [];
  const rows = await sql.query<{ eventId: string; receivedAt: string; source: string; errors: { field: string; message: string }[] }>(
    `SELECT c."eventId", c."receivedAt"::text AS "receivedAt", c.source, c.errors FROM "CollectedEvent" c
     WHERE c."environmentId" = ANY($1::text[]) AND c."receivedAt" >= $2::timestamp AND c."receivedAt" < $2::timestamp + interval '1 hour' AND c.name = $3 AND ${where}
     ORDER BY c."receivedAt" DESC LIMIT 5`,
    [ctx.environments.map((e) => e.id), hour.h, name],
  );
  return rows.map((r) => ({ eventId: r.eventId, receivedAt: utc(r.receivedAt), problem: problem(r) }));
}

export type Quality = {
  site: { id: string; name: string };
  period: Period;
  events: {
    name: string;
    stored: number;
    accepted: number;
    /** The container event editor that maps this event's parameters and user data, if the draft has it. */
    link: string | null;
    checks: { key: ParamCheckName; label: string; failing: number; validShare: number; examples: Example[] }[];
    keys: { key: MatchKeyName; label: string; count: number; share: number }[];
  }[];
  destinations: { id: string; name: string; platform: string; delivered: number; keys: { key: MatchKeyName; label: string; share: number }[]; score: number | null; weights: Partial<Record<MatchKeyName, number>>; link: string | null }[];
};

const eventLink = (ctx: SiteContext, name: string) => {
  const e = ctx.events.find((x) => x.name === name);
  return ctx.containerId && e ? `/containers/${ctx.containerId}/events?edit=${e.id}#entity-${e.id}` : null;
};

/** Parameter validity and match keys per event, match-quality score per destination. */
export async function siteQuality(actor: Actor, siteId: string, period: Period, known?: SiteContext): Promise<Quality> {
  const ctx = known ?? (await siteContext(actor, siteId));
  const { sql } = await database();
  const sums = [...MATCH_KEYS.map((k) => k.column), ...PARAM_CHECKS.map((c) => c.column), "received", "accepted", "rejected", "delivered"];
  const rows = await sql.query<{ name: string; destinationId: string; from: string } & Record<string, number>>(
    `WITH w AS (${window(period, spanOf(period))})
     SELECT h.name, h."destinationId", min(w."from")::text AS "from", ${sums.map((c) => `sum(h."${c}")::int AS "${c}"`).join(", ")}
     FROM "HealthRollup" h, w WHERE h."siteId" = $1 AND h.span = '${spanOf(period)}' AND h."teamId" = $2 AND h.hour >= w."from" AND h.hour < w."to"
     GROUP BY 1, 2`,
    [ctx.id, actor.teamId],
  );
  const [w] = rows.length ? rows : await sql.query<{ from: string }>(`SELECT "from"::text FROM (${window(period, spanOf(period))}) w`);
  const from = utc(w.from);
  // Every event's examples are looked up at once: each is one bounded query.
  const events: Quality["events"] = await Promise.all(rows.filter((x) => x.destinationId === "").map(async (r) => {
    const stored = Number(r.accepted) + Number(r.rejected);
    const checks = await Promise.all(
      PARAM_CHECKS.map(async (c) => {
        const failing = Number(r[c.column]);
        const found = failing
          ? await examples(ctx, r.name, `"${c.column}" > 0`, c.sql("c.errors"), ({ errors }) => {
              const e = errors.find((x) => x.field === PARAM_PROBLEM[c.key] || x.message === PARAM_PROBLEM[c.key]);
              return e ? `${e.field} ${e.message}` : c.label;
            }, from)
          : [];
        return { key: c.key, label: c.label, failing, validShare: validShare(failing, stored), examples: found };
      }),
    );
    return {
      name: r.name,
      stored,
      accepted: Number(r.accepted),
      link: eventLink(ctx, r.name),
      checks,
      keys: MATCH_KEYS.map((k) => ({ key: k.key, label: k.label, count: Number(r[k.column]), share: share(Number(r[k.column]), Number(r.accepted)) })),
    };
  }));
  events.sort((a, b) => a.name.localeCompare(b.name));
  const perDestination = new Map<string, { delivered: number; counts: Partial<Record<MatchKeyName, number>> }>();
  for (const r of rows.filter((x) => x.destinationId !== "")) {
    const d = perDestination.get(r.destinationId) ?? { delivered: 0, counts: {} };
    d.delivered += Number(r.delivered);
    for (const k of MATCH_KEYS) d.counts[k.key] = (d.counts[k.key] ?? 0) + Number(r[k.column]);
    perDestination.set(r.destinationId, d);
  }
  const destinations: Quality["destinations"] = ctx.destinations.map((dest) => {
    const d = perDestination.get(dest.id) ?? { delivered: 0, counts: {} };
    const shares = keyShares(d.counts, d.delivered);
    const weights = MATCH_WEIGHTS[dest.platform] ?? {};
    return {
      ...dest,
      delivered: d.delivered,
      keys: MATCH_KEYS.filter((k) => k.key in weights).map((k) => ({ key: k.key, label: k.label, share: shares[k.key] ?? 0 })),
      score: matchScore(dest.platform, shares, d.delivered),
      weights,
      link: ctx.containerId ? `/containers/${ctx.containerId}/destinations?edit=${dest.id}#entity-${dest.id}` : null,
    };
  });
  return { site: { id: ctx.id, name: ctx.name }, period, events, destinations };
}

export type CoverageReport = {
  site: { id: string; name: string };
  period: Period;
  overall: Coverage;
  events: ({ name: string; link: string | null; examples: Example[] } & Coverage)[];
};

/** Deduplication coverage per event: accepted events by source (both / browser only / server only). */
export async function siteCoverage(actor: Actor, siteId: string, period: Period, known?: SiteContext): Promise<CoverageReport> {
  const ctx = known ?? (await siteContext(actor, siteId));
  const { sql } = await database();
  const rows = await sql.query<{ name: string; source: string; accepted: number; from: string }>(
    `WITH w AS (${window(period, spanOf(period))})
     SELECT h.name, h.source, min(w."from")::text AS "from", sum(h.accepted)::int AS accepted
     FROM "HealthRollup" h, w WHERE h."siteId" = $1 AND h.span = '${spanOf(period)}' AND h."teamId" = $2 AND h."destinationId" = '' AND h.hour >= w."from" AND h.hour < w."to"
     GROUP BY 1, 2`,
    [ctx.id, actor.teamId],
  );
  const byEvent = new Map<string, { browser: number; server: number; both: number }>();
  const all = { browser: 0, server: 0, both: 0 };
  for (const r of rows) {
    const e = byEvent.get(r.name) ?? { browser: 0, server: 0, both: 0 };
    const s = r.source as keyof typeof all;
    if (!(s in all)) continue;
    e[s] += Number(r.accepted);
    all[s] += Number(r.accepted);
    byEvent.set(r.name, e);
  }
  const from = rows.length ? utc(rows[0].from) : "";
  const events = await Promise.all(
    [...byEvent.entries()].map(async ([name, counts]) => {
      const c = coverage(counts);
      // Examples of what lowers coverage: conversions one source sent alone.
      const found = !c.meetsTarget && c.browserOnly + c.serverOnly > 0 && from
        ? await examples(ctx, name, `source <> 'both' AND accepted > 0`, `c.status = 'accepted' AND c.source <> 'both'`, ({ source }) => `${source} only: no copy with the same event_id came from the ${source === "browser" ? "server" : "browser"}`, from)
        : [];
      return { name, link: eventLink(ctx, name), ...c, examples: found };
    }),
  );
  events.sort((a, b) => a.name.localeCompare(b.name));
  return { site: { id: ctx.id, name: ctx.name }, period, overall: coverage(all), events };
}
