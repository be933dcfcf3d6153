// User data: normalized as the platforms document, then SHA-256 hashed, at intake, so raw
// PII is never stored, logged or forwarded. Values that already look like a SHA-256 (64
// hex characters) pass through, lower-cased.
//   email        trim, lower-case                                  (Meta em, TikTok email)
//                ... and no dots before @gmail.com / @googlemail.com (em_google: GA4 sha256_email_address, Google Ads)
//   phone        digits only with country code; "ph" without "+"   (Meta ph) and "ph_e164" with "+" (TikTok, GA4, Google Ads)
//   names, city  lower-case, no punctuation (city: no spaces)      (Meta fn/ln/ct, GA4 address)
//   state        lower-case, letters only                          (Meta st)
//   zip          lower-case, no spaces or dashes; US: 5 digits     (Meta zp)
//   country      ISO 3166-1 alpha-2, lower-case                    (Meta country)
//   date of birth YYYYMMDD, from YYYY-MM-DD (or / or .) or YYYYMMDD (Meta db)
//   gender       f or m                                            (Meta ge)
//   external_id  trimmed                                           (Meta external_id, TikTok external_id)
import crypto from "node:crypto";
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/min";
import type { CollectedEventInput } from "./schema";
import { clickIdsOf, gaClientId, gaSessionId } from "./click-ids";

/** A value that already is a SHA-256 hex digest passes through. */
export const SHA256 = /^[a-f0-9]{64}$/i;

export function sha256(value: string): string {
  // One call, no Hash object (crypto.hash: Node ≥ 20.12).
  return crypto.hash("sha256", value, "hex");
}

function hashed(value: string | undefined, normalize: (v: string) => string): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  if (SHA256.test(trimmed)) return trimmed.toLowerCase();
  const normalized = normalize(trimmed);
  return normalized ? sha256(normalized) : undefined;
}

export const normalizeEmail = (v: string) => v.trim().toLowerCase();
/** Google's rule adds one step: the dots of a gmail.com or googlemail.com local part go. */
export function normalizeEmailForGoogle(v: string): string {
  const email = normalizeEmail(v);
  const at = email.lastIndexOf("@");
  const domain = email.slice(at + 1);
  return at > 0 && (domain === "gmail.com" || domain === "googlemail.com") ? `${email.slice(0, at).replace(/\./g, "")}@${domain}` : email;
}
export const normalizeName = (v: string) => v.toLowerCase().normalize("NFC").replace(/[\p{P}\p{S}]/gu, "").replace(/\s+/g, " ").trim();
export const normalizeCity = (v: string) => normalizeName(v).replace(/\s+/g, "");
export const normalizeState = (v: string) => v.toLowerCase().replace(/[^\p{L}]/gu, "");
export const normalizeCountry = (v: string) => (/^[a-z]{2}$/i.test(v.trim()) ? v.trim().toLowerCase() : "");

/** YYYYMMDD from a year-first date (1997-02-16, 1997/2/16, 19970216, an ISO timestamp); "" when it is no real date. */
export function normalizeDateOfBirth(v: string): string {
  const text = v.trim();
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text) ?? /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:T.*)?$/.exec(text);
  if (!m) return "";
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real && year >= 1900 && date.getTime() <= Date.now() ? `${m[1]}${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}` : "";
}

/** Meta's gender: "f" or "m" (female, Male, F, …); anything else is not sent. */
export function normalizeGender(v: string): string {
  const first = v.trim().toLowerCase()[0];
  return first === "f" || first === "m" ? first : "";
}

export function normalizeZip(v: string, country?: string): string {
  const z = v.toLowerCase().replace(/[\s-]/g, "");
  // Meta: US zip codes use the first 5 digits.
  return country?.toLowerCase() === "us" && /^\d{5,9}$/.test(z) ? z.slice(0, 5) : z;
}

/**
 * E.164 digits (no "+"): "+49 (0)30 1234-56" → "4930123456"; "030 123456" with country DE
 * → "4930123456". libphonenumber-js (its small metadata build) knows each country's
 * calling code and trunk prefix; a number it cannot parse keeps its digits, with "00"
 * read as "+".
 */
export function normalizePhone(v: string, country?: string): string {
  const trimmed = v.trim();
  const region = country?.trim().toUpperCase();
  const parsed = parsePhoneNumberFromString(trimmed.startsWith("00") ? `+${trimmed.slice(2)}` : trimmed, region && /^[A-Z]{2}$/.test(region) ? (region as CountryCode) : undefined);
  if (parsed?.number) return parsed.number.slice(1);
  const digits = trimmed.replace(/\(0\)/g, "").replace(/\D/g, "");
  return trimmed.startsWith("00") ? digits.slice(2) : digits;
}

export type HashedUserData = {
  em?: string;
  /** Only when Google's normalization differs from em (a dotted Gmail address). */
  em_google?: string;
  ph?: string;
  ph_e164?: string;
  fn?: string;
  ln?: string;
  ct?: string;
  st?: string;
  zp?: string;
  country?: string;
  db?: string;
  ge?: string;
  external_id?: string;
  // Not hashed: the platforms require them as they are.
  client_ip_address?: string;
  client_user_agent?: string;
  fbp?: string;
  fbc?: string;
  ttp?: string;
  ttclid?: string;
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  ga_client_id?: string;
  ga_session_id?: string;
};

/** `defaultCountry`: for phone numbers without a country code when the data names no country (the visitor's region's). */
export function hashUserData(raw: CollectedEventInput["user_data"] = {}, defaultCountry?: string): HashedUserData {
  const country = raw.country?.trim() || defaultCountry;
  const phoneDigits = (v: string) => normalizePhone(v, country);
  // Only the fields present become keys (built up rather than deleted afterwards: this
  // runs for every event).
  const out: HashedUserData = {};
  const put = (key: keyof HashedUserData, value: string | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  if (raw.email !== undefined) {
    put("em", hashed(raw.email, normalizeEmail));
    if (normalizeEmailForGoogle(raw.email) !== normalizeEmail(raw.email)) put("em_google", hashed(raw.email, normalizeEmailForGoogle));
  }
  if (raw.phone !== undefined) {
    put("ph", hashed(raw.phone, phoneDigits));
    // A phone without digits ("n/a") must not become the hash of a bare "+", shared by all.
    if (!SHA256.test(raw.phone.trim())) put("ph_e164", hashed(raw.phone, (v) => (phoneDigits(v) ? `+${phoneDigits(v)}` : "")));
  }
  put("fn", hashed(raw.first_name, normalizeName));
  put("ln", hashed(raw.last_name, normalizeName));
  put("ct", hashed(raw.city, normalizeCity));
  put("st", hashed(raw.state, normalizeState));
  put("zp", hashed(raw.zip, (v) => normalizeZip(v, country)));
  put("country", hashed(raw.country, normalizeCountry));
  put("db", hashed(raw.date_of_birth, normalizeDateOfBirth));
  put("ge", hashed(raw.gender, normalizeGender));
  put("external_id", hashed(raw.external_id, (v) => v));
  put("client_ip_address", raw.client_ip_address);
  put("client_user_agent", raw.client_user_agent);
  put("fbp", raw.fbp);
  put("ttp", raw.ttp);
  put("ttclid", raw.ttclid);
  if (raw.fbc || raw.fbclid || raw.gclid || raw.gbraid || raw.wbraid) Object.assign(out, clickIdsOf(raw));
  if (raw.ga_client_id) put("ga_client_id", gaClientId(raw.ga_client_id));
  if (raw.ga_session_id) put("ga_session_id", gaSessionId(raw.ga_session_id));
  return out;
}
