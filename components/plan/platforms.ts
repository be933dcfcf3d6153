// How the tracking plan's platform keys read to a marketer: each platform's own name (lib/platforms).
import { PLATFORMS } from "@/lib/schemas/config";
import { PLATFORMS as REGISTRY } from "@/lib/platforms/registry";

export type Platform = (typeof PLATFORMS)[number];

export const PLATFORM_LABELS = Object.fromEntries(PLATFORMS.map((p) => [p, REGISTRY[p].name])) as Record<Platform, string>;

export function platformLabel(key: string): string {
  return PLATFORM_LABELS[key as Platform] ?? key;
}

export { PLATFORMS };
