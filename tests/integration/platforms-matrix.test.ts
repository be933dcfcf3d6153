// Each conversion counted once, at every platform, whatever the browser blocks: the
// published container runs in real Chromium on a shop page served from 127.0.0.1, with
// the vendors' scripts answered by fakes that record what each pixel would report; the
// server side goes to the stand-ins. Four ways a purchase can travel:
//   browser unblocked  tags and beacon run; the backend sends its copy too (first)
//   pixel blocked      the vendors' scripts are blocked; the beacon and the backend's copy arrive
//   beacon blocked     the tags run; the collector never hears of the purchase
//   backend only       no browser at all
// Meta, TikTok, Pinterest and Snapchat merge a tag's and a server's copy by event_id:
// counted once per event_id.
// GA4 and Google Ads do not: a tag's hit plus a server copy would count twice, so the
// sum of both must be exactly one (Google Ads' enhancement of the tag's conversion adds
// identifiers, not a conversion). The GA4 server copy carries the _ga cookie's client id.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, BrowserContext } from "playwright-core";
import { VISITOR_USER_AGENT, launch } from "../e2e/browser";
import { expectStatus, uid, type Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";
import { addGaCookies, blockBeacon, readHits, routeVendorScripts, tagConversions, thankYouPage, type Hit } from "../helpers/storefront";

const MEASUREMENT_ID = "G-TESTMEASURE1";
const ADS_SEND_TO = "AW-123456789/AbCdEfGh12";
// Long enough for a loaded machine's browser copy to come first; only "backend only" waits it out.
const FILL_IN_WAIT_MS = 20_000;

type Case = "browser unblocked" | "pixel blocked" | "beacon blocked" | "backend only";

describe("each conversion counted once at every platform", () => {
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  let browser: Browser;
  let shop: http.Server;
  let shopUrl = "";

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({
      name: "platforms-matrix",
      backend: "postgres",
      distDir: inject("distDir"),
      standIns,
      // A backend's copy for GA4 and Google Ads waits this long for a browser copy saying the tag ran.
      env: { TAGPIPE_FILL_IN_WAIT_MS: String(FILL_IN_WAIT_MS) },
    });
    p = await createPipeline(
      collector.url,
      [{ platform: "meta", testEventCode: "TEST4242" }, { platform: "tiktok", testEventCode: "TEST7777" }, { platform: "pinterest" }, { platform: "snapchat" }, { platform: "ga4" }, { platform: "google_ads" }],
      { hostname: "127.0.0.1" },
    );
    shop = http.createServer((req, res) => {
      const order = new URL(req.url ?? "/", "http://x").searchParams.get("order") ?? "none";
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(thankYouPage(`${collector.url}/c/${p.production.publicKey}.js`, { orderId: order, value: 59.9, currency: "EUR", email: `buyer-${order}@example.com`, contentIds: ["sku-1"] }));
    });
    await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve));
    shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
    browser = await launch();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await collector?.stop();
    await standIns?.close();
  });

  afterEach(() => {
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
  });

  /** A visitor's browser: GA's cookies as gtag.js left them on an earlier page; vendor scripts faked or blocked; the beacon sent or blocked. */
  async function visitor(c: Case): Promise<{ context: BrowserContext; gaClientId: string; blockedBeacons: () => number }> {
    const context = await browser.newContext({ userAgent: VISITOR_USER_AGENT });
    const gaClientId = await addGaCookies(context, MEASUREMENT_ID);
    await routeVendorScripts(context, c === "pixel blocked");
    const blockedBeacons = c === "beacon blocked" ? await blockBeacon(context, collector.url) : () => 0;
    return { context, gaClientId, blockedBeacons };
  }

  /** The deliveries of one event, once none is still waiting. */
  async function settled(eventId: string): Promise<Json[]> {
    return eventually(
      async () => {
        const all = (expectStatus(await p.team.owner.get("/deliveries?limit=500"), 200).data as Json[]).filter((d) => d.event?.eventId === eventId);
        return all.length && all.every((d) => d.status !== "pending") ? all : null;
      },
      40_000,
      `the deliveries of ${eventId} to settle`,
    );
  }

  it.each<Case>(["browser unblocked", "pixel blocked", "beacon blocked", "backend only"])("%s", async (c) => {
    const order = `m-${uid()}`;
    const eventId = `order-${order}`;
    const backend = purchase({ event_id: eventId, params: { order_id: order, value: 59.9, currency: "EUR", content_ids: ["sku-1"] }, user_data: { email: `buyer-${order}@example.com` } });
    let hits: Hit[] = [];
    let gaClientId: string | null = null;
    let stored: { context: Json; source: string } | null = null;

    if (c === "backend only" || c === "browser unblocked") expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [backend]), "accepted");
    if (c !== "backend only") {
      const v = await visitor(c);
      gaClientId = v.gaClientId;
      const page = await v.context.newPage();
      await page.goto(`${shopUrl}/thanks?order=${order}`);
      if (c === "beacon blocked") {
        await expect.poll(v.blockedBeacons, { timeout: 15_000 }).toBeGreaterThan(0);
      } else {
        // The browser's copy arrived: Meta's server side has it (merged with the backend's, when that came first).
        await standIns.meta.waitForDelivered([eventId], 30_000);
      }
      if (c !== "pixel blocked") await expect.poll(async () => (await readHits(page)).some((h) => h[0] === "google"), { timeout: 15_000 }).toBe(true);
      hits = await readHits(page);
      // With the backend's copy first, Meta's delivery above came from it: the page stays
      // open until the beacon (which leaves after the runtime's wait for gtag.js) has merged
      // the browser's copy into the stored event — closed earlier, it would never leave.
      if (c === "browser unblocked") {
        stored = await eventually(async () => {
          const [row] = await collector.query<{ context: Json; source: string }>(`SELECT context, source FROM "CollectedEvent" WHERE "eventId" = $1 AND status = 'accepted'`, [eventId]);
          return row?.source === "both" ? row : null;
        }, 30_000, "the browser copy merged into the stored event");
      }
      await v.context.close();
      // The backend's copy after the browser's (it merges into it).
      if (c === "pixel blocked") expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [backend]), "duplicate");
    }
    const rows = c === "beacon blocked" ? [] : await settled(eventId);

    // Meta, TikTok, Pinterest, Snapchat: both copies carry the event_id, which the platform
    // merges: one conversion per event_id, from the tag, the server or both.
    const { ga4: ga4Pixel, googleAds: adsPixel, ...tags } = tagConversions(hits, { measurementId: MEASUREMENT_ID, adsSendTo: ADS_SEND_TO });
    for (const [platform, tagged] of Object.entries(tags)) {
      const server = standIns[platform as keyof typeof tags].deliveredCounts().get(eventId) ?? 0;
      expect(server, `${platform} server copies`).toBe(c === "beacon blocked" ? 0 : 1);
      expect(tagged, `${platform} tag`).toEqual(c === "browser unblocked" || c === "beacon blocked" ? [eventId] : []);
      expect(new Set([...tagged, ...(server ? [eventId] : [])]).size, `${platform}: conversions by event_id`).toBe(1);
    }

    if (stored) {
      // The beacon said which Google tags ran.
      expect(stored, JSON.stringify(stored)).toMatchObject({ source: "both", context: { fired: [MEASUREMENT_ID, ADS_SEND_TO] } });
    }
    // GA4: the tag's hits plus the Measurement Protocol's copies, exactly one.
    const ga4Server = standIns.ga4.deliveredEvents().filter((e) => (e.params as Json)?.event_id === eventId);
    expect(ga4Pixel.length + ga4Server.length, `GA4 counts (tag ${ga4Pixel.length}, server ${ga4Server.length})`).toBe(1);
    if (ga4Server.length && gaClientId) {
      const request = standIns.ga4.acknowledged().find((r) => r.eventIds.includes(eventId))!;
      expect((request.body as Json).client_id).toBe(gaClientId);
      expect(ga4Server[0].params).toMatchObject({ session_id: expect.stringMatching(/^\d+$/) });
    }

    // Google Ads: the tag's conversions plus uploaded click conversions, exactly one.
    const uploads = standIns.googleAds.acknowledged().filter((r) => r.path.endsWith(":uploadClickConversions") && r.eventIds.includes(order));
    expect(adsPixel.length + uploads.length, `Google Ads counts (tag ${adsPixel.length}, uploads ${uploads.length})`).toBe(1);
    if (c === "browser unblocked") {
      // The tag reported it: the server enhanced it, and GA4's waiting copy was suppressed.
      expect(standIns.googleAds.acknowledged().filter((r) => r.path.endsWith(":uploadConversionAdjustments") && r.eventIds.includes(order))).toHaveLength(1);
      expect(rows.find((d) => d.platform === "ga4")).toMatchObject({ status: "suppressed" });
      // Decided when the browser's copy arrived, not at the end of the fill-in wait.
      const [decided] = await collector.query<{ waitedMs: number }>(
        `SELECT extract(epoch FROM d."firstAttemptAt" - e."receivedAt") * 1000 AS "waitedMs" FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId"
         WHERE e."eventId" = $1 AND e.status = 'accepted' AND d.platform = 'ga4'`,
        [eventId],
      );
      expect(Number(decided.waitedMs)).toBeLessThan(FILL_IN_WAIT_MS);
    }
    for (const d of rows) expect(["delivered", "suppressed"], `${d.platform}: ${d.status} ${d.lastError}`).toContain(d.status);
  }, 90_000);

  // The batch leaves before the tags ran (tagpipe.flush() while the tags script is still
  // loading, held back here): the event goes `pending`; when the tags ran, or gtag.js
  // failed, the runtime's follow-up report settles GA4's and Google Ads' waiting server
  // copy — suppressed when the tag counted it, sent at once when it could not.
  it.each(["tags run late", "tags run late, gtag.js blocked"] as const)("flushed before the tags ran: %s", async (c) => {
    const blocked = c !== "tags run late";
    const order = `late-${uid()}`;
    const eventId = `order-${order}`;
    const v = await visitor(blocked ? "pixel blocked" : "browser unblocked");
    let asked = false;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await v.context.route(new RegExp(`/c/${p.production.publicKey}\\.[a-f0-9]{64}\\.js$`), async (route) => {
      asked = true;
      await released;
      await route.continue();
    });
    const page = await v.context.newPage();
    // Not "load": the held tags script holds the page's load event.
    await page.goto(`${shopUrl}/thanks?order=${order}`, { waitUntil: "domcontentloaded" });
    await expect.poll(() => asked, { timeout: 15_000 }).toBe(true);
    await page.evaluate(() => (window as unknown as { tagpipe: { flush(): void } }).tagpipe.flush());
    // The event arrived without `fired`; its GA4 copy waits for the report, past the forward delay.
    await eventually(async () => (await collector.query(`SELECT 1 FROM "CollectedEvent" WHERE "eventId" = $1`, [eventId])).length > 0, 15_000, "the flushed event");
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(standIns.ga4.sentCounts().get(eventId) ?? 0, "GA4 server copies before the tags ran").toBe(0);
    release();
    if (!blocked) await expect.poll(async () => (await readHits(page)).some((h) => h[0] === "google"), { timeout: 15_000 }).toBe(true);
    const rows = await settled(eventId);
    const hits = await readHits(page);
    await v.context.close();

    const { ga4: ga4Pixel, googleAds: adsPixel } = tagConversions(hits, { measurementId: MEASUREMENT_ID, adsSendTo: ADS_SEND_TO });
    const ga4Server = standIns.ga4.deliveredEvents().filter((e) => (e.params as Json)?.event_id === eventId);
    expect([ga4Pixel.length, ga4Server.length], "GA4 (tag, Measurement Protocol)").toEqual(blocked ? [0, 1] : [1, 0]);
    const uploads = standIns.googleAds.acknowledged().filter((r) => r.path.endsWith(":uploadClickConversions") && r.eventIds.includes(order));
    expect([adsPixel.length, uploads.length], "Google Ads (tag, uploads)").toEqual(blocked ? [0, 1] : [1, 0]);
    expect(rows.find((d) => d.platform === "ga4")).toMatchObject({ status: blocked ? "delivered" : "suppressed" });
    // Decided by the report, not at the pending wait's deadline (30 s).
    const [decided] = await collector.query<{ waitedMs: number }>(
      `SELECT extract(epoch FROM d."firstAttemptAt" - e."receivedAt") * 1000 AS "waitedMs" FROM "Delivery" d JOIN "CollectedEvent" e ON e.id = d."collectedEventId"
       WHERE e."eventId" = $1 AND d.platform = 'ga4'`,
      [eventId],
    );
    expect(Number(decided.waitedMs)).toBeLessThan(20_000);
  }, 90_000);
});
