// TikTok Events API 2.0: POST /open_api/v1.3/event/track/ with the Access-Token header,
// event_source "web", data[] of { event, event_time, event_id, user, page, properties }.
// It answers HTTP 200 with { code: 0 } on success and a non-zero code on errors.
import { baseUrl, compact, contentIds, items, num, type Adapter } from "../../forwarder/types";
import { tiktok as definition } from "./index";

const RETRYABLE_CODES = new Set([40100, 50000, 50002, 51021]);

export const tiktok: Adapter = {
  platform: "tiktok",
  label: "TikTok",
  maxBatch: 1000,
  // Web events older than 7 days are not accepted for attribution.
  maxAgeMs: 7 * 24 * 3600 * 1000,
  build(jobs, secrets) {
    const pixelCode = jobs[0].target.ids.pixelCode;
    if (!pixelCode) return { error: "the destination has no pixel code" };
    if (!secrets.accessToken) return { error: "no Events API access token is set for this destination" };
    const testCode = jobs[0].target.test ? jobs[0].target.testEventCode : undefined;
    const data = jobs.map(({ eventName, event }) => {
      const u = event.userData;
      const p = event.params;
      const contents = items(p).map((i) => compact({ content_id: i.id, quantity: i.quantity, price: i.price }));
      return compact({
        event: eventName,
        event_time: Math.floor(event.eventTime.getTime() / 1000),
        event_id: event.eventId,
        user: compact({
          email: u.em,
          phone: u.ph_e164,
          external_id: u.external_id,
          ip: u.client_ip_address,
          user_agent: u.client_user_agent,
          ttclid: u.ttclid,
          ttp: u.ttp,
        }),
        page: compact({ url: event.context.url, referrer: event.context.referrer }),
        properties: compact({
          value: num(p.value),
          currency: typeof p.currency === "string" ? p.currency : undefined,
          content_ids: contentIds(p),
          contents: contents.length ? contents : undefined,
          content_type: contentIds(p) ? "product" : undefined,
          order_id: event.orderId ?? undefined,
          query: typeof p.search_string === "string" ? p.search_string : undefined,
        }),
      });
    });
    return {
      url: `${baseUrl(definition)}/open_api/v1.3/event/track/`,
      headers: { "content-type": "application/json", "Access-Token": secrets.accessToken },
      body: JSON.stringify(compact({ event_source: "web", event_source_id: pixelCode, test_event_code: testCode, data })),
    };
  },
  outcome(status, body) {
    if (status === 429 || status >= 500) return "retry";
    if (status >= 400) return "fail";
    try {
      const code = (JSON.parse(body) as { code?: number }).code;
      if (code === 0 || code === undefined) return "ok";
      return RETRYABLE_CODES.has(code) ? "retry" : "fail";
    } catch {
      return "retry";
    }
  },
};
