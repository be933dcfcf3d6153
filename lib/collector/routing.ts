// Which destinations an accepted event goes to, and why not: the one decision, read by
// the collector when it writes the outbox rows (prepare.ts) and by the event stream when
// it explains an event's missing or held deliveries (lib/stream/). The stream re-derives
// the reason from the stored event (region, consent, test flag) and the version it was
// collected under, so intake stores nothing more for it.
import type { IntakeDestination } from "./intake-config";

/** Why a destination of the event got no outbox row. */
export type NotSent = "consent" | "region" | "browser_only";
/** Why a row was written as held: the destination holds test events, or the platform has no test mode for them. */
export type HeldFor = "hold" | "no_test_code";

export type Routing = { send: "pending" } | { send: "held"; why: HeldFor } | { send: "none"; why: NotSent };

const AD_PLATFORMS = new Set(["meta", "tiktok", "ga4", "google_ads", "image_pixel"]);
/** Platforms the forwarder sends to (lib/forwarder/destinations); image pixels fire in the browser only. */
const SERVER_SIDE = new Set(["meta", "tiktok", "ga4", "google_ads", "webhook"]);

/**
 * Whether a destination can take test events without them counting as real ones: GA4
 * has its validation endpoint; Meta and TikTok only with a test_event_code (without one
 * a test event is indistinguishable from a production one); the others have no test mode.
 */
function testable(d: IntakeDestination): boolean {
  if (d.platform === "ga4") return true;
  return (d.platform === "meta" || d.platform === "tiktok") && !!d.testEventCode;
}

/** The routing of an accepted event (its version's event id `eventDefId`) to one destination, or null when the destination does not take that event. */
export function routeTo(d: IntakeDestination, eventDefId: string, e: { region: string | null; adConsent: string; test: boolean }): Routing | null {
  if (!d.eventIds.has(eventDefId)) return null;
  if (!SERVER_SIDE.has(d.platform)) return { send: "none", why: "browser_only" };
  if (d.regions && !(e.region && d.regions.includes(e.region))) return { send: "none", why: "region" };
  if (AD_PLATFORMS.has(d.platform) && e.adConsent !== "granted") return { send: "none", why: "consent" };
  // Events of non-production environments never reach a production destination:
  // they go as test events where the platform has a test mode, else they are held.
  if (e.test && d.nonProduction === "hold") return { send: "held", why: "hold" };
  if (e.test && !testable(d)) return { send: "held", why: "no_test_code" };
  return { send: "pending" };
}
