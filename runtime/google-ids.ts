// Identifiers read when a beacon leaves (off the page's boot path): GA4's own from its
// first-party cookies, and the ad click ids of the landing page, kept in first-party
// cookies for the pages after it (where a blocked vendor tag would have kept them).
import { Platform, type RuntimeDestination } from "../lib/compiler/runtime-config";
import { cookie, type Dict } from "./util";

/**
 * GA4's own ids from its cookies, for the server's Measurement Protocol copy to join the
 * browser's user and session: the client id from _ga (GA1.1.<random>.<seconds>), the
 * session id from _ga_<container> in either format in use (GS1.1.<session>.<n>.… and
 * GS2.1.s<session>$o<n>$g…$t…).
 */
export function gaIds(jar: string, destinations: RuntimeDestination[]): Dict {
  let session: string | undefined;
  for (const d of destinations) if (d[0] === Platform.ga4) session ||= cookie(`_ga_${d[3].slice(2)}`, jar)?.split(".")[2]?.replace(/^s/, "").split("$")[0];
  return { ga_client_id: cookie("_ga", jar)?.split(".").slice(2).join(".") || undefined, ga_session_id: session || undefined };
}

const DAYS_90 = 7776000;
const keep = (name: string, value: string) => (document.cookie = `${name}=${value};max-age=${DAYS_90};path=/;SameSite=Lax`);

/**
 * Click ids: Meta's fbc built from an fbclid in the URL when no _fbc cookie exists (Meta's
 * format fb.1.<ms>.<fbclid>, kept in _fbc as Meta's pixel would); Google's gclid, gbraid
 * or wbraid from the URL (kept in _tp_gc as <kind>.<value>), else from that cookie, else
 * the gclid of Google's own _gcl_aw cookie (GCL.<seconds>.<gclid>).
 */
export function clickIds(jar: string, fbc: string | undefined): Dict {
  const q = new URLSearchParams(location.search);
  const out: Dict = {};
  if (TAGPIPE_META && !fbc && q.get("fbclid")) keep("_fbc", (out.fbc = `fb.1.${Date.now()}.${q.get("fbclid")}`));
  if (TAGPIPE_GOOGLE_ADS) {
    let kind = ["gclid", "gbraid", "wbraid"].find((k) => q.get(k));
    let id = kind && q.get(kind);
    if (id) keep("_tp_gc", `${kind}.${id}`);
    else {
      const kept = cookie("_tp_gc", jar);
      const dot = kept ? kept.indexOf(".") : -1;
      [kind, id] = dot > 0 ? [kept!.slice(0, dot), kept!.slice(dot + 1)] : ["gclid", cookie("_gcl_aw", jar)?.split(".")[2]];
    }
    if (kind && id) out[kind] = id;
  }
  return out;
}
