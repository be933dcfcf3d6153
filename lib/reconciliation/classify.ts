// What happened to one backend order at one destination. The reconciliation's statement
// (reconcile.ts) sums up, per order and destination, the conversions that carried the
// order id and their outbox rows into one `Kind`; this turns a kind into the outcome, its
// reason and its sentence. Pure, so the unit tests pin every category.
//
// Precedence when an order has several conversions (decided in the statement, in this
// order): delivered beats suppressed beats pending beats rejected beats refused beats
// held; then, with no outbox row at all, the routing of the production conversions
// ("route": consent, region, the browser's tag — re-derived here under the version they
// were collected under), then test copies only, then missing. An order counts twice
// (duplicated) when two different conversions of it were delivered to a platform that
// would not merge them (Meta, TikTok… merge by event_id, and two stored conversions have
// two event_ids; Google Ads merges by order id).
import type { Routing } from "../collector/routing";

export type Outcome = "delivered" | "rejected" | "ignored" | "pending" | "missing";
export type IgnoredReason = "consent" | "region" | "test" | "no_click_id" | "refused";

/** The statement's summary of an order's conversions at one destination (see reconcile.ts). */
export type Kind = "delivered" | "suppressed" | "pending" | "rejected" | "refused" | "held" | "route" | "test" | "missing";

export type OrderRow = { orderId: string; placedMs: number; value: number; currency: string; status: string; channel: string | null };

/** A production conversion with no outbox row at a destination, with what its routing reads. */
export type EventRow = {
  id: string;
  orderId: string;
  environmentId: string;
  region: string | null;
  adConsent: string;
  test: boolean;
  /** the Google tags the browser reported as run for it (delivery mode browser with server fill-in) */
  fired?: string[];
  versionNumber: number | null;
};

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

/** One order at one destination as the statement sums it up. */
export type Facts = {
  kind: Kind;
  /** the dead letter's last error (kinds rejected and refused) */
  error: string | null;
  duplicated: boolean;
  /** the first delivered conversion's value and currency, when outside the tolerance */
  mismatch: { value: number | null; currency: string | null } | null;
  /** the delivered conversions (kind delivered), else the production ones, else the test copies */
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

/**
 * Whether a value is within the tolerance of another: the larger of the absolute and the
 * percent allowance, same currency. The catalog check reads it; the reconciliation's
 * statement applies the same rule in SQL (reconcile.ts), and the unit and integration
 * tests pin both.
 */
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

/** The result of every kind but `route` (see `routed`). */
export function classify(f: Facts, dest: Dest): DestinationResult {
  const eventIds = f.eventIds;
  switch (f.kind) {
    case "delivered": {
      const result: DestinationResult = { outcome: "delivered", eventIds };
      if (f.duplicated && dest.dedupBy !== "order_id") result.duplicated = true;
      if (f.mismatch) result.mismatch = f.mismatch;
      return result;
    }
    // A server copy withheld because a browser copy said the tag ran: the platform counted the tag's.
    case "suppressed":
      return { outcome: "delivered", message: "counted by the browser's tag: the server copy was withheld so it counts once", eventIds };
    case "pending":
      return { outcome: "pending", message: "waiting in the outbox", eventIds };
    case "rejected":
      return { outcome: "rejected", message: f.error ?? "the platform refused it", eventIds };
    case "refused": {
      const reason = ignoredFromRefusal(dest.platform, f.error);
      return { outcome: "ignored", reason, message: f.error ? `${IGNORED_MESSAGES.refused}: ${f.error}` : IGNORED_MESSAGES[reason], eventIds };
    }
    case "held":
      return { outcome: "ignored", reason: "test", message: "held: the destination holds events of non-production environments", eventIds };
    case "test":
      return { outcome: "ignored", reason: "test", message: IGNORED_MESSAGES.test, eventIds };
    case "missing":
      return { outcome: "missing", message: "no conversion with this order id arrived within the window", eventIds: [] };
    case "route":
      throw new Error("kind route is decided by routed(), under the version of each conversion");
  }
}

/**
 * Kind `route`: production conversions arrived and none has an outbox row for the
 * destination. The collector decided not to send (consent, region), or the browser's tag
 * counted it, or the version live then did not send this conversion there.
 */
export function routed(production: EventRow[], dest: Dest, route: RouteOf): DestinationResult {
  const eventIds = production.map((e) => e.id);
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
  return { outcome: "missing", message: "the conversion arrived, but the version live then did not send it to this destination", eventIds };
}
