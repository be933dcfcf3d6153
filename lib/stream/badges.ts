// One badge per destination for an event of the stream: what its delivery row says, or,
// where the collector wrote none, why (the routing decision of lib/collector/routing.ts,
// re-derived from the stored event and the version it was collected under). Pure.
import { routeTo } from "../collector/routing";
import type { IntakeConfig } from "../collector/intake-config";

export type BadgeKind = "pending" | "delivered" | "retrying" | "dead" | "held" | "not_sent";
export type NotSentReason = "consent" | "region" | "browser_only" | "browser_mode" | "tag_fired" | "test_without_code" | "refused";

export type Badge = {
  destinationId: string;
  destination: string;
  platform: string;
  badge: BadgeKind;
  reason?: NotSentReason;
  /** what the badge means in a sentence (the reason, or the platform's error) */
  message?: string;
  deliveryId?: string;
  attempts?: number;
};

export type DeliveryRow = {
  id: string;
  destinationId: string;
  platform: string;
  status: string;
  attempts: number;
  lastError: string | null;
  /** the last entry of the attempt log */
  last: { outcome?: string } | null;
};

export type StoredEvent = { status: string; name: string; region: string | null; consent: unknown; test: boolean; orderId?: string | null; context?: unknown };

/** The version an event was collected under, as the collector saw it, plus the destinations' names. */
export type VersionView = { config: IntakeConfig; names: Map<string, string> };

const MESSAGES: Record<NotSentReason, string> = {
  consent: "not sent: the visitor had not granted ad consent",
  region: "not sent: the destination does not serve this event's region",
  browser_only: "not sent by the server: this platform fires in the browser only",
  browser_mode: "not sent by the server: the destination delivers from the browser only",
  tag_fired: "not sent by the server: the browser's tag reported it (browser with server fill-in)",
  test_without_code: "not sent: a test event, and the destination has no test event code (or its platform no test mode)",
  refused: "not sent: the platform would refuse it",
};

export function adConsentOf(consent: unknown): string {
  const value = consent && typeof consent === "object" ? (consent as Record<string, unknown>).ad_storage : undefined;
  return typeof value === "string" ? value : "granted";
}

export function badgesFor(event: StoredEvent, version: VersionView | null, rows: DeliveryRow[]): Badge[] {
  const def = version?.config.events.get(event.name);
  const context = event.context && typeof event.context === "object" ? (event.context as { fired?: unknown }) : {};
  const fired = Array.isArray(context.fired) ? context.fired.filter((f): f is string => typeof f === "string") : undefined;
  const routed = { region: event.region, adConsent: adConsentOf(event.consent), test: event.test, fired, orderId: event.orderId ?? null };
  const routingOf = (destinationId: string) => {
    const d = version?.config.destinations.find((x) => x.id === destinationId);
    return d && def ? routeTo(d, def.id, routed) : null;
  };
  const badges: Badge[] = rows.map((row) => {
    const base = { destinationId: row.destinationId, destination: version?.names.get(row.destinationId) ?? row.platform, platform: row.platform, deliveryId: row.id, attempts: row.attempts };
    if (row.status === "held") {
      const routing = routingOf(row.destinationId);
      if (routing?.send === "held" && routing.why === "no_test_code") return { ...base, badge: "not_sent", reason: "test_without_code", message: MESSAGES.test_without_code };
      return { ...base, badge: "held", message: "held: the destination holds events of non-production environments" };
    }
    if (row.status === "dead" && row.last?.outcome === "refused") return { ...base, badge: "not_sent", reason: "refused", message: `${MESSAGES.refused}: ${row.lastError ?? ""}` };
    if (row.status === "suppressed") return { ...base, badge: "not_sent", reason: "tag_fired", message: row.lastError ?? MESSAGES.tag_fired };
    if (row.status === "pending" && row.attempts > 0) return { ...base, badge: "retrying", ...(row.lastError ? { message: row.lastError } : {}) };
    if (row.status === "dead") return { ...base, badge: "dead", ...(row.lastError ? { message: row.lastError } : {}) };
    return { ...base, badge: row.status as BadgeKind };
  });
  if (event.status !== "accepted" || !version || !def) return badges;
  const withRow = new Set(rows.map((r) => r.destinationId));
  for (const d of version.config.destinations) {
    if (withRow.has(d.id)) continue;
    const routing = routeTo(d, def.id, routed);
    if (routing?.send !== "none") continue;
    badges.push({ destinationId: d.id, destination: version.names.get(d.id) ?? d.platform, platform: d.platform, badge: "not_sent", reason: routing.why, message: MESSAGES[routing.why] });
  }
  return badges.sort((a, b) => a.destination.localeCompare(b.destination));
}
