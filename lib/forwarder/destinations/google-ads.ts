// Google Ads enhanced conversions: POST /{version}/customers/{customer}:uploadClickConversions
// with the developer-token header and an OAuth bearer; each conversion carries its
// order_id and the hashed user identifiers.
import { baseUrl, compact, num, type Adapter } from "../types";

function adsTime(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "+00:00");
}

export const googleAds: Adapter = {
  platform: "google_ads",
  maxBatch: 2000,
  refuse(job) {
    const u = job.event.userData;
    return u.gclid || u.em || u.ph_e164 ? null : "Google Ads needs a gclid or a hashed email or phone to attribute the conversion; the event has none";
  },
  build(jobs, secrets) {
    const conversionId = jobs[0].target.ids.conversionId;
    const label = jobs[0].target.ids.conversionLabel;
    if (!conversionId || !label) return { error: "the destination needs its conversion id and label" };
    if (!secrets.developerToken || !secrets.oauthToken) return { error: "the developer token and OAuth token must both be set" };
    const customer = conversionId.replace(/\D/g, "");
    const version = process.env.TAGPIPE_GOOGLE_ADS_API_VERSION || "v17";
    const conversions = jobs.map(({ event }) => {
      const u = event.userData;
      const p = event.params;
      return compact({
        conversionAction: `customers/${customer}/conversionActions/${label}`,
        conversionDateTime: adsTime(event.eventTime),
        conversionValue: num(p.value),
        currencyCode: typeof p.currency === "string" ? p.currency : undefined,
        orderId: event.orderId ?? undefined,
        gclid: u.gclid,
        userIdentifiers: [...(u.em_google || u.em ? [{ hashedEmail: u.em_google ?? u.em }] : []), ...(u.ph_e164 ? [{ hashedPhoneNumber: u.ph_e164 }] : [])],
      });
    });
    return {
      url: `${baseUrl("TAGPIPE_GOOGLE_ADS_BASE_URL", "https://googleads.googleapis.com")}/${version}/customers/${customer}:uploadClickConversions`,
      headers: { "content-type": "application/json", "developer-token": secrets.developerToken, authorization: `Bearer ${secrets.oauthToken}` },
      body: JSON.stringify({ conversions, partialFailure: true }),
    };
  },
};
