// A generic webhook: JSON { events: [...] } with user data already hashed, signed with
// HMAC-SHA256 over "<timestamp>.<body>" in X-Tagpipe-Signature, so the receiver can check
// it came from us and is fresh. Always signed: a destination without its signing secret
// cannot be part of a version, and should the secret be removed later, its deliveries are
// dead-lettered with that reason rather than sent unsigned.
import crypto from "node:crypto";
import type { Adapter } from "../../forwarder/types";

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${crypto.createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

export const webhook: Adapter = {
  platform: "webhook",
  label: "The webhook",
  maxBatch: 500,
  guarded: true,
  build(jobs, secrets) {
    const url = jobs[0].target.ids.url;
    if (!url) return { error: "the destination has no URL" };
    if (!secrets.signingSecret) return { error: "no HMAC signing secret is set for this destination: webhooks are only sent signed" };
    const body = JSON.stringify({
      events: jobs.map(({ eventName, event, target }) => ({
        event_id: event.eventId,
        name: eventName,
        event_time: Math.floor(event.eventTime.getTime() / 1000),
        order_id: event.orderId,
        params: event.params,
        user_data: event.userData,
        page: event.context,
        source: event.source,
        test: target.test,
      })),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    return {
      url,
      headers: {
        "content-type": "application/json",
        "x-tagpipe-timestamp": timestamp,
        "x-tagpipe-signature": signWebhook(secrets.signingSecret, timestamp, body),
      },
      body,
    };
  },
};
