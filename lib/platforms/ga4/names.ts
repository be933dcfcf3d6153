// GA4's rules for event names (Measurement Protocol: events breaking them are dropped
// silently after a 2xx). Checked when a version is made (lib/versions/validate.ts), so the
// marketer sees the problem beside the destination, and again before sending (server.ts).
// https://developers.google.com/analytics/devguides/collection/protocol/ga4/reference#reserved_names

/** Letters, digits and underscores, starting with a letter, ≤ 40 characters. */
const EVENT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
/** Names GA4 reserves for its own events; these prefixes too. */
const RESERVED_NAMES = new Set([
  "ad_activeview", "ad_click", "ad_exposure", "ad_impression", "ad_query", "ad_reward", "adunit_exposure", "app_background",
  "app_clear_data", "app_exception", "app_remove", "app_store_refund", "app_store_subscription_cancel",
  "app_store_subscription_convert", "app_store_subscription_renew", "app_update", "app_upgrade", "dynamic_link_app_open",
  "dynamic_link_app_update", "dynamic_link_first_open", "error", "firebase_campaign", "first_open", "first_visit",
  "in_app_purchase", "notification_dismiss", "notification_foreground", "notification_open", "notification_receive",
  "os_update", "session_start", "session_start_with_rollout", "user_engagement",
]);
const RESERVED_PREFIXES = ["_", "firebase_", "ga_", "google_", "gtag."];

/** Why GA4 would drop an event of this name, or null. */
export function ga4EventNameProblem(name: string): string | null {
  if (!EVENT_NAME.test(name)) return `"${name}" is not a GA4 event name (letters, digits and _, starting with a letter, at most 40)`;
  if (RESERVED_NAMES.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p))) return `"${name}" is an event name GA4 reserves`;
  return null;
}
