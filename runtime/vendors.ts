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

/** A queueing stub with the vendor's calling convention, until its real code arrives. */
function stub(name: string, src: string, queueKey = "queue"): Fn {
  if (typeof w[name] === "function" || (name === "ttq" && w.ttq)) return w[name] as Fn;
  const q: unknown[] = [];
  const f = ((...args: unknown[]) => void q.push(args)) as Fn;
  f[queueKey] = q;
  f.push = f;
  f.loaded = true;
  w[name] = f;
  script(src);
  return f;
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
      const fbq = stub("fbq", "https://connect.facebook.net/en_US/fbevents.js");
      once(`m${ids.pixelId}`, () => fbq("init", ids.pixelId));
      const contents = items(p).map((i) => ({ id: String(i.item_id ?? i.id), quantity: Number(i.quantity ?? 1) }));
      const data: Dict = { value: p.value, currency: p.currency, content_ids: p.content_ids, content_type: p.content_ids ? "product" : undefined, contents: contents.length ? contents : undefined, num_items: p.num_items, order_id: p.order_id };
      fbq(META_STANDARD.includes(name) ? "track" : "trackCustom", name, clean(data), { eventID: eventId });
      return `fbq ${name}`;
    }
    case "tiktok": {
      const ttq = stub("ttq", `https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=${encodeURIComponent(ids.pixelCode)}`, "_q");
      once(`t${ids.pixelCode}`, () => (ttq.load as Fn | undefined)?.(ids.pixelCode));
      if (pageView) {
        (ttq.page as Fn | undefined)?.();
        return "ttq page";
      }
      const contents = items(p).map((i) => ({ content_id: String(i.item_id ?? i.id), quantity: Number(i.quantity ?? 1), price: i.price }));
      (ttq.track as Fn)(name, clean({ value: p.value, currency: p.currency, contents: contents.length ? contents : undefined, content_type: "product", order_id: p.order_id }), { event_id: eventId });
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
