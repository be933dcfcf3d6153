// The tags, one per platform, each given the same event_id: each platform's browser code
// lives in its folder (lib/platforms/<platform>/browser.ts) and is registered here, keyed
// by the platform's code, behind its feature switch, so a container carries only the tags
// its destinations use (esbuild drops the rest). A platform of the configuration format
// without a line here does not compile. A vendor's base code loads only when a destination
// needs it and consent allows (that is when the first call happens); a page that already
// has the vendor's function keeps its own.
import { Platform, type RuntimeDestination } from "../lib/compiler/runtime-config";
import { fireMeta } from "../lib/platforms/meta/browser";
import { fireTiktok } from "../lib/platforms/tiktok/browser";
import { fireGa4 } from "../lib/platforms/ga4/browser";
import { fireGoogleAds } from "../lib/platforms/google-ads/browser";
import { fireImagePixel } from "../lib/platforms/image-pixel/browser";
import { firePinterest } from "../lib/platforms/pinterest/browser";
import { fireSnapchat } from "../lib/platforms/snapchat/browser";
import type { Dict } from "./util";

export { googleLoaded, googleLoading } from "../lib/platforms/google-tag";

/** Fires one destination's tag for the event at position `at`, under its name there. */
type Tag = (d: RuntimeDestination, name: string, at: number, eventId: string, p: Dict, pageView: boolean) => void;

const TAGS: Record<Platform, Tag | false> = {
  [Platform.meta]: TAGPIPE_META && fireMeta,
  [Platform.tiktok]: TAGPIPE_TIKTOK && fireTiktok,
  [Platform.ga4]: TAGPIPE_GA4 && fireGa4,
  [Platform.google_ads]: TAGPIPE_GOOGLE_ADS && fireGoogleAds,
  [Platform.image_pixel]: TAGPIPE_IMAGE_PIXEL && fireImagePixel,
  [Platform.pinterest]: TAGPIPE_PINTEREST && firePinterest,
  [Platform.snapchat]: TAGPIPE_SNAPCHAT && fireSnapchat,
};

/** What the tags script hands the container script. */
export type Tags = {
  fire: typeof fire;
  /** Whether Google's tag can have sent what gtag() was given (lib/platforms/google-tag.ts). */
  loaded: () => boolean;
  /** Whether gtag.js is still on its way. */
  loading: () => boolean;
};

/** Fires the destination's tag for the event at position `at`, `name` there. */
export function fire(d: RuntimeDestination, name: string, at: number, eventId: string, p: Dict, pageView: boolean): void {
  const tag = TAGS[d[0]];
  if (tag) tag(d, name, at, eventId, p, pageView);
}
