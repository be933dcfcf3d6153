// Which destinations an accepted event goes to, and why not: the one decision, read by
// the collector when it writes the outbox rows (prepare.ts) and by the event stream when
// it explains an event's missing or held deliveries (lib/stream/). The stream re-derives
// the reason from the stored event (region, consent, test flag) and the version it was
// collected under, so intake stores nothing more for it.
import type { IntakeDestination } from "./intake-config";
import { PLATFORM_KEYS, PLATFORMS, platformOf } from "../platforms/registry";

/**
 * Why a destination of the event got no outbox row: no ad consent, another region, a
 * platform that fires in the browser only, a destination set to deliver from the browser
 * only, or (browser with server fill-in) the browser's tag reported it already.
 */
export type NotSent = "consent" | "region" | "browser_only" | "browser_mode" | "tag_fired";
/** Why a row was written as held: the destination holds test events, or the platform has no test mode for them. */
export type HeldFor = "hold" | "no_test_code";

export type Routing = { send: "pending" } | { send: "held"; why: HeldFor } | { send: "none"; why: NotSent };

/** Platforms that need the visitor's ad consent, and those the forwarder sends to (lib/platforms/registry.ts). */
const AD_PLATFORMS = new Set<string>(PLATFORM_KEYS.filter((k) => PLATFORMS[k].consent === "ads"));
const SERVER_SIDE = new Set<string>(PLATFORM_KEYS.filter((k) => PLATFORMS[k].dedup !== "browser_only"));

/**
 * Whether a destination can take test events without them counting as real ones: with
 * the platform's validation endpoint or test switch; with a test_event_code only when
 * one is set (without it a test event is indistinguishable from a production one); the
 * others have no test mode.
 */
function testable(d: IntakeDestination): boolean {
  const mode = platformOf(d.platform)?.testMode;
  return mode === "validation" || mode === "test_flag" || (mode === "test_event_code" && !!d.testEventCode);
}

/** The routing of an accepted event (its version's event id `eventDefId`) to one destination, or null when the destination does not take that event. */
export function routeTo(
  d: IntakeDestination,
  eventDefId: string,
  e: { region: string | null; adConsent: string; test: boolean; fired?: readonly string[]; orderId: string | null },
): Routing | null {
  if (!d.eventIds.has(eventDefId)) return null;
  if (!SERVER_SIDE.has(d.platform)) return { send: "none", why: "browser_only" };
  if (d.mode === "browser") return { send: "none", why: "browser_mode" };
  if (d.regions && !(e.region && d.regions.includes(e.region))) return { send: "none", why: "region" };
  if (AD_PLATFORMS.has(d.platform) && e.adConsent !== "granted") return { send: "none", why: "consent" };
  // The tag reported it: no server copy (Google Ads still enhances an order).
  if (d.fillIn && e.fired?.includes(d.fillIn) && !(d.enhancesBrowserCopy && e.orderId !== null)) return { send: "none", why: "tag_fired" };
  // Events of non-production environments never reach a production destination:
  // they go as test events where the platform has a test mode, else they are held.
  if (e.test && d.nonProduction === "hold") return { send: "held", why: "hold" };
  if (e.test && !testable(d)) return { send: "held", why: "no_test_code" };
  return { send: "pending" };
}
