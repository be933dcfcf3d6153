// A webhook: signed JSON to the site's own systems. No browser side, no ad consent needed.
import type { PlatformDefinition } from "../types";

export const webhook: PlatformDefinition = {
  label: "Webhook (signed JSON)",
  name: "Webhook",
  ids: [{ key: "url", label: "Webhook URL", pattern: /^https?:\/\/[^\s]+$/, hint: "https://… receives signed JSON" }],
  secrets: [{ key: "signingSecret", label: "HMAC signing secret", required: "every webhook request is signed with it (X-Tagpipe-Signature), so the receiver can refuse forgeries" }],
  consent: "none",
  testMode: "none",
  dedup: "server_only",
  tag: null,
  names: null,
};
