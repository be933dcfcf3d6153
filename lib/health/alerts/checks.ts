// The rules applied to a site's counts: pure, given the counts, the rules and `now`, so
// every threshold is unit-tested without a database. Each finding is one subject (an
// event, a destination, an event at a destination) for which a rule fires now.
import type { RuleKind } from "../../schemas/alerts";
import type { DeliveryHour, EventHour } from "./signals";
import type { RuleSet } from "./rules";
import { HOUR, MINUTE, baseline, floorHour, isDrop, windowCount, type Baseline, type Hours } from "./baseline";

export type Finding = {
  kind: RuleKind;
  /** Stable key of what fired within the site: "event:purchase", "destination:<id>", "event:purchase|destination:<id>". */
  subject: string;
  /** The subject as people read it: "purchase", "Meta (Shop)", "purchase at Meta (Shop)". */
  label: string;
  message: string;
  details: Record<string, number | string | null>;
};

export type SiteCounts = {
  now: number;
  firstSeen: number | null;
  events: EventHour[];
  deliveries: DeliveryHour[];
  /** pending deliveries older than the backlog rule's minutes, per destination */
  waiting: { destinationId: string; count: number; oldest: number }[];
  silentReasons: Map<string, string>;
  destinations: Map<string, string>;
  /** Per destination, the paid orders of the order_accuracy window and how many were delivered or deliberately ignored (lib/reconciliation). */
  orderAccuracy?: { destinationId: string; orders: number; delivered: number; ignored: number }[];
};

function add(map: Map<string, Hours>, key: string, hour: number, n: number) {
  if (!n) return;
  let hours = map.get(key);
  if (!hours) map.set(key, (hours = new Map()));
  hours.set(hour, (hours.get(hour) ?? 0) + n);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function describeBaseline(b: Baseline): string {
  return b.kind === "weekly" ? `the same hour of the week over the last ${b.weeks} weeks` : `the last ${Math.round(b.hours)} hours`;
}

const pct = (n: number) => `${round(n)}%`;

/**
 * `open`: the subjects ("kind|subject") with an open incident, for the rules that close
 * at a different level than they open.
 */
export function findings(counts: SiteCounts, rules: RuleSet, open: Set<string>): Finding[] {
  const { now } = counts;
  const out: Finding[] = [];
  const destinationLabel = (id: string) => counts.destinations.get(id) ?? "a removed destination";

  // Hour series: accepted/received/rejected/sources per event; delivered/failed/… per destination and per event at a destination.
  const accepted = new Map<string, Hours>();
  const received = new Map<string, Hours>();
  const rejected = new Map<string, Hours>();
  const sources = { browser: new Map<string, Hours>(), server: new Map<string, Hours>(), both: new Map<string, Hours>() };
  for (const e of counts.events) {
    add(accepted, e.event, e.hour, e.accepted);
    add(received, e.event, e.hour, e.received);
    add(rejected, e.event, e.hour, e.rejected);
    add(sources.browser, e.event, e.hour, e.browser);
    add(sources.server, e.event, e.hour, e.server);
    add(sources.both, e.event, e.hour, e.both);
  }
  const deliveredAt = new Map<string, Hours>();
  const perDestination = { delivered: new Map<string, Hours>(), failed: new Map<string, Hours>(), silent: new Map<string, Hours>(), production: new Map<string, Hours>(), productionTest: new Map<string, Hours>() };
  for (const d of counts.deliveries) {
    add(deliveredAt, `${d.event}|${d.destinationId}`, d.hour, d.delivered);
    for (const k of ["delivered", "failed", "silent", "production", "productionTest"] as const) add(perDestination[k], d.destinationId, d.hour, d[k]);
  }
  const lastHour = (m: Map<string, Hours>, key: string) => windowCount(m.get(key) ?? new Map(), now, now);
  const lastDay = (m: Map<string, Hours>, key: string) => windowCount(m.get(key) ?? new Map(), now, now, 24 * HOUR);

  if (rules.volume_drop.enabled) {
    const s = rules.volume_drop.settings;
    const check = (series: Hours, subject: string, label: string, what: string) => {
      const base = baseline(series, now, counts.firstSeen);
      const current = windowCount(series, now, now);
      const verdict = isDrop(current, base, s, open.has(`volume_drop|${subject}`));
      if (!verdict?.firing || !base) return;
      out.push({
        kind: "volume_drop",
        subject,
        label,
        message: `${label}: ${Math.round(current)} ${what} in the last hour against a usual ${round(base.perHour)} (${describeBaseline(base)}); the alert is below ${round(verdict.threshold)}`,
        details: { value: round(current), baseline: round(base.perHour), threshold: round(verdict.threshold), baselineKind: base.kind },
      });
    };
    for (const [event, series] of accepted) check(series, `event:${event}`, event, "accepted");
    for (const [key, series] of deliveredAt) {
      const [event, destinationId] = key.split("|");
      check(series, `event:${event}|destination:${destinationId}`, `${event} at ${destinationLabel(destinationId)}`, "delivered");
    }
  }

  if (rules.event_silent.enabled) {
    const s = rules.event_silent.settings;
    // Hour buckets: silent means nothing in any hour the last `minutes` touch.
    const silentFrom = floorHour(now - s.minutes * MINUTE);
    for (const [event, series] of accepted) {
      let recent = 0;
      for (let h = silentFrom; h <= now; h += HOUR) recent += series.get(h) ?? 0;
      const before = windowCount(series, silentFrom, now, 24 * HOUR);
      if (recent === 0 && before >= s.minEvents) {
        out.push({
          kind: "event_silent",
          subject: `event:${event}`,
          label: event,
          message: `${event}: no event since ${new Date(silentFrom).toISOString().slice(11, 16)} UTC, after ${Math.round(before)} in the 24 hours before`,
          details: { value: 0, before: Math.round(before), minutes: s.minutes },
        });
      }
    }
  }

  if (rules.rejection_rate.enabled) {
    const s = rules.rejection_rate.settings;
    for (const event of received.keys()) {
      const total = lastHour(received, event);
      const bad = lastHour(rejected, event);
      const rate = total ? (100 * bad) / total : 0;
      if (total >= s.minVolume && rate > s.percent) {
        out.push({
          kind: "rejection_rate",
          subject: `event:${event}`,
          label: event,
          message: `${event}: ${pct(rate)} rejected in the last hour (${Math.round(bad)} of ${Math.round(total)}); the alert is above ${s.percent}%`,
          details: { value: round(rate), threshold: s.percent, rejected: Math.round(bad), received: Math.round(total) },
        });
      }
    }
  }

  if (rules.failure_rate.enabled) {
    const s = rules.failure_rate.settings;
    const ids = new Set([...perDestination.delivered.keys(), ...perDestination.failed.keys()]);
    for (const id of ids) {
      const ok = lastHour(perDestination.delivered, id);
      const failed = lastHour(perDestination.failed, id);
      const total = ok + failed;
      const rate = total ? (100 * failed) / total : 0;
      if (total >= s.minVolume && rate > s.percent) {
        out.push({
          kind: "failure_rate",
          subject: `destination:${id}`,
          label: destinationLabel(id),
          message: `${destinationLabel(id)}: ${pct(rate)} of deliveries failed in the last hour (${Math.round(failed)} of ${Math.round(total)}); the alert is above ${s.percent}%`,
          details: { value: round(rate), threshold: s.percent, failed: Math.round(failed), total: Math.round(total) },
        });
      }
    }
  }

  if (rules.backlog.enabled) {
    const s = rules.backlog.settings;
    for (const w of counts.waiting) {
      if (w.count < 1) continue;
      const minutes = Math.floor((now - w.oldest) / MINUTE);
      out.push({
        kind: "backlog",
        subject: `destination:${w.destinationId}`,
        label: destinationLabel(w.destinationId),
        message: `${destinationLabel(w.destinationId)}: ${w.count} deliveries waiting for more than ${s.minutes} minutes (the oldest for ${minutes})`,
        details: { value: w.count, oldestMinutes: minutes, threshold: s.minutes },
      });
    }
  }

  if (rules.dedup_coverage.enabled) {
    const s = rules.dedup_coverage.settings;
    for (const event of accepted.keys()) {
      const both = lastDay(sources.both, event);
      const server = lastDay(sources.server, event);
      const browser = lastDay(sources.browser, event);
      const total = both + server + browser;
      // Only events a backend sends too: a browser-only site has nothing to deduplicate.
      if (total < s.minVolume || both + server === 0) continue;
      const coverage = (100 * both) / total;
      const firing = open.has(`dedup_coverage|event:${event}`) ? coverage < s.percent + 5 : coverage < s.percent;
      if (firing) {
        out.push({
          kind: "dedup_coverage",
          subject: `event:${event}`,
          label: event,
          message: `${event}: ${pct(coverage)} of conversions came from both browser and server in 24 hours (browser only ${pct((100 * browser) / total)}, server only ${pct((100 * server) / total)}); the alert is below ${s.percent}%`,
          details: { value: round(coverage), threshold: s.percent, both: Math.round(both), browser: Math.round(browser), server: Math.round(server) },
        });
      }
    }
  }

  if (rules.silent_drop.enabled) {
    const s = rules.silent_drop.settings;
    for (const id of perDestination.silent.keys()) {
      const n = Math.round(lastHour(perDestination.silent, id));
      if (n >= s.minCount) {
        const reason = counts.silentReasons.get(id);
        out.push({
          kind: "silent_drop",
          subject: `destination:${id}`,
          label: destinationLabel(id),
          message: `${destinationLabel(id)}: the platform answered 2xx but dropped ${n} event${n === 1 ? "" : "s"} in the last hour${reason ? `: ${reason}` : ""}`,
          details: { value: n, threshold: s.minCount, reason: reason ?? null },
        });
      }
    }
  }

  if (rules.test_only.enabled) {
    const s = rules.test_only.settings;
    for (const id of perDestination.production.keys()) {
      const all = Math.round(lastDay(perDestination.production, id));
      const test = Math.round(lastDay(perDestination.productionTest, id));
      if (all >= s.minEvents && test === all) {
        out.push({
          kind: "test_only",
          subject: `destination:${id}`,
          label: destinationLabel(id),
          message: `${destinationLabel(id)}: all ${all} production events of the last 24 hours were test events; real conversions are not reaching it`,
          details: { value: test, total: all, threshold: s.minEvents },
        });
      }
    }
  }
  if (rules.order_accuracy.enabled) {
    const s = rules.order_accuracy.settings;
    for (const d of counts.orderAccuracy ?? []) {
      if (d.orders < s.minOrders) continue;
      const accuracy = ((d.delivered + d.ignored) / d.orders) * 100;
      if (accuracy >= s.percent) continue;
      out.push({
        kind: "order_accuracy",
        subject: `destination:${d.destinationId}`,
        label: destinationLabel(d.destinationId),
        message: `${destinationLabel(d.destinationId)}: ${pct(accuracy)} of the ${d.orders} orders of the last ${s.hours} hours reached it or were deliberately not sent (threshold ${s.percent}%)`,
        details: { value: round(accuracy), threshold: s.percent, orders: d.orders, delivered: d.delivered, ignored: d.ignored },
      });
    }
  }
  return out;
}
