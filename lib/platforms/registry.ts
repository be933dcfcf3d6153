// The one table of platforms: every destination kind Tagpipe knows, keyed by the
// platform's key (the destination's `platform`). Adding a platform is one folder under
// lib/platforms/ and one line here — plus its server adapter in adapters.ts and its tag
// in runtime/vendors.ts, two tables typed by the same keys, so a platform missing a side
// does not compile (and tests/unit/platforms/registry.test.ts checks the rest).
// Client-safe: definitions are data (the dashboard reads them).
import type { PlatformDefinition } from "./types";
import { meta } from "./meta";
import { tiktok } from "./tiktok";
import { ga4 } from "./ga4";
import { googleAds } from "./google-ads";
import { pinterest } from "./pinterest";
import { snapchat } from "./snapchat";
import { imagePixel } from "./image-pixel";
import { webhook } from "./webhook";

/** Order matters once: the browser's platform codes (runtime-config.ts Platform) follow it for the first five. */
export const PLATFORM_KEYS = ["meta", "tiktok", "ga4", "google_ads", "image_pixel", "webhook", "pinterest", "snapchat"] as const;
export type PlatformKey = (typeof PLATFORM_KEYS)[number];

export const PLATFORMS: Record<PlatformKey, PlatformDefinition> = {
  meta,
  tiktok,
  ga4,
  google_ads: googleAds,
  image_pixel: imagePixel,
  webhook,
  pinterest,
  snapchat,
};

export function platformOf(key: string): PlatformDefinition | undefined {
  return (PLATFORMS as Record<string, PlatformDefinition>)[key];
}

/** Platforms whose events have names of their own (the tracking plan's platform names). */
export const NAMED_PLATFORMS = PLATFORM_KEYS.filter((k) => PLATFORMS[k].names !== null);
