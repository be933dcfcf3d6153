// A shop's thank-you page in real Chromium, and what the vendors' pixels report from it.
// The vendors' scripts are answered by local recorders that read each vendor's queue the
// way its real script does and push every call into window.__px, so a test (or
// `npm run simulate`) sees what each pixel would send; a blocked browser aborts them, as
// an ad blocker does. Used by tests/integration/platforms-matrix.test.ts and
// scripts/simulate/.
import type { BrowserContext, Page } from "playwright-core";
import type { Json } from "./api";

// What each vendor's script would send, recorded in window.__px instead.
export const VENDOR_RECORDERS: Record<string, string> = {
  // fbevents.js installs callMethod and replays the queue.
  "connect.facebook.net": `(function(){var f=window.fbq;function rec(a){window.__px.push(["meta"].concat([].slice.call(a)))}
    var q=f.queue||[];f.queue=[];f.callMethod=function(){rec(arguments)};q.forEach(rec);})();`,
  // events.js reads the ttq queue of [method, ...args] and takes later calls as they come.
  "analytics.tiktok.com": `(function(){var t=window.ttq;function rec(a){window.__px.push(["tiktok"].concat([].slice.call(a)))}
    [].slice.call(t).forEach(rec);t.push=function(a){rec(a)};})();`,
  // core.js takes pintrk's queue, and each call after it.
  "s.pinimg.com": `(function(){var p=window.pintrk;function rec(a){window.__px.push(["pinterest"].concat([].slice.call(a)))}
    p.queue.forEach(rec);p.queue={push:rec};})();`,
  // scevent.min.js installs handleRequest and replays the queue.
  "sc-static.net": `(function(){var s=window.snaptr;function rec(a){window.__px.push(["snapchat"].concat([].slice.call(a)))}
    s.queue.forEach(rec);s.queue=[];s.handleRequest=function(){rec(arguments)};})();`,
  // gtag.js processes the data layer's gtag() calls, then each one pushed later; it sets _ga when missing.
  "www.googletagmanager.com": `(function(){window.google_tag_data={};var dl=window.dataLayer;
    function handle(a){if(a&&typeof a==="object"&&a[0]==="event")window.__px.push(["google",a[1],a[2]])}
    dl.forEach(handle);var push=dl.push;dl.push=function(){[].forEach.call(arguments,handle);return push.apply(dl,arguments)};})();`,
};

/** One recorded pixel call: the vendor, then the arguments its queue received. */
export type Hit = [vendor: string, ...args: Json[]];

export type Purchase = { orderId: string; value: number; currency: string; email: string; contentIds: string[] };

/** The thank-you page: the purchase in the data layer, then the published container. */
export function thankYouPage(containerUrl: string, p: Purchase): string {
  const dataLayer = [{ event: "purchase", ecommerce: { transaction_id: p.orderId, value: p.value, currency: p.currency, items: p.contentIds.map((id) => ({ item_id: id })) }, user: { email: p.email } }];
  // JSON inside <script>: "</" could close the element.
  const json = JSON.stringify(dataLayer).replace(/</g, "\\u003c");
  return `<!doctype html><html><head><title>Thanks</title><script>
    window.__px = [];
    window.dataLayer = ${json};
  </script><script src="${containerUrl}"></script></head><body>Thank you for order ${p.orderId.replace(/[<&]/g, "")}</body></html>`;
}

/**
 * GA's cookies as gtag.js left them on an earlier page (the GA4 server copy carries the
 * client id); answers that client id.
 */
export async function addGaCookies(context: BrowserContext, measurementId: string, host = "127.0.0.1"): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const clientId = `${Math.floor(Math.random() * 1e9)}.${now - 3600}`;
  await context.addCookies([
    { name: "_ga", value: `GA1.1.${clientId}`, domain: host, path: "/" },
    { name: `_ga_${measurementId.slice(2)}`, value: `GS2.1.s${now}$o2$g1$t${now}$j0$l0$h0`, domain: host, path: "/" },
  ]);
  return clientId;
}

/** The vendors' scripts answered by the recorders, or aborted as an ad blocker does. */
export async function routeVendorScripts(context: BrowserContext, blocked: boolean): Promise<void> {
  for (const [host, body] of Object.entries(VENDOR_RECORDERS)) {
    await context.route(`https://${host}/**`, (route) => (blocked ? route.abort("blockedbyclient") : route.fulfill({ status: 200, contentType: "text/javascript", body })));
  }
}

/** Aborts the collector's beacon, as an ad blocker's list does; answers how many were blocked so far. */
export async function blockBeacon(context: BrowserContext, collectorUrl: string): Promise<() => number> {
  let blocked = 0;
  await context.route(`${collectorUrl}/api/collect`, (route) => {
    blocked += 1;
    return route.abort("blockedbyclient");
  });
  return () => blocked;
}

export function readHits(page: Page): Promise<Hit[]> {
  return page.evaluate(() => (window as unknown as { __px: Hit[] }).__px);
}

/**
 * The conversions the browser's tags reported, per platform: for Meta, TikTok, Pinterest
 * and Snapchat the event_id each carried (what the platform merges a server copy by); for
 * GA4 and Google Ads each purchase or conversion call to the given tag, with its params.
 */
export function tagConversions(hits: Hit[], google: { measurementId: string; adsSendTo: string }) {
  return {
    meta: hits.filter((h) => h[0] === "meta" && h[1] === "trackSingle" && h[3] === "Purchase").map((h) => (h[5] as Json).eventID as string),
    tiktok: hits.filter((h) => h[0] === "tiktok" && h[1] === "track" && h[2] === "CompletePayment").map((h) => (h[4] as Json).event_id as string),
    pinterest: hits.filter((h) => h[0] === "pinterest" && h[1] === "track" && h[2] === "checkout").map((h) => (h[3] as Json).event_id as string),
    snapchat: hits.filter((h) => h[0] === "snapchat" && h[1] === "track" && h[2] === "PURCHASE").map((h) => (h[3] as Json).client_dedup_id as string),
    ga4: hits.filter((h) => h[0] === "google" && h[1] === "purchase" && (h[2] as Json).send_to === google.measurementId).map((h) => h[2] as Json),
    googleAds: hits.filter((h) => h[0] === "google" && h[1] === "conversion" && (h[2] as Json).send_to === google.adsSendTo).map((h) => h[2] as Json),
  };
}
