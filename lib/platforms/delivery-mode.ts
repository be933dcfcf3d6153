// Who reports a conversion to a platform. Meta, TikTok, Pinterest and Snapchat merge a
// browser copy and a server copy by event_id, so both are sent. GA4 and Google Ads do
// not: two copies count twice. For them a destination chooses its delivery mode:
//   browser          the tag only (no server copy, ever)
//   server           the API only (the container carries no tag for it)
//   browser_fill_in  the tag, and the server copy only where the tag did not run: the
//                    runtime reports in its beacon which Google tags ran (`fired`), or
//                    that they were still loading (`pending`: the server copy waits
//                    TAGPIPE_FILL_IN_PENDING_MS for its follow-up report, runtime/fill-in.ts);
//                    an event without a browser copy (a backend's order) waits
//                    TAGPIPE_FILL_IN_WAIT_MS for one before it is sent.
// Google Ads keeps one server call for a conversion its tag reported: the enhancement
// (hashed identifiers added to the tag's conversion by its order id), which counts nothing.
import type { DeliveryMode } from "../schemas/config";
import { PLATFORM_KEYS, PLATFORMS } from "./registry";
import type { PlatformDefinition } from "./types";

export type FillIn = NonNullable<PlatformDefinition["fillIn"]>;

/** The fill-in platforms (dedup "fill_in" in their folders), by key. */
export const FILL_IN: Partial<Record<string, FillIn>> = Object.fromEntries(PLATFORM_KEYS.flatMap((k) => (PLATFORMS[k].fillIn ? [[k, PLATFORMS[k].fillIn]] : [])));

/** A destination's effective mode; "both" for platforms that merge two copies themselves. */
export function deliveryModeOf(platform: string, mode: unknown): DeliveryMode | "both" {
  if (!FILL_IN[platform]) return "both";
  return mode === "browser" || mode === "server" ? mode : "browser_fill_in";
}

/** Whether the browser reported the tag of the delivery's destination ran for this event. */
export function firedInBrowser(target: { fillIn?: string }, context: { fired?: string[] }): boolean {
  return !!target.fillIn && Array.isArray(context.fired) && context.fired.includes(target.fillIn);
}
