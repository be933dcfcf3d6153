// Snapchat: the Snap Pixel (snaptr) in the browser and the Conversions API v3 on the
// server (POST /v3/{pixel_id}/events?access_token=…), merged by Snap on the pixel's
// client_dedup_id and the API's event_id. https://developers.snap.com/api/marketing-api/Conversions-API
import type { PlatformDefinition } from "../types";

/** Snap's standard event names (upper snake case). */
export const SNAP_EVENTS = [
  "PURCHASE", "ADD_CART", "START_CHECKOUT", "ADD_BILLING", "VIEW_CONTENT", "SEARCH", "SIGN_UP", "PAGE_VIEW", "SUBSCRIBE", "START_TRIAL", "SAVE", "LIST_VIEW",
  "ADD_TO_WISHLIST", "LOGIN", "SHARE", "RESERVE", "INVITE", "CUSTOM_EVENT_1", "CUSTOM_EVENT_2", "CUSTOM_EVENT_3", "CUSTOM_EVENT_4", "CUSTOM_EVENT_5",
];

export const snapchat: PlatformDefinition = {
  label: "Snap Pixel + Conversions API",
  name: "Snapchat",
  ids: [{ key: "pixelId", label: "Snap Pixel ID", pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, hint: "a UUID, from Snap Events Manager" }],
  secrets: [{ key: "accessToken", label: "Conversions API token" }],
  consent: "ads",
  testMode: "none",
  dedup: "event_id",
  tag: { idKey: "pixelId" },
  names: {
    presets: {
      purchase: "PURCHASE", add_to_cart: "ADD_CART", begin_checkout: "START_CHECKOUT", add_payment_info: "ADD_BILLING", view_item: "VIEW_CONTENT", search: "SEARCH",
      sign_up: "SIGN_UP", lead: "CUSTOM_EVENT_1", subscribe: "SUBSCRIBE", start_trial: "START_TRIAL", contact: "CUSTOM_EVENT_2", page_view: "PAGE_VIEW",
    },
    max: 40,
    problem: (name) => (SNAP_EVENTS.includes(name) ? null : `"${name}" is not a Snap event (${SNAP_EVENTS.slice(0, 8).join(", ")}…)`),
  },
  baseUrl: { env: "TAGPIPE_SNAPCHAT_BASE_URL", fallback: "https://tr.snapchat.com" },
};
