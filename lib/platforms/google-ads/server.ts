// Google Ads enhanced conversions, the two documented ways, chosen per event:
//
// - A conversion the browser's Google Ads tag already reported (a browser or merged event
//   with an order id: the container sends it as the tag's transaction_id) is enhanced,
//   not uploaded again: POST /{version}/customers/{customer_id}:uploadConversionAdjustments
//   with adjustmentType ENHANCEMENT, the order id that finds the tag's conversion, the
//   hashed user identifiers (and the gclid and user agent when known). Uploading it as a
//   click conversion would meet the tag's own conversion under the same order id.
// - Any other conversion (sent by a backend, or without an order id) is uploaded:
//   POST /{version}/customers/{customer_id}:uploadClickConversions with its order id,
//   value, gclid and hashed user identifiers.
//
// Both carry the developer-token header, an OAuth bearer (./oauth.ts: fetched with the
// destination's refresh token, cached, renewed once on 401) and, for accounts reached
// through a manager account, login-customer-id; and name the conversion
// action as customers/{customer_id}/conversionActions/{conversion_action_id}: the API takes
// the account's customer ID and the action's numeric ID, not the tag's AW- ID and label.
//
// Both run with partialFailure: true (the methods require it), so an HTTP 200 may still
// refuse some conversions: `partialFailureError` lists each failed one by its index
// (errors[].location.fieldPathElements[{ fieldName: "conversions" or
// "conversion_adjustments", index }]) and its entry in `results` is empty. Those are
// retried when Google calls the error transient and dead-lettered with Google's reason
// otherwise; the rest of the batch is delivered.
// https://developers.google.com/google-ads/api/docs/conversions/upload-identifiers
// https://developers.google.com/google-ads/api/docs/best-practices/partial-failures
import type { HashedUserData } from "../../collector/hash";
import { baseUrl, compact, num, type Adapter, type Job, type Verdict } from "../../forwarder/types";
import { googleAds as definition } from "./index";
import { firedInBrowser } from "../delivery-mode";
import { googleAdsAuthorize } from "./oauth";

function adsTime(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "+00:00");
}

/**
 * Whether the browser's tag reported this conversion already (the runtime said so in
 * its beacon, lib/platforms/delivery-mode.ts), under its order id: then it is enhanced,
 * not uploaded. The forwarder never sends one without an order id (it would count twice).
 */
export function enhances(job: Job): boolean {
  return firedInBrowser(job.target, job.event.context) && !!job.event.orderId;
}

/** The hashed email and phone, as Google's UserIdentifier list (Google's email hash first). */
function identifiers(u: HashedUserData, source?: "FIRST_PARTY") {
  const tag = source ? { userIdentifierSource: source } : {};
  return [...(u.em_google || u.em ? [{ hashedEmail: u.em_google ?? u.em, ...tag }] : []), ...(u.ph_e164 ? [{ hashedPhoneNumber: u.ph_e164, ...tag }] : [])];
}

/** The visitor's consent as Google's Consent message (ClickConversion.consent); absent: not said. */
function consentOf(c: Job["target"]["consent"]) {
  const v = (x?: string) => (x === "granted" ? "GRANTED" : x === "denied" ? "DENIED" : undefined);
  return c && (c.ad_user_data || c.ad_personalization) ? compact({ adUserData: v(c.ad_user_data), adPersonalization: v(c.ad_personalization) }) : undefined;
}

export const googleAds: Adapter = {
  platform: "google_ads",
  label: "Google Ads",
  maxBatch: 2000,
  // Click conversions up to 90 days after the click (the longest click-through window).
  maxAgeMs: 90 * 24 * 3600 * 1000,
  authorize: googleAdsAuthorize,
  // A conversion is one per order id at Google Ads (what reconciliation counts as duplicates).
  dedupBy: "order_id",
  // Enhancements and uploads go to different methods, so never share a request.
  groupKey: (job) => (enhances(job) ? "enhance" : "upload"),
  refuse(job) {
    const u = job.event.userData;
    if (enhances(job)) {
      return u.em || u.ph_e164 ? null : "the browser's Google Ads tag reported this conversion; enhancing it needs a hashed email or phone, and the event has none";
    }
    return u.gclid || u.gbraid || u.wbraid || u.em || u.ph_e164 ? null : "Google Ads needs a click id (gclid, gbraid or wbraid) or a hashed email or phone to attribute the conversion; the event has none";
  },
  build(jobs, secrets) {
    const customer = (jobs[0].target.ids.customerId ?? "").replace(/\D/g, "");
    const action = jobs[0].target.ids.conversionActionId;
    if (!customer || !action) return { error: "the destination needs its Google Ads customer ID and conversion action ID for uploads" };
    if (!secrets.developerToken) return { error: "no developer token is set for this destination" };
    if (!secrets.accessToken) return { error: "no OAuth access token could be obtained for this destination" };
    // A manager account's id, when the OAuth user reaches the account through one.
    const login = (jobs[0].target.ids.loginCustomerId ?? "").replace(/\D/g, "");
    const version = process.env.TAGPIPE_GOOGLE_ADS_API_VERSION || "v26";
    const conversionAction = `customers/${customer}/conversionActions/${action}`;
    const enhance = enhances(jobs[0]);
    const body = enhance
      ? {
          conversionAdjustments: jobs.map(({ event }) => {
            const u = event.userData;
            return compact({
              conversionAction,
              adjustmentType: "ENHANCEMENT",
              orderId: event.orderId ?? undefined,
              gclidDateTimePair: u.gclid ? { gclid: u.gclid, conversionDateTime: adsTime(event.eventTime) } : undefined,
              userIdentifiers: identifiers(u, "FIRST_PARTY"),
              userAgent: u.client_user_agent,
            });
          }),
          partialFailure: true,
        }
      : {
          conversions: jobs.map((job) => {
            const { event } = job;
            const u = event.userData;
            const p = event.params;
            return compact({
              conversionAction,
              conversionDateTime: adsTime(event.eventTime),
              conversionValue: num(p.value),
              currencyCode: typeof p.currency === "string" ? p.currency : undefined,
              orderId: event.orderId ?? undefined,
              // One click id at most (the API refuses two): the gclid, else the iOS ones.
              gclid: u.gclid,
              gbraid: u.gclid ? undefined : u.gbraid,
              wbraid: u.gclid || u.gbraid ? undefined : u.wbraid,
              userIdentifiers: identifiers(u),
              consent: consentOf(job.target.consent),
            });
          }),
          partialFailure: true,
        };
    return {
      url: `${baseUrl(definition)}/${version}/customers/${customer}:${enhance ? "uploadConversionAdjustments" : "uploadClickConversions"}`,
      headers: {
        "content-type": "application/json",
        "developer-token": secrets.developerToken,
        authorization: `Bearer ${secrets.accessToken}`,
        ...(login ? { "login-customer-id": login } : {}),
      },
      body: JSON.stringify(body),
    };
  },
  outcome(status, body, count = 1) {
    if (status === 429 || status >= 500) return "retry";
    if (status < 200 || status >= 300) return "fail";
    return partialFailure(body, count);
  },
};

/** Per-conversion errors Google documents as worth retrying; the value is the wait it asks for (a Retry-After), if any. */
const TRANSIENT: Record<string, string | null> = {
  // "Retry after 6 hours have passed" / "Try importing again in 6 hours."
  "conversionUploadError.TOO_RECENT_EVENT": String(6 * 3600),
  "conversionUploadError.TOO_RECENT_CONVERSION_ACTION": String(6 * 3600),
  "conversionAdjustmentUploadError.TOO_RECENT_CONVERSION_ACTION": String(6 * 3600),
  // The tag's conversion is not processed yet: an enhancement waits for it (up to the
  // outbox's 24 hours, after which Google no longer takes enhancements anyway).
  "conversionAdjustmentUploadError.CONVERSION_NOT_FOUND": null,
  "internalError.INTERNAL_ERROR": null,
  "internalError.TRANSIENT_ERROR": null,
  "internalError.DEADLINE_EXCEEDED": null,
  "quotaError.RESOURCE_TEMPORARILY_EXHAUSTED": null,
  "databaseError.CONCURRENT_MODIFICATION": null,
};

/** The request's list a failure points into: uploads' conversions, enhancements' adjustments (as the API names them). */
const LISTS = new Set(["conversions", "conversion_adjustments", "conversionAdjustments"]);

type FieldPathElement = { fieldName?: string; index?: number };
type GoogleAdsError = { errorCode?: Record<string, string>; message?: string; location?: { fieldPathElements?: FieldPathElement[] } };
type UploadResponse = { partialFailureError?: { code?: number; message?: string; details?: { errors?: GoogleAdsError[] }[] }; results?: unknown[] };

/**
 * A 200's verdict per conversion. Without a partialFailureError every conversion was taken.
 * With one, a conversion failed when an error's location names its index, or when its
 * entry in `results` is empty; if no conversion can be told apart, none is trusted.
 */
export function partialFailure(body: string, count: number): "ok" | "fail" | Verdict[] {
  let answer: UploadResponse;
  try {
    answer = JSON.parse(body) as UploadResponse;
  } catch {
    return "ok";
  }
  const failure = answer?.partialFailureError;
  if (!failure) return "ok";
  const verdicts: Verdict[] = Array.from({ length: count }, () => ({ outcome: "ok" }));
  const failed = new Set<number>();
  for (const detail of failure.details ?? []) {
    for (const error of detail.errors ?? []) {
      const path = error.location?.fieldPathElements ?? [];
      const at = path.findIndex((e) => LISTS.has(e.fieldName ?? "") && Number.isInteger(e.index));
      const index = at >= 0 ? path[at].index! : -1;
      if (index < 0 || index >= count) continue;
      const [kind, code] = Object.entries(error.errorCode ?? {})[0] ?? ["", "UNKNOWN"];
      const field = path.slice(at + 1).map((e) => (Number.isInteger(e.index) ? `${e.fieldName}[${e.index}]` : e.fieldName)).join(".");
      const reason = `Google Ads refused the conversion: ${code}${field ? ` at ${field}` : ""}: ${error.message ?? failure.message ?? "no message"}`;
      const key = `${kind}.${code}`;
      const transient = key in TRANSIENT;
      const before = verdicts[index];
      // One permanent error makes the conversion fail, whatever else was said about it.
      if (failed.has(index) && before.outcome === "fail") continue;
      verdicts[index] = transient ? { outcome: "retry", reason, ...(TRANSIENT[key] ? { retryAfter: TRANSIENT[key]! } : {}) } : { outcome: "fail", reason };
      failed.add(index);
    }
  }
  // Results carry an empty entry for each conversion that failed.
  if (Array.isArray(answer.results) && answer.results.length === count) {
    answer.results.forEach((r, i) => {
      const empty = !r || (typeof r === "object" && Object.keys(r).length === 0);
      if (empty && !failed.has(i)) {
        verdicts[i] = { outcome: "fail", reason: `Google Ads refused the conversion: ${failure.message ?? "partial failure"}` };
        failed.add(i);
      }
    });
  }
  return failed.size ? verdicts : "fail";
}
