// Meta's tag in the container: fbq, given the event_id as eventID (Meta merges the
// pixel's copy and the Conversions API's by it). Bundled only into containers with a
// Meta destination (runtime/vendors.ts, TAGPIPE_META).
import type { RuntimeDestination } from "../../compiler/runtime-config";
import { loadScript } from "../../../runtime/load";
import { clean, items, once, type Dict, type Fn } from "../../../runtime/util";

/**
 * Meta's queue stub, as its own snippet defines it: calls queue until fbevents.js arrives
 * and installs callMethod, which then receives every call.
 */
function stub(w: Dict): Fn {
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

export function fireMeta([, , , id, extra]: RuntimeDestination, name: string, at: number, eventId: string, p: Dict): void {
  const fbq = stub(window as unknown as Dict);
  once(`m${id}`, () => fbq("init", id));
  const { value, currency, order_id } = p;
  const contents = items(p, (_, id, quantity) => ({ id, quantity }));
  const data = { value, currency, content_ids: p.content_ids, content_type: p.content_ids ? "product" : undefined, contents, num_items: p.num_items, order_id };
  // trackSingle: with two Meta pixels on a page, each gets the event once, not twice.
  fbq(TAGPIPE_META_CUSTOM && (extra as number[] | undefined)?.includes(at) ? "trackSingleCustom" : "trackSingle", id, name, clean(data), { eventID: eventId });
}
