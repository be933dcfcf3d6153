// The pixels: fbq, ttq, gtag and image pixels, each given the same event_id. A vendor's
// base code loads only when a destination needs it and consent allows (that is when the
// first call happens); a page that already has the vendor's function keeps its own.
import type { RuntimeDestination } from "../lib/compiler/runtime-config";
import type { Dict } from "./util";

type Fn = ((...args: unknown[]) => void) & Dict;
const w = window as unknown as Dict;

const META_STANDARD = "Purchase AddToCart InitiateCheckout AddPaymentInfo ViewContent Search CompleteRegistration Lead Subscribe StartTrial Contact PageView AddToWishlist CustomizeProduct Donate FindLocation Schedule SubmitApplication".split(" ");

// Under a nonce-based CSP, the container's own nonce lets the vendor code it loads run too.
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce;

function script(src: string): void {
  const s = document.createElement("script");
  s.async = true;
  s.src = src;
  if (nonce) s.nonce = nonce;
  document.head.appendChild(s);
}

/**
 * Meta's queue stub, as its own snippet defines it: calls queue until fbevents.js arrives
 * and installs callMethod, which then receives every call.
 */
function metaStub(): Fn {
  if (typeof w.fbq === "function") return w.fbq as Fn;
  const n = function (...args: unknown[]) {
    if (n.callMethod) (n.callMethod as Fn)(...args);
    else (n.queue as unknown[]).push(args);
  } as Fn;
  n.push = n;
  n.loaded = true;
  n.version = "2.0";
  n.queue = [];
  w.fbq = n;
  w._fbq ??= n;
  script("https://connect.facebook.net/en_US/fbevents.js");
  return n;
}

/** TikTok's queue stub, as its snippet defines it: methods that queue until events.js arrives. */
function tiktokStub(code: string): Fn {
  if (w.ttq) return w.ttq as Fn;
  const q: unknown[] = [];
  const ttq = q as unknown as Fn;
  const methods = ["page", "track", "identify", "instances", "debug", "on", "off", "once", "ready", "alias", "group", "enableCookie", "disableCookie", "holdConsent", "revokeConsent", "grantConsent"];
  const setter = (target: Dict, method: string) => {
    target[method] = (...args: unknown[]) => void q.push([method, ...args]);
  };
  methods.forEach((m) => setter(ttq, m));
  ttq.instance = (id: string) => {
    const inst: Dict = {};
    methods.forEach((m) => (inst[m] = (...args: unknown[]) => void q.push([m, ...args, { instance: id }])));
    return inst;
  };
  ttq.load = (id: string) => script(`https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=${encodeURIComponent(id)}&lib=ttq`);
  w.ttq = ttq;
  w.TiktokAnalyticsObject = "ttq";
  void code;
  return ttq;
}

function items(p: Dict): Dict[] {
  const list = (p.contents ?? p.items) as unknown;
  return Array.isArray(list) ? (list.filter((x) => x && typeof x === "object") as Dict[]) : [];
}

const inited = new Set<string>();

export function fire(d: RuntimeDestination, name: string, eventId: string, p: Dict, pageView: boolean): string {
  const ids = d.ids;
  const once = (key: string, f: () => void) => {
    if (!inited.has(key)) {
      inited.add(key);
      f();
    }
  };
  switch (d.platform) {
    case "meta": {
      const fbq = metaStub();
      once(`m${ids.pixelId}`, () => fbq("init", ids.pixelId));
      const contents = items(p).map((i) => ({ id: String(i.item_id ?? i.id), quantity: Number(i.quantity ?? 1) }));
      const data: Dict = { value: p.value, currency: p.currency, content_ids: p.content_ids, content_type: p.content_ids ? "product" : undefined, contents: contents.length ? contents : undefined, num_items: p.num_items, order_id: p.order_id };
      // trackSingle: with two Meta pixels on a page, each gets the event once, not twice.
      fbq(META_STANDARD.includes(name) ? "trackSingle" : "trackSingleCustom", ids.pixelId, name, clean(data), { eventID: eventId });
      return `fbq ${name}`;
    }
    case "tiktok": {
      const ttq = tiktokStub(ids.pixelCode);
      once(`t${ids.pixelCode}`, () => (ttq.load as Fn | undefined)?.(ids.pixelCode));
      // One pixel's instance, so a second TikTok pixel on the page does not count it too.
      const pixel = (typeof ttq.instance === "function" ? (ttq.instance as (id: string) => Dict)(ids.pixelCode) : ttq) as Dict;
      if (pageView) {
        (pixel.page as Fn | undefined)?.();
        return "ttq page";
      }
      const contents = items(p).map((i) => ({ content_id: String(i.item_id ?? i.id), quantity: Number(i.quantity ?? 1), price: i.price }));
      (pixel.track as Fn)(name, clean({ value: p.value, currency: p.currency, contents: contents.length ? contents : undefined, content_type: "product", order_id: p.order_id }), { event_id: eventId });
      return `ttq ${name}`;
    }
    case "ga4":
    case "google_ads": {
      const id = d.platform === "ga4" ? ids.measurementId : ids.conversionId;
      w.dataLayer = (w.dataLayer as unknown[]) || [];
      if (typeof w.gtag !== "function") {
        // gtag's own definition: push the arguments object onto the data layer.
        w.gtag = function () {
          // eslint-disable-next-line prefer-rest-params
          (w.dataLayer as unknown[]).push(arguments);
        };
        script(`https://www.googletagmanager.com/gtag/js?id=${encodeURIComponent(id)}`);
        (w.gtag as Fn)("js", new Date());
      }
      const gtag = w.gtag as Fn;
      once(`g${id}`, () => gtag("config", id, { send_page_view: false }));
      const list = items(p).map((i) => clean({ item_id: String(i.item_id ?? i.id), quantity: i.quantity, price: i.price }));
      if (d.platform === "google_ads") {
        gtag("event", "conversion", clean({ send_to: `${ids.conversionId}/${ids.conversionLabel}`, value: p.value, currency: p.currency, transaction_id: p.order_id || undefined }));
        return "gtag conversion";
      }
      gtag("event", name, clean({ send_to: id, value: p.value, currency: p.currency, transaction_id: p.order_id || undefined, items: list.length ? list : undefined, event_id: eventId }));
      return `gtag ${name}`;
    }
    case "image_pixel": {
      const values: Dict = { event: name, event_id: eventId, value: p.value, currency: p.currency, order_id: p.order_id };
      const url = ids.urlTemplate.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(values[k] == null ? "" : String(values[k])));
      new Image().src = url;
      return `image ${url}`;
    }
  }
  return "";
}

function clean(o: Dict): Dict {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}
