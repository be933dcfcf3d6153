// Raw PII that arrives outside user_data — an email pushed as an event parameter, or
// `?email=…` on a thank-you page's URL — is removed before the event is stored or
// forwarded, as user data is hashed (hash.ts). The rules, also in docs/collector.md:
//   page URL, referrer  query (and fragment) parameters whose name says personal data
//                       (email, e-mail, mail, phone, tel, mobile, name, first_name,
//                       last_name, address, street, zip, postcode…, and any name ending in
//                       email/phone/address…) or whose value is an email get the value
//                       "redacted"; an email anywhere else in the URL too. Nothing else
//                       changes: click ids (fbclid, gclid, ttclid) stay.
//   page title          emails become "redacted".
//   params (nested)     a string that is an email, or an international phone number
//                       (+ and 8–15 digits), or any string under a key naming an email or
//                       phone, becomes the SHA-256 of its normalized form (so it still
//                       joins with hashed user data); an email inside longer text
//                       becomes "redacted".
// Pure, and allocation-free when there is nothing to redact (the collector's hot path).
import { normalizeEmail, normalizePhone, sha256, SHA256 } from "./hash";

export const REDACTED = "redacted";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** An email inside text or a URL (its @ possibly percent-encoded). */
const EMAIL_INSIDE = /[\w.%+-]+(?:@|%40)[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/gi;
const INTERNATIONAL_PHONE = /^\+[\d\s().-]+$/;

/** Names compared lower-cased without separators: first_name, firstName, first-name → firstname. */
const PII_NAMES = new Set([
  "email", "mail", "phone", "tel", "telephone", "mobile", "name", "fullname", "firstname", "lastname",
  "surname", "givenname", "familyname", "fname", "lname", "address", "address1", "address2", "street", "zip",
  "zipcode", "postcode", "postalcode", "dob", "birthdate", "birthday",
]);
const PII_ENDINGS = ["email", "phone", "phonenumber", "mobile", "firstname", "lastname", "fullname", "address", "zipcode", "postcode", "postalcode"];
/** In params only names that cannot be anything else: "name" there is as often a product's. */
const CONTACT_ENDINGS = ["email", "phone", "phonenumber", "mobile", "tel", "telephone"];

const bare = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

export function isPiiName(name: string): boolean {
  const n = bare(name);
  return PII_NAMES.has(n) || PII_ENDINGS.some((e) => n.endsWith(e));
}

function isContactName(name: string): boolean {
  const n = bare(name);
  return CONTACT_ENDINGS.some((e) => n === e || n.endsWith(e));
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, " "));
  } catch {
    return s;
  }
}

/** `a=1&email=x` → `a=1&email=redacted`; the parts left alone keep their exact encoding. */
function redactQuery(query: string): string {
  if (!query.includes("=")) return query;
  let changed = false;
  const parts = query.split("&").map((part) => {
    const eq = part.indexOf("=");
    if (eq < 0) return part;
    const value = decode(part.slice(eq + 1));
    if (!value || value === REDACTED || !(isPiiName(decode(part.slice(0, eq))) || EMAIL.test(value.trim()))) return part;
    changed = true;
    return `${part.slice(0, eq + 1)}${REDACTED}`;
  });
  return changed ? parts.join("&") : query;
}

/** A page URL or referrer without the personal data in its parameters (rules above). */
export function redactUrl(url: string): string {
  if (!/[?#@]|%40/.test(url)) return url;
  const hash = url.indexOf("#");
  const beforeHash = hash < 0 ? url : url.slice(0, hash);
  const q = beforeHash.indexOf("?");
  const path = q < 0 ? beforeHash : beforeHash.slice(0, q);
  let out = path.replace(EMAIL_INSIDE, REDACTED);
  if (q >= 0) out += `?${redactQuery(beforeHash.slice(q + 1))}`;
  if (hash >= 0) {
    // A fragment may carry parameters too: "#/confirm?email=…" or "#email=…".
    const fragment = url.slice(hash + 1);
    const fq = fragment.indexOf("?");
    const redacted = fq >= 0 ? `${fragment.slice(0, fq + 1)}${redactQuery(fragment.slice(fq + 1))}` : redactQuery(fragment);
    out += `#${redacted.replace(EMAIL_INSIDE, REDACTED)}`;
  }
  return out;
}

/** Free text (a page title) without emails. */
export function redactText(text: string): string {
  return text.replace(EMAIL_INSIDE, REDACTED);
}

function phoneDigits(value: string): string | null {
  const digits = normalizePhone(value);
  return digits.length >= 8 && digits.length <= 15 ? digits : null;
}

function scrubString(value: string, contactKey: boolean): string {
  const v = value.trim();
  if (SHA256.test(v)) return value;
  if (EMAIL.test(v)) return sha256(normalizeEmail(v));
  if (INTERNATIONAL_PHONE.test(v) || contactKey) {
    const digits = phoneDigits(v);
    if (digits) return sha256(digits);
    if (contactKey && v) return sha256(v.toLowerCase());
  }
  return v.includes("@") ? value.replace(EMAIL_INSIDE, REDACTED) : value;
}

function scrub(value: unknown, contactKey: boolean): unknown {
  if (typeof value === "string") return scrubString(value, contactKey);
  // A phone number sent as a number: { phone: 4915112345678 }.
  if (typeof value === "number" && contactKey) return scrubString(String(value), true);
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((item, i) => {
      const next = scrub(item, contactKey);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (value && typeof value === "object") return scrubParams(value as Record<string, unknown>);
  return value;
}

/** Event parameters with emails and phone numbers hashed (rules above); the same object when there are none. */
export function scrubParams(params: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const key in params) {
    const value = params[key];
    const next = scrub(value, isContactName(key));
    if (next !== value) (out ??= { ...params })[key] = next;
  }
  return out ?? params;
}
