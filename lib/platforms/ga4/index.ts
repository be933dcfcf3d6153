// GA4: gtag.js in the browser and the Measurement Protocol on the server. GA4 does not
// merge the two, so a delivery mode decides who reports (lib/platforms/delivery-mode.ts);
// the server copy joins the browser's client and session through GA's own cookies.
import type { PlatformDefinition } from "../types";
import { ga4EventNameProblem } from "./names";

export const ga4: PlatformDefinition = {
  label: "Google Analytics 4",
  name: "GA4",
  ids: [{ key: "measurementId", label: "Measurement ID", pattern: /^G-[A-Z0-9]{4,20}$/, hint: "G-XXXXXXX" }],
  secrets: [{ key: "apiSecret", label: "Measurement Protocol API secret" }],
  consent: "ads",
  testMode: "validation",
  dedup: "fill_in",
  fillIn: { ref: (ids) => ids.measurementId ?? "", enhancesBrowserCopy: false },
  tag: { idKey: "measurementId" },
  names: {
    presets: {
      purchase: "purchase", add_to_cart: "add_to_cart", begin_checkout: "begin_checkout", add_payment_info: "add_payment_info", view_item: "view_item",
      search: "search", sign_up: "sign_up", lead: "generate_lead", subscribe: "subscribe", start_trial: "start_trial", contact: "contact", page_view: "page_view",
    },
    max: 40,
    pattern: /^[A-Za-z][A-Za-z0-9_]*$/,
    patternHint: "must be letters, digits and _ (GA4 rule)",
    problem: ga4EventNameProblem,
  },
  baseUrl: { env: "TAGPIPE_GA4_BASE_URL", fallback: "https://www.google-analytics.com" },
};
