// GA4's own identifiers, read from its first-party cookies when a beacon leaves.
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
