// TikTok: the Pixel (ttq) in the browser and the Events API on the server, merged by
// TikTok on event_id.
import type { PlatformDefinition } from "../types";

export const tiktok: PlatformDefinition = {
  label: "TikTok Pixel + Events API",
  name: "TikTok",
  ids: [{ key: "pixelCode", label: "Pixel code", pattern: /^[A-Z0-9]{10,30}$/, hint: "upper-case letters and digits, from TikTok Events Manager" }],
  secrets: [{ key: "accessToken", label: "Events API access token" }],
  consent: "ads",
  testMode: "test_event_code",
  dedup: "event_id",
  tag: { idKey: "pixelCode" },
  names: {
    // TikTok counts page views with ttq.page(), not a named event.
    presets: {
      purchase: "CompletePayment", add_to_cart: "AddToCart", begin_checkout: "InitiateCheckout", add_payment_info: "AddPaymentInfo", view_item: "ViewContent",
      search: "Search", sign_up: "CompleteRegistration", lead: "SubmitForm", subscribe: "Subscribe", contact: "Contact",
    },
    max: 50,
  },
  baseUrl: { env: "TAGPIPE_TIKTOK_BASE_URL", fallback: "https://business-api.tiktok.com" },
};
