// Meta: the Pixel (fbq) in the browser and the Conversions API on the server, merged by
// Meta on event_id (the pixel's eventID).
import type { PlatformDefinition } from "../types";

export const META_STANDARD_EVENTS = [
  "Purchase", "AddToCart", "InitiateCheckout", "AddPaymentInfo", "ViewContent", "Search", "CompleteRegistration", "Lead", "Subscribe", "StartTrial",
  "Contact", "PageView", "AddToWishlist", "CustomizeProduct", "Donate", "FindLocation", "Schedule", "SubmitApplication",
];

export const meta: PlatformDefinition = {
  label: "Meta Pixel + Conversions API",
  name: "Meta",
  ids: [
    { key: "pixelId", label: "Pixel ID", pattern: /^\d{5,20}$/, hint: "digits, from Events Manager" },
    {
      key: "actionSource",
      label: "Where backend events happen",
      pattern: /^(website|app|email|phone_call|chat|physical_store|system_generated|business_messaging|other)$/,
      hint: "Meta's action_source for events your backend sends: website (the default), physical_store, phone_call, app…",
      optional: true,
    },
  ],
  secrets: [{ key: "accessToken", label: "Conversions API access token" }],
  consent: "ads",
  testMode: "test_event_code",
  dedup: "event_id",
  tag: { idKey: "pixelId" },
  names: {
    presets: {
      purchase: "Purchase", add_to_cart: "AddToCart", begin_checkout: "InitiateCheckout", add_payment_info: "AddPaymentInfo", view_item: "ViewContent",
      search: "Search", sign_up: "CompleteRegistration", lead: "Lead", subscribe: "Subscribe", start_trial: "StartTrial", contact: "Contact", page_view: "PageView",
    },
    max: 50,
  },
  baseUrl: { env: "TAGPIPE_META_BASE_URL", fallback: "https://graph.facebook.com" },
};
