// Pinterest: the Pinterest tag (pintrk) in the browser and the Conversions API on the
// server (POST /v5/ad_accounts/{ad_account_id}/events, bearer token), merged by Pinterest
// on event_id. https://developers.pinterest.com/docs/conversions/conversion-management/
import type { PlatformDefinition } from "../types";

/** The event names the Conversions API takes (anything else goes as "custom"). */
export const PINTEREST_EVENTS = ["add_payment_info", "add_to_cart", "add_to_wishlist", "checkout", "custom", "lead", "page_visit", "search", "signup", "view_category", "watch_video"];

export const pinterest: PlatformDefinition = {
  label: "Pinterest tag + Conversions API",
  name: "Pinterest",
  ids: [
    { key: "tagId", label: "Tag ID", pattern: /^\d{10,20}$/, hint: "digits, from Pinterest Ads Manager → Conversions" },
    { key: "adAccountId", label: "Ad account ID", pattern: /^\d{6,20}$/, hint: "digits: the ad account the tag belongs to" },
  ],
  secrets: [{ key: "accessToken", label: "Conversions API access token" }],
  consent: "ads",
  testMode: "test_flag",
  dedup: "event_id",
  tag: { idKey: "tagId" },
  names: {
    presets: {
      purchase: "checkout", add_to_cart: "add_to_cart", begin_checkout: "custom", add_payment_info: "add_payment_info", view_item: "page_visit",
      search: "search", sign_up: "signup", lead: "lead", subscribe: "custom", start_trial: "custom", contact: "lead", page_view: "page_visit",
    },
    max: 40,
    problem: (name) => (PINTEREST_EVENTS.includes(name) ? null : `"${name}" is not a Pinterest event (${PINTEREST_EVENTS.join(", ")})`),
  },
  baseUrl: { env: "TAGPIPE_PINTEREST_BASE_URL", fallback: "https://api.pinterest.com" },
};
