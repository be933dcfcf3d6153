// Snapchat's tag in the container: snaptr, given the event_id as client_dedup_id (Snap
// merges the pixel's copy and the Conversions API's event_id by it). Bundled only into
// containers with a Snapchat destination (runtime/vendors.ts, TAGPIPE_SNAPCHAT).
import type { RuntimeDestination } from "../../compiler/runtime-config";
import { loadScript } from "../../../runtime/load";
import { clean, once, type Dict, type Fn } from "../../../runtime/util";

/** Snap's queue stub, as its snippet defines it: calls queue until scevent.min.js installs handleRequest. */
function stub(w: Dict): Fn {
  if (typeof w.snaptr === "function") return w.snaptr as Fn;
  const s = function (...args: unknown[]) {
    if (s.handleRequest) (s.handleRequest as Fn)(...args);
    else (s.queue as unknown[]).push(args);
  } as Fn;
  s.queue = [];
  w.snaptr = s;
  loadScript("https://sc-static.net/scevent.min.js");
  return s;
}

export function fireSnapchat([, , , id]: RuntimeDestination, name: string, _at: number, eventId: string, p: Dict): void {
  const snaptr = stub(window as unknown as Dict);
  once(`s${id}`, () => snaptr("init", id));
  const ids = p.content_ids;
  snaptr("track", name, clean({ price: p.value, currency: p.currency, transaction_id: p.order_id, item_ids: ids, client_dedup_id: eventId }));
}
