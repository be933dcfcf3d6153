// Identifiers read when a beacon leaves (off the page's boot path), sent as found: the
// collector parses them (lib/collector/click-ids.ts), so the container stays small.
//   GA4: the _ga cookie (GA1.1.<client id>) and the first GA4 destination's (or the
//        server-only one's, config.serverIds)
//        _ga_<container> cookie (GS1.1.<session id>.… or GS2.1.s<session id>$…).
//   Click ids of the landing page (fbclid; gclid, gbraid, wbraid), kept with the time
//        they were seen in first-party cookies (_tp_<name> = <ms>.<id>) for the pages
//        after it, where a blocked vendor tag would have kept them.
import { Platform, type RuntimeConfig, type RuntimeDestination } from "../lib/compiler/runtime-config";
import { cookie, setCookie, type Dict } from "./util";

export function gaIds(jar: string, destinations: RuntimeDestination[], server: RuntimeConfig[10]): Dict {
  const id = destinations.find((d) => d[0] === Platform.ga4)?.[3] || server?.[0];
  return { ga_client_id: cookie("_ga", jar), ga_session_id: id && cookie(`_ga_${id.slice(2)}`, jar) };
}

export function clickIds(jar: string): Dict {
  const q = new URLSearchParams(location.search);
  const out: Dict = {};
  for (const k of [...(TAGPIPE_META ? ["fbclid"] : []), ...(TAGPIPE_GOOGLE_CLICK_IDS ? ["gclid", "gbraid", "wbraid"] : [])]) {
    let v = q.get(k);
    if (v) setCookie(`_tp_${k}`, (v = `${Date.now()}.${v}`), 7776000);
    out[k] = v || cookie(`_tp_${k}`, jar);
  }
  return out;
}
