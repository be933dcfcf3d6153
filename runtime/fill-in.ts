// GA4 and Google Ads count a tag's hit and a server copy twice, so the collector sends
// their server copy only where the tag did not run (lib/platforms/delivery-mode.ts): each
// event says in the beacon which Google tags ran (`fired`). When its batch leaves before
// that is known — the tags script or gtag.js still loading at a `tagpipe.flush()` or a
// hidden tab — the event says which are `pending`: the collector holds their server copy
// a while (TAGPIPE_FILL_IN_PENDING_MS) for the follow-up report this module makes once
// the outcome is known (`event_id`, `name`, `fired`); without one (the page closed), the
// server copy goes at that deadline.
import { loadedTags } from "./lazy-tags";
import type { Dict } from "./util";

/** The Google tags an event is for (at dispatch), and those called for it (once the tags ran). */
export const google = new WeakMap<object, string[]>();
export const called = new WeakMap<object, string[]>();
/** Events that left with `pending`. */
let unsure: Dict[] = [];

// Known once the tags ran for it (or could not load) and gtag.js is not on its way.
const known = (e: Dict) => called.has(e) && !loadedTags()?.loading();
/** The Google tags that reported it: those called, if Google's tag ran. */
const ran = (e: Dict) => (loadedTags()?.loaded() ? called.get(e)! : []);

/** Sets `fired` or `pending` on an event as its batch leaves. */
export function mark(e: Dict): void {
  const refs = google.get(e);
  if (!refs) return;
  if (!known(e)) {
    e.pending = refs;
    unsure.push(e);
  } else if (ran(e).length) e.fired = ran(e);
}

/** The follow-up reports of events that left with `pending` and whose outcome is now known. */
export function reports(): Dict[] {
  const out: Dict[] = [];
  unsure = unsure.filter((e) => !known(e) || !out.push({ event_id: e.event_id, name: e.name, fired: ran(e) }));
  return out;
}
