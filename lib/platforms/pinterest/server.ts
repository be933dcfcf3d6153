// Pinterest Conversions API: POST /v5/ad_accounts/{ad_account_id}/events with a bearer
// token, data[] ≤ 1000 of { event_name, action_source, event_time (seconds), event_id,
// event_source_url, user_data (hashed lists), custom_data }. Test events go with
// ?test=true (validated, never recorded). It answers 200 with a verdict per event
// ({ events: [{ status: "processed" | "failed", error_message }] }); a failed one is
// dead-lettered with Pinterest's message, the rest are delivered.
// https://developers.pinterest.com/docs/api/v5/events-create
import { baseUrl, compact, type Adapter, type Verdict } from "../../forwarder/types";
import { customData, userData } from "../meta-shape";
import { pinterest as definition } from "./index";

export const pinterest: Adapter = {
  platform: "pinterest",
  label: "Pinterest",
  maxBatch: 1000,
  maxAgeMs: 7 * 24 * 3600 * 1000,
  refuse(job) {
    const u = job.event.userData;
    // "At least one of em, hashed_maids or the pair client_ip_address and client_user_agent."
    return u.em || (u.client_ip_address && u.client_user_agent) ? null : "Pinterest needs a hashed email, or the visitor's IP address and user agent together; the event has neither";
  },
  build(jobs, secrets) {
    const account = jobs[0].target.ids.adAccountId;
    if (!account) return { error: "the destination has no ad account id" };
    if (!secrets.accessToken) return { error: "no Conversions API access token is set for this destination" };
    const data = jobs.map(({ eventName, event }) => {
      return compact({
        event_name: eventName,
        // "web": Pinterest deduplicates web events only (offline ones never).
        action_source: "web",
        event_time: Math.floor(event.eventTime.getTime() / 1000),
        event_id: event.eventId,
        event_source_url: event.context.url,
        user_data: userData(event.userData),
        // Pinterest takes the value and prices as strings.
        custom_data: customData(event, true),
      });
    });
    return {
      url: `${baseUrl(definition)}/v5/ad_accounts/${encodeURIComponent(account)}/events${jobs[0].target.test ? "?test=true" : ""}`,
      headers: { "content-type": "application/json", authorization: `Bearer ${secrets.accessToken}` },
      body: JSON.stringify({ data }),
    };
  },
  outcome(status, body, count = 1) {
    if (status === 429 || status >= 500) return "retry";
    if (status < 200 || status >= 300) return "fail";
    try {
      const events = (JSON.parse(body) as { events?: { status?: string; error_message?: string | null }[] }).events;
      if (!Array.isArray(events) || !events.some((e) => e?.status === "failed")) return "ok";
      return Array.from({ length: count }, (_, i): Verdict =>
        events[i]?.status === "failed" ? { outcome: "fail", reason: `Pinterest refused the event: ${events[i].error_message ?? "no message"}` } : { outcome: "ok" },
      );
    } catch {
      return "ok";
    }
  },
};
