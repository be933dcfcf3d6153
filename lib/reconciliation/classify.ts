// What happened to one backend order at one destination, from the conversions that
// carried its order id and their outbox rows. Pure: the loader (reconcile.ts) reads the
// rows and the routing decision; this decides, so the unit tests pin every category.
//
// Precedence when an order has several conversions: delivered beats pending beats
// rejected beats ignored, and missing only when nothing at all reached or was meant for
// the destination. An order counts twice (duplicated) when two different conversions of
// it were delivered to a platform that would not merge them (Meta, TikTok… merge by
// event_id, and two stored conversions have two event_ids; Google Ads merges by order id).
import type { Routing } from "../collector/routing";

export type Outcome = "delivered" | "rejected" | "ignored" | "pending" | "missing";
export type IgnoredReason = "consent" | "region" | "test" | "no_click_id" | "refused";

export type OrderRow = { orderId: string; placedMs: number; value: number; currency: string; status: string; channel: string | null };

export type EventRow = {
  id: string;
  orderId: string;
  environmentId: string;
  production: boolean;
  test: boolean;
  region: string | null;
  adConsent: string;
  /** the Google tags the browser reported as run for it (delivery mode browser with server fill-in) */
  fired?: string[];
  versionNumber: number | null;
  value: number | null;
  currency: string | null;
  receivedMs: number;
};

export type DeliveryRow = { eventId: string; destinationId: string; status: string; lastError: string | null; lastOutcome: string | null };

export type Dest = { id: string; name: string; platform: string; dedupBy: "event_id" | "order_id" };

export type Tolerance = { absolute: number; percent: number };

export type DestinationResult = {
  outcome: Outcome;
  reason?: IgnoredReason;
  /** the platform's error, or why it was ignored or is missing, in a sentence */
  message?: string;
  /** delivered conversions that the platform counts separately */
  duplicated?: boolean;
  /** the delivered conversion's value or currency differs from the order's beyond the tolerance */
  mismatch?: { value: number | null; currency: string | null };
  eventIds: string[];
};

export const IGNORED_MESSAGES: Record<IgnoredReason, string> = {
  consent: "not sent: the visitor had not granted ad consent",
  region: "not sent: the destination does not serve the order's region",
  test: "not sent as a real conversion: it came from a test environment",
  no_click_id: "not sent: Google Ads needs a click id (gclid) or a hashed email or phone, and the conversion had none",
  refused: "not sent: the platform would refuse it",
};

/** The routing of an event to a destination under the version it was collected under (null: that version did not send this event there). */
export type RouteOf = (event: EventRow, destinationId: string) => Routing | null;

export function withinTolerance(order: { value: number; currency: string }, event: { value: number | null; currency: string | null }, t: Tolerance): boolean {
  if (event.value === null || event.currency === null) return false;
  if (event.currency.toUpperCase() !== order.currency.toUpperCase()) return false;
  const allowed = Math.max(t.absolute, (Math.abs(order.value) * t.percent) / 100);
  // A hair of slack for binary fractions (0.1 + 0.2): tolerances are in cents, not in ulps.
  return Math.abs(event.value - order.value) <= allowed + 1e-9;
}

function ignoredFromRefusal(platform: string, message: string | null): IgnoredReason {
  return platform === "google_ads" && /gclid|click id/i.test(message ?? "") ? "no_click_id" : "refused";
}

export function classify(order: OrderRow, events: EventRow[], deliveries: Map<string, DeliveryRow[]>, dest: Dest, route: RouteOf, tolerance: Tolerance): DestinationResult {
  const production = events.filter((e) => e.production);
  const rows = production.flatMap((e) => (deliveries.get(e.id) ?? []).filter((d) => d.destinationId === dest.id).map((d) => ({ d, e })));
  const eventIds = production.map((e) => e.id);

  const delivered = rows.filter((r) => r.d.status === "delivered");
  if (delivered.length) {
    const distinct = new Set(delivered.map((r) => r.e.id));
    const result: DestinationResult = { outcome: "delivered", eventIds: [...distinct] };
    if (distinct.size > 1 && dest.dedupBy !== "order_id") result.duplicated = true;
    const sent = delivered[0].e;
    if (!withinTolerance(order, sent, tolerance)) result.mismatch = { value: sent.value, currency: sent.currency };
    return result;
  }
  // A server copy withheld because a browser copy said the tag ran: the platform counted the tag's.
  if (rows.some((r) => r.d.status === "suppressed")) return { outcome: "delivered", message: "counted by the browser's tag: the server copy was withheld so it counts once", eventIds };
  if (rows.some((r) => r.d.status === "pending")) return { outcome: "pending", message: "waiting in the outbox", eventIds };
  const dead = rows.filter((r) => r.d.status === "dead");
  const rejected = dead.find((r) => r.d.lastOutcome !== "refused");
  if (rejected) return { outcome: "rejected", message: rejected.d.lastError ?? "the platform refused it", eventIds };
  const refused = dead.find((r) => r.d.lastOutcome === "refused");
  if (refused) {
    const reason = ignoredFromRefusal(dest.platform, refused.d.lastError);
    return { outcome: "ignored", reason, message: refused.d.lastError ? `${IGNORED_MESSAGES.refused}: ${refused.d.lastError}` : IGNORED_MESSAGES[reason], eventIds };
  }
  if (rows.some((r) => r.d.status === "held")) return { outcome: "ignored", reason: "test", message: "held: the destination holds events of non-production environments", eventIds };

  // No outbox row: the collector decided not to send (consent, region), or the version
  // live then did not send this conversion there.
  for (const e of production) {
    const routing = route(e, dest.id);
    // GA4 and Google Ads in browser mode, or whose tag reported it: the platform counted the tag's copy.
    if (routing?.send === "none" && (routing.why === "tag_fired" || routing.why === "browser_mode")) {
      return { outcome: "delivered", message: "counted by the browser's tag (the destination's delivery mode): no server copy was needed", eventIds };
    }
    if (routing?.send === "none" && (routing.why === "consent" || routing.why === "region")) {
      return { outcome: "ignored", reason: routing.why, message: IGNORED_MESSAGES[routing.why], eventIds };
    }
  }
  if (production.length) return { outcome: "missing", message: "the conversion arrived, but the version live then did not send it to this destination", eventIds };
  const tests = events.filter((e) => !e.production);
  if (tests.length) return { outcome: "ignored", reason: "test", message: IGNORED_MESSAGES.test, eventIds: tests.map((e) => e.id) };
  return { outcome: "missing", message: "no conversion with this order id arrived within the window", eventIds: [] };
}
