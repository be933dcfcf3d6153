// One evaluation of one site: its counts through signals.ts, the rules applied by
// checks.ts, the findings turned into incidents and the due notifications sent.
import { prisma } from "../../db";
import { findings, type Finding } from "./checks";
import { ruleSet } from "./rules";
import { HOUR, MINUTE, windowsNeeded } from "./baseline";
import { deliveriesByHour, eventsByHour, firstSeen, silentDropReasons, waiting } from "./signals";
import { notify, reconcile } from "../incidents";
import { orderAccuracy } from "../../reconciliation/reconcile";

type Site = { id: string; teamId: string; name: string };

export type SiteResult = { opened: number; resolved: number; sent: number; findings: Finding[] };

export async function evaluateSite(site: Site, now: Date): Promise<SiteResult> {
  const db = await prisma();
  const [ruleRows, destinations, open] = await Promise.all([
    db.alertRule.findMany({ where: { siteId: site.id } }),
    db.destination.findMany({ where: { container: { siteId: site.id } }, select: { id: true, name: true } }),
    db.incident.findMany({ where: { siteId: site.id, status: "open" }, select: { kind: true, subject: true } }),
  ]);
  const rules = ruleSet(ruleRows);
  const first = await firstSeen(site.id);
  const windows = windowsNeeded(now.getTime(), first?.getTime() ?? null);
  const [events, deliveries] = await Promise.all([
    Promise.all(windows.map((w) => eventsByHour(site.id, new Date(w.from), new Date(w.to)))).then((r) => r.flat()),
    Promise.all(windows.map((w) => deliveriesByHour(site.id, new Date(w.from), new Date(w.to)))).then((r) => r.flat()),
  ]);
  const found = findings(
    {
      now: now.getTime(),
      firstSeen: first?.getTime() ?? null,
      events,
      deliveries,
      waiting: rules.backlog.enabled ? await waiting(site.id, new Date(now.getTime() - rules.backlog.settings.minutes * MINUTE)) : [],
      silentReasons: rules.silent_drop.enabled ? await silentDropReasons(site.id, new Date(now.getTime() - HOUR)) : new Map(),
      destinations: new Map(destinations.map((d) => [d.id, d.name])),
      orderAccuracy: rules.order_accuracy.enabled ? await orderAccuracy(site, now.getTime() - rules.order_accuracy.settings.hours * HOUR, now.getTime()) : [],
    },
    rules,
    new Set(open.map((i) => `${i.kind}|${i.subject}`)),
  );
  const { opened, resolved } = await reconcile(site, found, now);
  const sent = await notify(site, now);
  return { opened, resolved, sent, findings: found };
}

/** Every site, one after the other; a site that fails is logged and the others go on. */
export async function evaluateAll(now: Date, log: (line: string) => void): Promise<{ opened: number; resolved: number; sent: number; failed: number }> {
  const db = await prisma();
  const sites = await db.site.findMany({ select: { id: true, teamId: true, name: true }, orderBy: { createdAt: "asc" } });
  const total = { opened: 0, resolved: 0, sent: 0, failed: 0 };
  for (const site of sites) {
    try {
      const r = await evaluateSite(site, now);
      total.opened += r.opened;
      total.resolved += r.resolved;
      total.sent += r.sent;
    } catch (error) {
      total.failed++;
      log(`[alerts] site ${site.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return total;
}
