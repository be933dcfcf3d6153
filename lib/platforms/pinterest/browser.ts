// Pinterest's tag in the container: pintrk, given the event_id (Pinterest merges the
// tag's copy and the Conversions API's by it). Bundled only into containers with a
// Pinterest destination (runtime/vendors.ts, TAGPIPE_PINTEREST).
import type { RuntimeDestination } from "../../compiler/runtime-config";
import { loadScript } from "../../../runtime/load";
import { clean, items, once, type Dict, type Fn } from "../../../runtime/util";

/** Pinterest's queue stub, as its snippet defines it: calls queue until core.js arrives. */
function stub(w: Dict): Fn {
  if (typeof w.pintrk === "function") return w.pintrk as Fn;
  const p = function (...args: unknown[]) {
    (p.queue as unknown[]).push(args);
  } as Fn;
  Object.assign(p, { queue: [], version: "3.0" });
  w.pintrk = p;
  loadScript("https://s.pinimg.com/ct/core.js");
  return p;
}

export function firePinterest([, , , id]: RuntimeDestination, name: string, _at: number, eventId: string, p: Dict, pageView: boolean): void {
  const pintrk = stub(window as unknown as Dict);
  once(`p${id}`, () => pintrk("load", id));
  if (pageView) return pintrk("page", { event_id: eventId });
  const line_items = items(p, (i, product_id, product_quantity) => clean({ product_id, product_quantity, product_price: i.price }));
  pintrk("track", name, clean({ event_id: eventId, value: p.value, currency: p.currency, order_id: p.order_id, line_items }));
}
