// The pixels: fbq, ttq, gtag and image pixels, each given the same event_id. A vendor's
// base code loads only when a destination needs it and consent allows (that is when the
// first call happens); a page that already has the vendor's function keeps its own.
import { Platform, type RuntimeDestination } from "../lib/compiler/runtime-config";
import { loadScript } from "./load";
import { imageUrl, type Dict } from "./util";

type Fn = ((...args: unknown[]) => void) & Dict;
const w = window as unknown as Dict;

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
  Object.assign(n, { push: n, loaded: true, version: "2.0", queue: [] });
  w.fbq = n;
  w._fbq ??= n;
  loadScript("https://connect.facebook.net/en_US/fbevents.js");
  return n;
}

/** TikTok's queue stub, as its snippet defines it: methods that queue until events.js arrives. */
function tiktokStub(): Fn {
  if (w.ttq) return w.ttq as Fn;
  const ttq = [] as unknown as Fn & unknown[];
  const methods = "page track identify instances debug on off once ready alias group enableCookie disableCookie holdConsent revokeConsent grantConsent".split(" ");
  const stubs = (target: Dict, ...tail: unknown[]) => {
    for (const m of methods) target[m] = (...args: unknown[]) => void ttq.push([m, ...args, ...tail]);
    return target;
  };
  stubs(ttq);
  ttq.instance = (id: string) => stubs({}, { instance: id });
  ttq.load = (id: string) => loadScript(`https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=${encodeURIComponent(id)}&lib=ttq`);
  w.ttq = ttq;
  w.TiktokAnalyticsObject = "ttq";
  return ttq;
}

/** The event's items (the mapped `contents`, else GA4's `items`; objects only) in a vendor's shape; none: undefined. */
function items(p: Dict, shape: (item: Dict, id: string, quantity: number) => Dict): Dict[] | undefined {
  const list = p.contents ?? p.items;
  const out = Array.isArray(list) ? list.filter((x) => x && typeof x === "object").map((i) => shape(i, String(i.item_id ?? i.id), Number(i.quantity ?? 1))) : [];
  return out.length ? out : undefined;
}

/** Removes undefined values, which vendors would otherwise receive as keys. */
function clean(o: Dict): Dict {
  for (const k in o) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * gtag.js as this runtime loaded it: 0 loading, 1 loaded, 2 failed (an ad blocker);
 * undefined when the page brought its own gtag.
 */
let gtagJs: number | undefined;

/** Whether Google's tag can have sent what gtag() was given: its script ran (the page's own counts when Google's globals exist). */
export const googleLoaded = () => (gtagJs === undefined ? !!(w.google_tag_data || w.google_tag_manager) : gtagJs === 1);
/** Whether gtag.js is still on its way: the beacon waits a little for the answer. */
export const googleLoading = () => gtagJs === 0;

const inited = new Set<string>();
const once = (key: string, f: () => void) => {
  if (!inited.has(key)) {
    inited.add(key);
    f();
  }
};

/** Fires the destination's pixel for the event at position `at` (its name there is d[1][at]). */
export function fire([platform, names, , id, extra]: RuntimeDestination, at: number, eventId: string, p: Dict, pageView: boolean): void {
  const name = names[at] as string;
  const { value, currency, order_id } = p;
  if (TAGPIPE_META && platform === Platform.meta) {
    const fbq = metaStub();
    once(`m${id}`, () => fbq("init", id));
    const contents = items(p, (_, id, quantity) => ({ id, quantity }));
    const data = { value, currency, content_ids: p.content_ids, content_type: p.content_ids ? "product" : undefined, contents, num_items: p.num_items, order_id };
    // trackSingle: with two Meta pixels on a page, each gets the event once, not twice.
    fbq(TAGPIPE_META_CUSTOM && (extra as number[] | undefined)?.includes(at) ? "trackSingleCustom" : "trackSingle", id, name, clean(data), { eventID: eventId });
  }
  if (TAGPIPE_TIKTOK && platform === Platform.tiktok) {
    const ttq = tiktokStub();
    once(`t${id}`, () => (ttq.load as Fn | undefined)?.(id));
    // One pixel's instance, so a second TikTok pixel on the page does not count it too.
    const pixel = (typeof ttq.instance === "function" ? (ttq.instance as (id: string) => Dict)(id) : ttq) as Dict;
    if (pageView) (pixel.page as Fn | undefined)?.();
    else {
      const contents = items(p, (i, content_id, quantity) => ({ content_id, quantity, price: i.price }));
      (pixel.track as Fn)(name, clean({ value, currency, contents, content_type: "product", order_id }), { event_id: eventId });
    }
  }
  if ((TAGPIPE_GA4 && platform === Platform.ga4) || (TAGPIPE_GOOGLE_ADS && platform === Platform.google_ads)) {
    w.dataLayer ||= [];
    if (typeof w.gtag !== "function") {
      // gtag's own definition: push the arguments object onto the data layer.
      w.gtag = function () {
        // eslint-disable-next-line prefer-rest-params
        (w.dataLayer as unknown[]).push(arguments);
      };
      gtagJs = 0;
      const s = loadScript(`https://www.googletagmanager.com/gtag/js?id=${encodeURIComponent(id)}`);
      s.onload = () => (gtagJs = 1);
      s.onerror = () => (gtagJs = 2);
      (w.gtag as Fn)("js", new Date());
    }
    const gtag = w.gtag as Fn;
    once(`g${id}`, () => gtag("config", id, { send_page_view: false }));
    const transaction_id = order_id || undefined;
    if (TAGPIPE_GOOGLE_ADS && platform === Platform.google_ads) gtag("event", "conversion", clean({ send_to: `${id}/${extra}`, value, currency, transaction_id }));
    else {
      const list = items(p, (i, item_id) => clean({ item_id, quantity: i.quantity, price: i.price }));
      gtag("event", name, clean({ send_to: id, value, currency, transaction_id, items: list, event_id: eventId }));
    }
  }
  if (TAGPIPE_IMAGE_PIXEL && platform === Platform.image_pixel) new Image().src = imageUrl(id, name, eventId, p);
}
