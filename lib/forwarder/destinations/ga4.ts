// GA4 Measurement Protocol: POST /mp/collect?measurement_id=…&api_secret=…, one client
// per request, ≤ 25 events. transaction_id only when there is an order id (GA4 counts an
// empty one as a real transaction). Test events go to the validation endpoint
// /debug/mp/collect, which never records them.
import crypto from "node:crypto";
import { baseUrl, compact, items, num, type Adapter, type Job } from "../types";

/** GA4 needs a client id; without the _ga cookie's, derive a stable one from the visitor. */
function clientId(job: Job): string {
  const explicit = job.event.params.client_id;
  if (typeof explicit === "string" && explicit) return explicit;
  const seed = job.event.userData.external_id ?? job.event.userData.em ?? `${job.event.userData.client_ip_address ?? ""}|${job.event.userData.client_user_agent ?? ""}|${job.event.eventId}`;
  const h = crypto.createHash("sha256").update(seed).digest();
  return `${h.readUInt32BE(0)}.${h.readUInt32BE(4)}`;
}

export const ga4: Adapter = {
  platform: "ga4",
  maxBatch: 25,
  groupKey: clientId,
  build(jobs, secrets) {
    const measurementId = jobs[0].target.ids.measurementId;
    if (!measurementId) return { error: "the destination has no measurement id" };
    if (!secrets.apiSecret) return { error: "no Measurement Protocol API secret is set for this destination" };
    const u = jobs[0].event.userData;
    const path = jobs[0].target.test ? "/debug/mp/collect" : "/mp/collect";
    const query = new URLSearchParams({ measurement_id: measurementId, api_secret: secrets.apiSecret });
    const body = compact({
      client_id: clientId(jobs[0]),
      timestamp_micros: jobs[0].event.eventTime.getTime() * 1000,
      user_data: compact({
        sha256_email_address: u.em_google || u.em ? [(u.em_google ?? u.em)!] : undefined,
        sha256_phone_number: u.ph_e164 ? [u.ph_e164] : undefined,
        address: u.fn || u.ln ? [compact({ sha256_first_name: u.fn, sha256_last_name: u.ln })] : undefined,
      }),
      events: jobs.map(({ eventName, event }) => {
        const p = event.params;
        const list = items(p).map((i) => compact({ item_id: i.id, quantity: i.quantity, price: i.price }));
        return {
          name: eventName,
          params: compact({
            value: num(p.value),
            currency: typeof p.currency === "string" ? p.currency : undefined,
            transaction_id: event.orderId || undefined,
            items: list.length ? list : undefined,
            search_term: typeof p.search_string === "string" ? p.search_string : undefined,
            event_id: event.eventId,
            page_location: event.context.url,
            engagement_time_msec: 1,
          }),
        };
      }),
    });
    return {
      url: `${baseUrl("TAGPIPE_GA4_BASE_URL", "https://www.google-analytics.com")}${path}?${query}`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    };
  },
};
