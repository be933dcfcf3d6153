// TikTok's tag in the container: ttq, one pixel's instance, given the event_id (TikTok
// merges the pixel's copy and the Events API's by it). Bundled only into containers with
// a TikTok destination (runtime/vendors.ts, TAGPIPE_TIKTOK).
import type { RuntimeDestination } from "../../compiler/runtime-config";
import { loadScript } from "../../../runtime/load";
import { clean, items, once, type Dict, type Fn } from "../../../runtime/util";

/** TikTok's queue stub, as its snippet defines it: methods that queue (as [method, ...args]) until events.js arrives. */
function stub(w: Dict): Fn {
  if (w.ttq) return w.ttq as Fn;
  const ttq = [] as unknown as Fn & unknown[];
  // Only the methods this runtime calls: a page with TikTok calls of its own has its own ttq.
  const methods = ["page", "track"];
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

export function fireTiktok([, , , id]: RuntimeDestination, name: string, _at: number, eventId: string, p: Dict, pageView: boolean): void {
  const ttq = stub(window as unknown as Dict);
  once(`t${id}`, () => (ttq.load as Fn | undefined)?.(id));
  // One pixel's instance, so a second TikTok pixel on the page does not count it too.
  const pixel = (typeof ttq.instance === "function" ? (ttq.instance as (id: string) => Dict)(id) : ttq) as Dict;
  if (pageView) (pixel.page as Fn | undefined)?.();
  else {
    const contents = items(p, (i, content_id, quantity) => ({ content_id, quantity, price: i.price }));
    (pixel.track as Fn)(name, clean({ value: p.value, currency: p.currency, contents, content_type: "product", order_id: p.order_id }), { event_id: eventId });
  }
}
