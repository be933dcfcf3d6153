// Snapchat Conversions API v3: POST /v3/{pixel_id}/events?access_token=…, data[] of
// { event_name, event_time (seconds), event_id, action_source "WEB", event_source_url,
// user_data (hashed lists), custom_data } — the same shape as Meta's. Snap takes events
// up to 37 days old. It answers 200 { status: "SUCCESS" }; errors carry status "FAILED"
// and a reason.
// https://developers.snap.com/api/marketing-api/Conversions-API/UsingTheAPI
import { baseUrl, compact, type Adapter } from "../../forwarder/types";
import { customData, userData } from "../meta-shape";
import { snapchat as definition } from "./index";

export const snapchat: Adapter = {
  platform: "snapchat",
  label: "Snapchat",
  maxBatch: 1000,
  maxAgeMs: 37 * 24 * 3600 * 1000,
  refuse(job) {
    const u = job.event.userData;
    return u.em || u.ph || (u.client_ip_address && u.client_user_agent) ? null : "Snapchat needs a hashed email or phone, or the visitor's IP address and user agent; the event has none";
  },
  build(jobs, secrets) {
    const pixelId = jobs[0].target.ids.pixelId;
    if (!pixelId) return { error: "the destination has no Snap Pixel ID" };
    if (!secrets.accessToken) return { error: "no Conversions API token is set for this destination" };
    const data = jobs.map(({ eventName, event }) => {
      return compact({
        event_name: eventName,
        event_time: Math.floor(event.eventTime.getTime() / 1000),
        // The pixel's client_dedup_id: Snap counts the two copies once.
        event_id: event.eventId,
        action_source: "WEB",
        event_source_url: event.context.url,
        user_data: userData(event.userData),
        custom_data: customData(event),
      });
    });
    return {
      url: `${baseUrl(definition)}/v3/${encodeURIComponent(pixelId)}/events?access_token=${encodeURIComponent(secrets.accessToken)}`,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ data }),
    };
  },
  outcome(status, body) {
    if (status === 429 || status >= 500) return "retry";
    if (status < 200 || status >= 300) return "fail";
    try {
      const answer = JSON.parse(body) as { status?: string };
      return answer.status === undefined || answer.status === "SUCCESS" ? "ok" : "fail";
    } catch {
      return "ok";
    }
  },
};
