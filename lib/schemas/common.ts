// Field schemas shared by every resource. These zod schemas are the single source of
// truth: API validation, form errors, TypeScript types and the OpenAPI document.
import { z } from "zod";

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));
const regionNames = new Intl.DisplayNames(["en"], { type: "region" });

export function isCurrency(code: string): boolean {
  return CURRENCIES.has(code);
}

// ICU names some codes that are not countries: groupings (EU, EZ, UN) and codes from
// ISO 3166's user-assigned ranges (QO "Outlying Oceania"). XK (Kosovo) is user-assigned
// too, but GeoIP databases report it, so it stays.
const NOT_COUNTRIES = /^(EU|EZ|UN|AA|Q[M-Z]|X[A-JL-Z]|ZZ)$/;

/** ISO 3166-1 alpha-2 as ICU knows it; pseudo-codes like "ZZ", "QO" and "EU" are refused. */
export function countryName(code: string): string | null {
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.test(code)) return null;
  const name = regionNames.of(code);
  return name && name !== code && name !== "Unknown Region" ? name : null;
}

export const id = z.string().min(1).max(64);

export const name = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

export const currency = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine(isCurrency, "must be an ISO 4217 currency code such as EUR or USD")
  .meta({ description: "ISO 4217 currency code", example: "EUR" });

export const country = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine((v) => countryName(v) !== null, "must be an ISO 3166-1 alpha-2 country code such as DE")
  .meta({ description: "ISO 3166-1 alpha-2 country code", example: "DE" });

const HOSTNAME = /^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export const hostname = z
  .string()
  .trim()
  .transform((v) => v.toLowerCase().replace(/\.$/, ""))
  .refine((v) => HOSTNAME.test(v), "must be a hostname such as shop.example.com (no scheme, port or path)")
  .meta({ description: "Hostname without scheme or port; a leading *. matches subdomains", example: "shop.example.com" });

export const role = z.enum(["owner", "publisher", "editor", "viewer"]);

export const email = z
  .string()
  .trim()
  .max(254)
  .transform((v) => v.toLowerCase())
  .pipe(z.email("must be an email address"));

export const password = z
  .string()
  .min(10, "must be at least 10 characters")
  .max(200, "must be at most 200 characters");

/** Unique entries, keeping the first occurrence's order. */
export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
