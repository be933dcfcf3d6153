// The signal simulation (issue 15): simulated shoppers in real Chromium buy on a local
// storefront that loads the real published container; the real collector and forwarder
// deliver to the local stand-ins of every platform; a seeded share of the browsers
// blocks the ad platforms' scripts and the collector's beacon, as ad blockers do. Then
// it counts each order at each platform the way the platform would, imports the shop's
// orders through the orders API and reconciles them through the reconciliation API.
//
// A conversion reaches a platform by its browser pixel call (recorded by the vendor
// recorders), by its server delivery (recorded by the stand-in), or both. Meta, TikTok,
// Pinterest and Snapchat merge copies with the same event_id, Google Ads copies with the
// same order id: counted once. GA4 merges nothing: a tag hit plus a Measurement Protocol
// copy count twice.
import type { Browser } from "playwright-core";
import { VISITOR_USER_AGENT, launch } from "../../tests/e2e/browser";
import { expectStatus, uid, type Json } from "../../tests/helpers/api";
import { startCollector, type Collector } from "../../tests/helpers/collector";
import { createPipeline, eventually, type Pipeline } from "../../tests/helpers/pipeline";
import type { Backend } from "../../tests/helpers/server";
import { startStandIns, type StandIns } from "../../tests/helpers/stand-ins";
import { addGaCookies, blockBeacon, readHits, routeVendorScripts, tagConversions, type Hit, type Purchase } from "../../tests/helpers/storefront";
import { startStorefront, type ShopOrder } from "./storefront";

const MEASUREMENT_ID = "G-TESTMEASURE1";
const ADS_SEND_TO = "AW-123456789/AbCdEfGh12";
/**
 * How long the backend's GA4/Google Ads copy waits for a browser copy saying the tag ran
 * (TAGPIPE_FILL_IN_WAIT_MS; 5 minutes in production): long enough for a loaded machine's
 * browser to load the page and send its beacon after the backend's copy.
 */
export const FILL_IN_WAIT_MS = 20_000;

export const PLATFORMS = ["meta", "tiktok", "pinterest", "snapchat", "ga4", "google_ads"] as const;
export type Platform = (typeof PLATFORMS)[number];

export type SimulationOptions = {
  orders: number;
  /** Share of the browsers that block the ad platforms' scripts and the collector's beacon. */
  blocked: number;
  /** The storefront's backend sends each paid order server-side. */
  serverCopies: boolean;
  seed: number;
  /** Browser contexts at once. */
  parallel: number;
  log?: (line: string) => void;
};

export type DestinationFigures = {
  platform: Platform;
  orders: number;
  countedOnce: number;
  missing: number;
  doubleCounted: number;
  /** orders the browser's pixel reported */
  byBrowser: number;
  /** orders a server delivery reported */
  byServer: number;
  /** what the reconciliation says of the same orders */
  reconciled: { delivered: number; missing: number; duplicated: number; accuracy: number | null };
};

export type SimulationResult = {
  orders: number;
  blockedBrowsers: number;
  destinations: DestinationFigures[];
  /** orders counted exactly once at every destination */
  countedOnce: number;
  /** orders missing at one destination or more */
  missing: number;
  /** orders counted more than once at one destination or more */
  doubleCounted: number;
  /** the reconciliation's own overall figure: orders delivered once everywhere */
  reconciledCountedOnce: number;
  seconds: number;
};

export type Stack = { standIns: StandIns; collector: Collector; browser: Browser; stop(): Promise<void> };

/** Stand-ins of every platform, a Tagpipe server (collector and forwarder) pointed at them, and Chromium. */
export async function startStack(options: { distDir: string; backend: Backend; name?: string }): Promise<Stack> {
  const standIns = await startStandIns();
  let collector: Collector | null = null;
  let browser: Browser | null = null;
  const stop = async () => {
    await browser?.close();
    await collector?.stop();
    await standIns.close();
  };
  try {
    collector = await startCollector({ name: options.name ?? `simulate-${process.pid}`, backend: options.backend, distDir: options.distDir, standIns, env: { TAGPIPE_FILL_IN_WAIT_MS: String(FILL_IN_WAIT_MS) } });
    browser = await launch();
  } catch (error) {
    await stop();
    throw error;
  }
  return { standIns, collector, browser, stop };
}

/** mulberry32: a small seeded generator, so a seed gives the same shoppers every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The carts and which of their browsers block, from the seed: exactly round(orders × blocked) block. */
export function shoppers(options: Pick<SimulationOptions, "orders" | "blocked" | "seed">, prefix: string): { cart: Purchase; blocked: boolean }[] {
  const next = random(options.seed);
  const carts = Array.from({ length: options.orders }, (_, i) => {
    const orderId = `${prefix}-${String(i + 1).padStart(5, "0")}`;
    return { orderId, value: Math.round((10 + next() * 190) * 100) / 100, currency: "EUR", email: `shopper-${orderId}@example.com`, contentIds: [`sku-${1 + Math.floor(next() * 40)}`] };
  });
  const order = carts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const blocking = new Set(order.slice(0, Math.round(options.orders * options.blocked)));
  return carts.map((cart, i) => ({ cart, blocked: blocking.has(i) }));
}

/** Runs `work` over `items`, `parallel` at a time. */
async function pool<T>(items: T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** One shopper: the checkout in a browser of its own, blocking or not; answers what its pixels reported. */
async function shop(stack: Stack, p: Pipeline, shopUrl: string, cart: Purchase, blocked: boolean): Promise<Hit[]> {
  const context = await stack.browser.newContext({ userAgent: VISITOR_USER_AGENT });
  try {
    await addGaCookies(context, MEASUREMENT_ID);
    await routeVendorScripts(context, blocked);
    const blockedBeacons = blocked ? await blockBeacon(context, stack.collector.url) : null;
    const page = await context.newPage();
    const response = await page.goto(`${shopUrl}/checkout/${cart.orderId}`);
    if (response?.status() !== 200) throw new Error(`checkout of ${cart.orderId}: ${response?.status()} ${await response?.text()}`);
    if (blockedBeacons) {
      // The runtime tried to send the purchase, and the blocker stopped it.
      await eventually(async () => blockedBeacons() > 0, 60_000, `the blocked beacon of ${cart.orderId}`);
    } else {
      // The tags ran (gtag.js is the last the runtime waits for) and the beacon's copy is stored.
      await eventually(async () => (await readHits(page)).some((h) => h[0] === "google"), 60_000, `the Google tag of ${cart.orderId}`);
      await eventually(
        async () => {
          const [row] = await stack.collector.query<{ source: string }>(`SELECT source FROM "CollectedEvent" WHERE "siteId" = $1 AND "eventId" = $2 AND status = 'accepted'`, [p.siteId, `order-${cart.orderId}`]);
          return row && row.source !== "server";
        },
        60_000,
        `the browser copy of ${cart.orderId}`,
      );
    }
    return await readHits(page);
  } finally {
    await context.close();
  }
}

/** What each platform counted of each order: how many conversions, and which copies reached it. */
function platformCounts(stack: Stack, orderId: string, hits: Hit[]): Record<Platform, { conversions: number; browser: boolean; server: boolean }> {
  const s = stack.standIns;
  const eventId = `order-${orderId}`;
  const tags = tagConversions(hits, { measurementId: MEASUREMENT_ID, adsSendTo: ADS_SEND_TO });
  const byEventId = (tagged: string[], server: number) => ({ conversions: new Set([...tagged, ...(server ? [eventId] : [])]).size, browser: tagged.length > 0, server: server > 0 });
  const ga4Server = s.ga4.deliveredEvents().filter((e) => (e.params as Json)?.event_id === eventId).length;
  // Uploaded click conversions; an enhancement (uploadConversionAdjustments) adds identifiers to the tag's conversion, not a conversion.
  const adsUploads = s.googleAds.acknowledged().filter((r) => r.path.endsWith(":uploadClickConversions") && r.eventIds.includes(orderId) && !r.refusedIds.includes(orderId)).length;
  const adsKeys = new Set([...tags.googleAds.map((t) => String(t.transaction_id ?? orderId)), ...(adsUploads ? [orderId] : [])]);
  return {
    meta: byEventId(tags.meta, s.meta.deliveredCounts().get(eventId) ?? 0),
    tiktok: byEventId(tags.tiktok, s.tiktok.deliveredCounts().get(eventId) ?? 0),
    pinterest: byEventId(tags.pinterest, s.pinterest.deliveredCounts().get(eventId) ?? 0),
    snapchat: byEventId(tags.snapchat, s.snapchat.deliveredCounts().get(eventId) ?? 0),
    ga4: { conversions: tags.ga4.length + ga4Server, browser: tags.ga4.length > 0, server: ga4Server > 0 },
    google_ads: { conversions: adsKeys.size, browser: tags.googleAds.length > 0, server: adsUploads > 0 },
  };
}

export async function simulate(stack: Stack, options: SimulationOptions): Promise<SimulationResult> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  const { collector } = stack;
  const p = await createPipeline(
    collector.url,
    [{ platform: "meta" }, { platform: "tiktok" }, { platform: "pinterest" }, { platform: "snapchat" }, { platform: "ga4" }, { platform: "google_ads" }],
    { hostname: "127.0.0.1" },
  );
  const people = shoppers(options, `sim${options.seed}-${uid().slice(-6)}`);
  const shopfront = await startStorefront({
    collectorUrl: collector.url,
    publicKey: p.production.publicKey,
    serverKey: p.production.serverKey,
    serverCopies: options.serverCopies,
    carts: new Map(people.map((x) => [x.cart.orderId, x.cart])),
  });
  const hits = new Map<string, Hit[]>();
  try {
    log(`${options.orders} shoppers, ${people.filter((x) => x.blocked).length} blocking, server copies ${options.serverCopies ? "on" : "off"}, ${options.parallel} browsers at once`);
    let done = 0;
    await pool(people, options.parallel, async ({ cart, blocked }) => {
      hits.set(cart.orderId, await shop(stack, p, shopfront.url, cart, blocked));
      done += 1;
      if (done % 25 === 0 || done === people.length) log(`  ${done} of ${people.length} checkouts`);
    });
  } finally {
    await shopfront.close();
  }

  // Every copy leaves the outbox: delivered, or decided (the backend's GA4/Google Ads copy
  // of a blocked browser leaves at the end of the fill-in wait).
  log("waiting for the outbox to empty");
  await eventually(
    async () => {
      const [row] = await collector.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId" WHERE e."siteId" = $1 AND d.status = 'pending'`, [p.siteId]);
      return row.n === 0;
    },
    FILL_IN_WAIT_MS + 120_000,
    "the outbox to empty",
  );

  // The shop's orders in, through the orders API, then the reconciliation API.
  const orders = [...shopfront.orders.values()];
  for (let i = 0; i < orders.length; i += 1000) {
    const batch = orders.slice(i, i + 1000).map((o: ShopOrder) => ({ order_id: o.orderId, created_at: o.createdAt, value: o.value.toFixed(2), currency: o.currency, status: o.status, email: o.email }));
    expectStatus(await p.team.owner.post(`/sites/${p.siteId}/orders`, { orders: batch }), 201);
  }
  const days = orders.map((o) => o.createdAt.slice(0, 10)).sort();
  const rec = expectStatus(await p.team.owner.get(`/sites/${p.siteId}/reconciliation?from=${days[0]}&to=${days[days.length - 1]}`), 200);
  const reconciled = new Map<string, Json>((rec.destinations as Json[]).map((d) => [d.platform, d]));

  const counts = orders.map((o) => platformCounts(stack, o.orderId, hits.get(o.orderId) ?? []));
  const destinations = PLATFORMS.map((platform): DestinationFigures => {
    const of = counts.map((c) => c[platform]);
    const r = reconciled.get(platform);
    return {
      platform,
      orders: orders.length,
      countedOnce: of.filter((c) => c.conversions === 1).length,
      missing: of.filter((c) => c.conversions === 0).length,
      doubleCounted: of.filter((c) => c.conversions > 1).length,
      byBrowser: of.filter((c) => c.browser).length,
      byServer: of.filter((c) => c.server).length,
      reconciled: { delivered: r?.delivered ?? 0, missing: r?.missing ?? orders.length, duplicated: r?.duplicated ?? 0, accuracy: r?.accuracy ?? null },
    };
  });
  const violations = stack.standIns.violations();
  if (violations.length) throw new Error(`the stand-ins saw contract violations: ${violations.slice(0, 5).join("; ")}`);
  return {
    orders: orders.length,
    blockedBrowsers: people.filter((x) => x.blocked).length,
    destinations,
    countedOnce: counts.filter((c) => PLATFORMS.every((pl) => c[pl].conversions === 1)).length,
    missing: counts.filter((c) => PLATFORMS.some((pl) => c[pl].conversions === 0)).length,
    doubleCounted: counts.filter((c) => PLATFORMS.some((pl) => c[pl].conversions > 1)).length,
    reconciledCountedOnce: rec.overall.countedOnce,
    seconds: (Date.now() - started) / 1000,
  };
}

/** The figures, one name=value a line: per destination, then overall, ending with orders, counted_once, missing, double_counted. */
export function reportLines(r: SimulationResult): string[] {
  const lines: string[] = [];
  for (const d of r.destinations) {
    lines.push(
      `${d.platform}_counted_once=${d.countedOnce}`,
      `${d.platform}_missing=${d.missing}`,
      `${d.platform}_double_counted=${d.doubleCounted}`,
      `${d.platform}_by_browser=${d.byBrowser}`,
      `${d.platform}_by_server=${d.byServer}`,
      `${d.platform}_reconciled_delivered=${d.reconciled.delivered}`,
      `${d.platform}_reconciled_missing=${d.reconciled.missing}`,
      `${d.platform}_accuracy=${d.reconciled.accuracy === null ? "none" : d.reconciled.accuracy.toFixed(3)}`,
    );
  }
  lines.push(
    `blocked_browsers=${r.blockedBrowsers}`,
    `reconciled_counted_once=${r.reconciledCountedOnce}`,
    `seconds=${r.seconds.toFixed(1)}`,
    `orders=${r.orders}`,
    `counted_once=${r.countedOnce}`,
    `missing=${r.missing}`,
    `double_counted=${r.doubleCounted}`,
  );
  return lines;
}
