// GA4 Measurement Protocol: POST /mp/collect?measurement_id=…&api_secret=…, one client
// per request, ≤ 25 events, each with its own timestamp_micros. transaction_id only when
// there is an order id (GA4 counts an empty one as a real transaction). Test events go to
// the validation endpoint /debug/mp/collect, which never records them and lists what GA4
// would drop (a validation message dead-letters the event with it).
//
// /mp/collect answers 2xx whatever it then drops, so what GA4 would drop is refused here,
// with the reason: a name that breaks GA4's rules or is reserved, an event more than 72
// hours old (the furthest GA4 backdates). String values are cut to GA4's lengths (100
// characters; page_location 1000) rather than dropped.
// https://developers.google.com/analytics/devguides/collection/protocol/ga4/sending-events
import crypto from "node:crypto";
import { baseUrl, compact, items, num, type Adapter, type Job } from "../../forwarder/types";
import { ga4 as definition } from "./index";
import { ga4EventNameProblem } from "./names";

/** How far back GA4 takes an event. */
export const GA4_MAX_AGE_MS = 72 * 3600 * 1000;

/** A string value within GA4's length limit (100 characters unless said otherwise). */
function clip(v: unknown, max = 100): string | undefined {
  return typeof v === "string" && v ? v.slice(0, max) : undefined;
}

/**
 * GA4 needs a client id: the browser's, from the _ga cookie (the runtime reads it), so
 * the server copy joins the visitor's own user and session; else one given as a
 * parameter; else a stable one derived from the visitor.
 */
function clientId(job: Job): string {
  if (job.event.userData.ga_client_id) return job.event.userData.ga_client_id;
  const explicit = job.event.params.client_id;
  if (typeof explicit === "string" && explicit) return explicit;
  const seed = job.event.userData.external_id ?? job.event.userData.em ?? `${job.event.userData.client_ip_address ?? ""}|${job.event.userData.client_user_agent ?? ""}|${job.event.eventId}`;
  const h = crypto.createHash("sha256").update(seed).digest();
  return `${h.readUInt32BE(0)}.${h.readUInt32BE(4)}`;
}

export const ga4: Adapter = {
  platform: "ga4",
  label: "GA4",
  maxBatch: 25,
  maxAgeMs: GA4_MAX_AGE_MS,
  groupKey: clientId,
  refuse(job) {
    const nameProblem = ga4EventNameProblem(job.eventName);
    if (nameProblem) return `${nameProblem}: GA4 would drop it`;
    return null;
  },
  build(jobs, secrets) {
    const measurementId = jobs[0].target.ids.measurementId;
    if (!measurementId) return { error: "the destination has no measurement id" };
    if (!secrets.apiSecret) return { error: "no Measurement Protocol API secret is set for this destination" };
    const u = jobs[0].event.userData;
    const path = jobs[0].target.test ? "/debug/mp/collect" : "/mp/collect";
    const query = new URLSearchParams({ measurement_id: measurementId, api_secret: secrets.apiSecret });
    const body = compact({
      client_id: clientId(jobs[0]),
      user_data: compact({
        sha256_email_address: u.em_google || u.em ? [(u.em_google ?? u.em)!] : undefined,
        sha256_phone_number: u.ph_e164 ? [u.ph_e164] : undefined,
        address: u.fn || u.ln ? [compact({ sha256_first_name: u.fn, sha256_last_name: u.ln })] : undefined,
      }),
      events: jobs.map(({ eventName, event }) => {
        const p = event.params;
        const list = items(p).map((i) => compact({ item_id: clip(i.id), quantity: i.quantity, price: i.price }));
        return {
          name: eventName,
          // Each event its own time: a batch holds up to 25 events of one client, from different moments.
          timestamp_micros: event.eventTime.getTime() * 1000,
          params: compact({
            value: num(p.value),
            currency: typeof p.currency === "string" ? p.currency : undefined,
            transaction_id: clip(event.orderId),
            items: list.length ? list : undefined,
            search_term: clip(p.search_string),
            event_id: clip(event.eventId),
            // The browser's session (the _ga_<container> cookie): the event joins it instead of starting none.
            session_id: event.userData.ga_session_id,
            page_location: clip(event.context.url, 1000),
            engagement_time_msec: 1,
          }),
        };
      }),
    });
    return {
      url: `${baseUrl(definition)}${path}?${query}`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    };
  },
  outcome(status, body) {
    if (status === 429 || status >= 500) return "retry";
    if (status < 200 || status >= 300) return "fail";
    // Only the validation endpoint answers with a body: what it lists, GA4 would have dropped.
    try {
      const messages = (JSON.parse(body) as { validationMessages?: unknown[] }).validationMessages;
      if (Array.isArray(messages) && messages.length) return "fail";
    } catch {
      // /mp/collect answers 204 without a body
    }
    return "ok";
  },
};
