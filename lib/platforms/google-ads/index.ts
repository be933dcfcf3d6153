// Google Ads: the conversion tag (gtag.js) in the browser and the Google Ads API on the
// server (click conversions, and enhancements of the tag's conversions). Google Ads does
// not merge a tag's and an upload's copy, so a delivery mode decides who reports
// (lib/platforms/delivery-mode.ts). The API is reached with OAuth: client id, client
// secret and refresh token are write-only secrets; access tokens are fetched and cached
// (./oauth.ts).
import type { PlatformDefinition } from "../types";

export const googleAds: PlatformDefinition = {
  label: "Google Ads conversion",
  name: "Google Ads",
  ids: [
    { key: "conversionId", label: "Conversion ID", pattern: /^AW-\d{6,15}$/, hint: "AW-123456789" },
    { key: "conversionLabel", label: "Conversion label", pattern: /^[A-Za-z0-9_-]{4,40}$/, hint: "from the conversion action's tag setup" },
    // The API knows neither of the tag's ids: uploads name the account and the conversion action by their numbers.
    { key: "customerId", label: "Customer ID", pattern: /^\d{3}-?\d{3}-?\d{4}$/, hint: "the Google Ads account that owns the conversion action, 123-456-7890" },
    { key: "conversionActionId", label: "Conversion action ID", pattern: /^\d{1,20}$/, hint: "digits: the ctId in the conversion action's URL in Google Ads" },
    {
      key: "loginCustomerId",
      label: "Manager account ID",
      pattern: /^\d{3}-?\d{3}-?\d{4}$/,
      hint: "only when the OAuth user reaches the account through a manager account (login-customer-id)",
      optional: true,
    },
  ],
  secrets: [
    { key: "developerToken", label: "Developer token" },
    { key: "clientId", label: "OAuth client ID" },
    { key: "clientSecret", label: "OAuth client secret" },
    { key: "refreshToken", label: "OAuth refresh token" },
  ],
  consent: "ads",
  consentFields: true,
  testMode: "none",
  dedup: "fill_in",
  fillIn: { ref: (ids) => `${ids.conversionId ?? ""}/${ids.conversionLabel ?? ""}`, enhancesBrowserCopy: true },
  tag: { idKey: "conversionId", extraKey: "conversionLabel" },
  names: { presets: { purchase: "purchase" }, max: 100 },
  baseUrl: { env: "TAGPIPE_GOOGLE_ADS_BASE_URL", fallback: "https://googleads.googleapis.com" },
};
