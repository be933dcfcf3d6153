// Names at destinations, shared by the browser runtime's configuration, the collector
// and version validation.
import type { Snapshot } from "./snapshot";

/**
 * The name an event goes by at a destination of `platform`: the destination's own name
 * for it, else the site's override for the platform, else the tracking plan's, else the
 * event's name. The one rule for the browser runtime, the collector and validation.
 */
export function nameAtDestination(
  event: Snapshot["events"][number] | undefined,
  plan: Snapshot["planEvents"][number] | undefined,
  platform: string,
  own?: string,
): string {
  return own || event?.platformNames[platform] || plan?.platformNames[platform] || event?.name || "";
}
