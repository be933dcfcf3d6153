// The server side of each platform (its folder's server.ts), keyed like the registry: a
// platform without a server adapter says null here, and one the registry gains without a
// line here does not compile. Node only (the adapters sign, hash and fetch).
import type { Adapter } from "../forwarder/types";
import type { PlatformKey } from "./registry";
import { meta } from "./meta/server";
import { tiktok } from "./tiktok/server";
import { ga4 } from "./ga4/server";
import { googleAds } from "./google-ads/server";
import { pinterest } from "./pinterest/server";
import { snapchat } from "./snapchat/server";
import { webhook } from "./webhook/server";

export const ADAPTERS: Record<PlatformKey, Adapter | null> = {
  meta,
  tiktok,
  ga4,
  google_ads: googleAds,
  pinterest,
  snapchat,
  webhook,
  // Image pixels fire in the browser only.
  image_pixel: null,
};

export function adapterOf(platform: string): Adapter | null {
  return (ADAPTERS as Record<string, Adapter | null>)[platform] ?? null;
}
