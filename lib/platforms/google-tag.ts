// Google's tag (gtag.js), shared by the GA4 and Google Ads tags in the container. Whether
// it ran is what the beacon reports (`fired`): GA4 and Google Ads cannot merge a tag's
// and a server's copy, so the server fills in only where it did not
// (lib/platforms/delivery-mode.ts).
import { loadScript } from "../../runtime/load";
import { once, type Dict, type Fn } from "../../runtime/util";

const w = window as unknown as Dict;

/**
 * gtag.js as this runtime loaded it: 0 loading, 1 loaded, 2 failed (an ad blocker);
 * undefined when the page brought its own gtag.
 */
let gtagJs: number | undefined;

/** Whether Google's tag can have sent what gtag() was given: its script ran (the page's own counts when Google's globals exist). */
export const googleLoaded = () => (gtagJs === undefined ? !!(w.google_tag_data || w.google_tag_manager) : gtagJs === 1);
/** Whether gtag.js is still on its way: the beacon waits a little for the answer. */
export const googleLoading = () => gtagJs === 0;

/** gtag(), defined and loaded as Google's snippet does, and configured once for `id`. */
export function gtag(id: string): Fn {
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
  const g = w.gtag as Fn;
  once(`g${id}`, () => g("config", id, { send_page_view: false }));
  return g;
}
