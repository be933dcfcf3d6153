// Meta Conversions API: POST /{api-version}/{pixel-id}/events, data[] ≤ 1000.
// https://developers.facebook.com/docs/marketing-api/conversions-api
import { baseUrl, compact, contentIds, items, num, type Adapter } from "../../forwarder/types";
import { userData } from "../meta-shape";
import { meta as definition } from "./index";

/** Meta's customer information parameters: those it takes hashed (as lists), and those as they are. */
const HASHED = ["em", "ph", "fn", "ln", "ct", "st", "zp", "country", "db", "ge", "external_id"] as const;
const PLAIN = ["client_ip_address", "client_user_agent", "fbp", "fbc"] as const;
/** Meta refuses the whole request when one event carries no customer information parameter. */
const CUSTOMER_INFORMATION = [...HASHED, ...PLAIN];

/**
 * Graph API errors that say "wait and retry" whatever the HTTP status (throttling often
 * comes as a 400): 1 unknown, 2 service, 4 app rate limit, 17 user rate limit, 32 page
 * rate limit, 341 application limit, 613 call rate limit; and any error marked transient.
 */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 613]);

/** Parameters this adapter maps itself (or that are no custom property: GA4's items, the GA client id). */
const MAPPED = new Set(["value", "currency", "content_ids", "content_type", "contents", "items", "order_id", "num_items", "search_string", "client_id"]);

/** The event's other parameters, as they are: Meta takes custom properties in custom_data. */
function custom(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in p) if (!MAPPED.has(key) && p[key] !== undefined && p[key] !== null) out[key] = p[key];
  return out;
}

export const meta: Adapter = {
  platform: "meta",
  label: "Meta",
  maxBatch: 1000,
  // "event_time … can be up to 7 days before you send an event to Meta."
  maxAgeMs: 7 * 24 * 3600 * 1000,
  refuse(job) {
    const u = job.event.userData;
    return CUSTOMER_INFORMATION.some((k) => u[k]) ? null : "Meta needs at least one customer information parameter (email, phone, external_id, fbp/fbc, IP address or user agent); the event has none";
  },
  build(jobs, secrets) {
    const pixelId = jobs[0].target.ids.pixelId;
    if (!pixelId) return { error: "the destination has no pixel id" };
    if (!secrets.accessToken) return { error: "no Conversions API access token is set for this destination" };
    const version = process.env.TAGPIPE_META_API_VERSION || "v26.0";
    const testCode = jobs[0].target.test ? jobs[0].target.testEventCode : undefined;
    const data = jobs.map(({ eventName, event, target }) => {
      const p = event.params;
      const contents = items(p).map((i) => compact({ id: i.id, quantity: i.quantity, item_price: i.price }));
      const ids = contentIds(p);
      return compact({
        event_name: eventName,
        event_time: Math.floor(event.eventTime.getTime() / 1000),
        event_id: event.eventId,
        // A browser's event happened on the website; a backend's is what the destination says it is.
        action_source: event.source === "server" ? (target.ids.actionSource || "website") : "website",
        event_source_url: event.context.url,
        user_data: userData(event.userData, HASHED, PLAIN),
        custom_data: compact({
          // Properties the mapping adds beyond the standard ones go as Meta's custom properties.
          ...custom(p),
          value: num(p.value),
          currency: typeof p.currency === "string" ? p.currency : undefined,
          content_ids: ids,
          content_type: typeof p.content_type === "string" ? p.content_type : ids ? "product" : undefined,
          contents: contents.length ? contents : undefined,
          order_id: event.orderId ?? undefined,
          num_items: num(p.num_items),
          search_string: typeof p.search_string === "string" ? p.search_string : undefined,
        }),
      });
    });
    return {
      url: `${baseUrl(definition)}/${version}/${encodeURIComponent(pixelId)}/events`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(compact({ data, access_token: secrets.accessToken, test_event_code: testCode })),
    };
  },
  outcome(status, body) {
    if (status === 429 || status >= 500) return "retry";
    let error: { code?: number; is_transient?: boolean } | undefined;
    try {
      error = (JSON.parse(body) as { error?: { code?: number; is_transient?: boolean } } | null)?.error;
    } catch {
      // not Graph API JSON: an ordinary 4xx, or a 2xx whose body says nothing more
    }
    // A 2xx carrying an error object (a proxy or a batch endpoint answering for Graph) took nothing.
    if (status >= 200 && status < 300 && !error) return "ok";
    if (error?.is_transient === true || (error?.code !== undefined && TRANSIENT_CODES.has(error.code))) return "retry";
    return "fail";
  },
};
