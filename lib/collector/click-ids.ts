// What the runtime reads from first-party cookies arrives raw (runtime/google-ids.ts keeps
// the container small); the collector makes the platforms' identifiers of it. Pure.
//   ga_client_id   the _ga cookie, GA1.<n>.<client id>           → the client id
//   ga_session_id  _ga_<container>, GS1.1.<session>.… or GS2.1.s<session>$… → the session id
//   fbclid         <ms seen>.<fbclid>                            → Meta's fbc, fb.1.<ms>.<fbclid>, when no _fbc came
//   gclid, gbraid, wbraid  <ms seen>.<id>                        → the most recently seen one alone (Google takes one)
// Values without those shapes (a backend's plain gclid or client id) are taken as they are.
import type { CollectedEventInput } from "./schema";

type Raw = NonNullable<CollectedEventInput["user_data"]>;

export function gaClientId(v: string): string {
  return /^GA\d+\.\d+\.(\d+\.\d+)$/.exec(v)?.[1] ?? v;
}

export function gaSessionId(v: string): string {
  return /^GS\d+\.\d+\.s?(\d+)/.exec(v)?.[1] ?? v;
}

const SEEN = /^(\d{13})\.(.+)$/;

/** The click ids to send: fbc, and one of gclid, gbraid, wbraid. */
export function clickIdsOf(raw: Raw): { fbc?: string; gclid?: string; gbraid?: string; wbraid?: string } {
  const out: { fbc?: string; gclid?: string; gbraid?: string; wbraid?: string } = {};
  if (raw.fbc) out.fbc = raw.fbc;
  else if (raw.fbclid) {
    const m = SEEN.exec(raw.fbclid);
    out.fbc = m ? `fb.1.${m[1]}.${m[2]}` : `fb.1.${Date.now()}.${raw.fbclid}`;
  }
  let newest = -1;
  for (const kind of ["gclid", "gbraid", "wbraid"] as const) {
    const v = raw[kind];
    if (!v) continue;
    const m = SEEN.exec(v);
    const seen = m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
    if (seen > newest) {
      newest = seen;
      delete out.gclid;
      delete out.gbraid;
      delete out.wbraid;
      out[kind] = m ? m[2] : v;
    }
  }
  return out;
}
