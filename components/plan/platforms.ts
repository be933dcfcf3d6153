// How the tracking plan's platform keys read to a marketer.
import { PLATFORMS } from "@/lib/schemas/config";

export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS: Record<Platform, string> = {
  meta: "Meta",
  tiktok: "TikTok",
  ga4: "GA4",
  google_ads: "Google Ads",
};

export function platformLabel(key: string): string {
  return PLATFORM_LABELS[key as Platform] ?? key;
}

export { PLATFORMS };
