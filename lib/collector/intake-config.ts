// What the collector needs to know about an environment, read from its published version
// and cached for a few seconds: a storefront's traffic must not cost a query per request.
import { prisma } from "../db";
import type { Snapshot, SnapshotRegion } from "../versions/snapshot";
import { nameAtDestination } from "../versions/names";
import type { DeliveryMode } from "../schemas/config";
import { FILL_IN, deliveryModeOf } from "../platforms/delivery-mode";
import { platformOf } from "../platforms/registry";

export type IntakeDestination = {
  id: string;
  platform: string;
  eventIds: Set<string>;
  /** event id → the name to send at this destination */
  eventNames: Map<string, string>;
  ids: Record<string, string>;
  regions: string[] | null;
  nonProduction: "test" | "hold";
  testEventCode?: string;
  /** lib/platforms/delivery-mode.ts: "both" for platforms that merge two copies by event_id */
  mode: DeliveryMode | "both";
  /** browser_fill_in: how the browser names this destination when its tag ran */
  fillIn?: string;
  /** browser_fill_in: a conversion the tag reported still gets a server call (an enhancement) */
  enhancesBrowserCopy?: boolean;
  /** The platform takes the visitor's consent choices with each event (Google Ads). */
  consentFields?: boolean;
};

export type IntakeConfig = {
  environmentId: string;
  environmentName: string;
  teamId: string;
  siteId: string;
  kind: string;
  production: boolean;
  versionNumber: number | null;
  hostnames: string[];
  regions: SnapshotRegion[];
  /** plan event name → its id in this version and its parameter rules */
  events: Map<string, { id: string; required: string[]; types: Record<string, string> }>;
  destinations: IntakeDestination[];
};

const TTL_MS = 3_000;
export type Entry = { at: number; config: Promise<IntakeConfig | null>; refreshing?: boolean };
type Caches = { byPublicKey: Map<string, Entry>; byServerKey: Map<string, Entry> };

// On globalThis, not in module scope: server.ts (which answers the collector's paths) and
// Next's bundled routes (which publish versions and rotate keys) are separate module
// graphs in one process. With module-scoped maps, forgetIntakeConfigs() after a publish
// or a key rotation cleared the routes' copy only, and the collector went on accepting a
// rotated server key, and using the previous version, for up to TTL_MS.
const CACHES = Symbol.for("tagpipe.intakeConfigs");
function caches(): Caches {
  const holder = globalThis as { [CACHES]?: Caches };
  holder[CACHES] ??= { byPublicKey: new Map(), byServerKey: new Map() };
  return holder[CACHES];
}

export function intakeFromSnapshot(
  env: { id: string; name: string; teamId: string; kind: string; siteId: string; hostnames: string[] },
  version: { number: number; snapshot: Snapshot } | null,
): IntakeConfig {
  const s = version?.snapshot;
  const plans = new Map((s?.planEvents ?? []).map((p) => [p.id, p]));
  return {
    environmentId: env.id,
    environmentName: env.name,
    teamId: env.teamId,
    siteId: env.siteId,
    kind: env.kind,
    production: env.kind === "production",
    versionNumber: version?.number ?? null,
    hostnames: s?.site.hostnames ?? env.hostnames,
    regions: s?.site.regions ?? [],
    events: new Map(
      (s?.events ?? [])
        .filter((e) => e.enabled)
        .map((e) => {
          const plan = plans.get(e.planEventId);
          return [e.name, { id: e.id, required: (plan?.parameters ?? []).filter((p) => p.required).map((p) => p.name), types: Object.fromEntries((plan?.parameters ?? []).map((p) => [p.name, p.type])) }];
        }),
    ),
    destinations: (s?.destinations ?? []).map((d) => ({
      id: d.id,
      platform: d.platform,
      eventIds: new Set(d.events.map((e) => e.eventId)),
      eventNames: new Map(
        d.events.map((e) => {
          const event = s!.events.find((x) => x.id === e.eventId);
          return [e.eventId, nameAtDestination(event, plans.get(event?.planEventId ?? ""), d.platform, e.name)];
        }),
      ),
      ids: d.ids,
      regions: d.regions,
      nonProduction: (d.nonProduction as "test" | "hold") ?? "test",
      ...(typeof d.testEventCode === "string" && d.testEventCode ? { testEventCode: d.testEventCode } : {}),
      ...fillIn(d.platform, d.ids, d.deliveryMode),
      ...(platformOf(d.platform)?.consentFields ? { consentFields: true } : {}),
    })),
  };
}

function fillIn(platform: string, ids: Record<string, string>, mode: unknown): Pick<IntakeDestination, "mode" | "fillIn" | "enhancesBrowserCopy"> {
  const effective = deliveryModeOf(platform, mode);
  const spec = FILL_IN[platform];
  return effective === "browser_fill_in" && spec ? { mode: effective, fillIn: spec.ref(ids), enhancesBrowserCopy: spec.enhancesBrowserCopy } : { mode: effective };
}

async function load(where: { publicKey: string } | { serverKeyHash: string }): Promise<IntakeConfig | null> {
  const db = await prisma();
  const env = await db.environment.findFirst({
    where,
    include: { version: { select: { number: true, snapshot: true } }, container: { include: { site: { select: { id: true, hostnames: true } } } } },
  });
  if (!env) return null;
  return intakeFromSnapshot(
    { id: env.id, name: env.name, teamId: env.teamId, kind: env.kind, siteId: env.container.site.id, hostnames: env.container.site.hostnames },
    env.version ? { number: env.version.number, snapshot: env.version.snapshot as unknown as Snapshot } : null,
  );
}

/**
 * A config younger than TTL_MS is used as is. An older one is still used while one
 * background load replaces it (stale-while-revalidate): when every request for a key
 * waited for the reload, each expiry stalled that key's traffic for a database round trip
 * behind the group commits (the collector's p97.5 latency, measured on the first embedded
 * database: ~100–250 ms every 3 s). Only a key seen for the first time waits for its load. Another process's publish
 * or key rotation therefore shows after TTL_MS plus one load; this process's at once
 * (forgetIntakeConfigs).
 */
export function cached(map: Map<string, Entry>, key: string, loader: () => Promise<IntakeConfig | null>): Promise<IntakeConfig | null> {
  const now = Date.now();
  const hit = map.get(key);
  if (hit && now - hit.at < TTL_MS) return hit.config;
  if (hit) {
    if (!hit.refreshing) {
      hit.refreshing = true;
      loader().then(
        (config) => {
          if (map.get(key) === hit) map.set(key, { at: Date.now(), config: Promise.resolve(config) });
        },
        (error: unknown) => {
          // Kept, and tried again by the next request.
          hit.refreshing = false;
          console.error("[collect] reloading an environment's configuration failed:", error instanceof Error ? error.message : String(error));
        },
      );
    }
    return hit.config;
  }
  const config = loader().catch((error) => {
    map.delete(key);
    throw error;
  });
  if (map.size > 10_000) map.clear();
  map.set(key, { at: now, config });
  return config;
}

export function intakeByPublicKey(publicKey: string): Promise<IntakeConfig | null> {
  return cached(caches().byPublicKey, publicKey, () => load({ publicKey }));
}

export function intakeByServerKeyHash(hash: string): Promise<IntakeConfig | null> {
  return cached(caches().byServerKey, hash, () => load({ serverKeyHash: hash }));
}

/** After a publish or key change, forget what was cached (this process). */
export function forgetIntakeConfigs(): void {
  caches().byPublicKey.clear();
  caches().byServerKey.clear();
}
