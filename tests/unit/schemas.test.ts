// The zod schemas every request is validated with: normalisation (currency, country,
// hostname, email), refusals, strict objects, and the region rule.
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { country, countryName, currency, email, hostname, isCurrency, password, unique } from "@/lib/schemas/common";
import {
  auditQuery,
  auditRange,
  environmentCreate,
  environmentUpdate,
  regionCreate,
  regionRule,
  regionUpdate,
  signup,
  siteCreate,
  siteUpdate,
  tokenCreate,
} from "@/lib/schemas/resources";

/** The issue paths of a refused value ("" for the root). */
function paths(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  expect(result.success, `expected ${JSON.stringify(value)} to be refused`).toBe(false);
  return result.error!.issues.map((i) => i.path.join("."));
}

const site = { name: "Shop", hostnames: ["shop.example.com"], defaultCurrency: "EUR" };

describe("currency", () => {
  it.each([
    ["EUR", "EUR"],
    ["eur", "EUR"],
    [" usd ", "USD"],
    ["chf", "CHF"],
    ["JPY", "JPY"],
  ])("accepts %j as %s", (input, output) => {
    expect(currency.parse(input)).toBe(output);
  });

  it.each(["", "EURO", "EU", "ABC", "E1R", "€", "US D"])("refuses %j", (input) => {
    expect(currency.safeParse(input).success).toBe(false);
  });

  it("isCurrency knows ISO 4217 upper-case codes only", () => {
    expect(isCurrency("GBP")).toBe(true);
    expect(isCurrency("gbp")).toBe(false);
    expect(isCurrency("ZZZ")).toBe(false);
  });
});

describe("country", () => {
  it.each([
    ["DE", "DE"],
    ["de", "DE"],
    [" fr ", "FR"],
    ["us", "US"],
    ["XK", "XK"],
  ])("accepts %j as %s", (input, output) => {
    expect(country.parse(input)).toBe(output);
  });

  it.each(["", "D", "DEU", "ZZ", "EU", "UN", "EZ", "QO", "AA", "XX", "1A", "D3"])("refuses %j", (input) => {
    expect(country.safeParse(input).success).toBe(false);
  });

  it("names countries and refuses pseudo-regions", () => {
    expect(countryName("DE")).toBe("Germany");
    expect(countryName("JP")).toBe("Japan");
    for (const code of ["ZZ", "EU", "QO", "QZ", "XA", "de", "DEU"]) expect(countryName(code), code).toBeNull();
  });
});

describe("hostname", () => {
  it.each([
    ["shop.example.com", "shop.example.com"],
    ["Shop.Example.COM", "shop.example.com"],
    ["shop.example.com.", "shop.example.com"],
    ["  shop.example.com ", "shop.example.com"],
    ["*.example.com", "*.example.com"],
    ["localhost", "localhost"],
    ["127.0.0.1", "127.0.0.1"],
    ["xn--bcher-kva.example", "xn--bcher-kva.example"],
    ["a-b.c-d.example", "a-b.c-d.example"],
  ])("accepts %j as %s", (input, output) => {
    expect(hostname.parse(input)).toBe(output);
  });

  it.each([
    "",
    "https://shop.example.com",
    "shop.example.com:8080",
    "shop.example.com/path",
    "shop example.com",
    "-shop.example.com",
    "shop-.example.com",
    "shop..example.com",
    "*.*.example.com",
    "shop.*.com",
    "bücher.example",
    "shop_1.example.com",
    `${"a".repeat(64)}.example.com`,
    `${"a.".repeat(127)}com`,
  ])("refuses %j", (input) => {
    expect(hostname.safeParse(input).success).toBe(false);
  });

  it("says what a hostname looks like", () => {
    const result = hostname.safeParse("https://x.com");
    expect(result.error!.issues[0].message).toMatch(/no scheme, port or path/);
  });
});

describe("email and password", () => {
  it("lower-cases and trims emails, refuses non-emails", () => {
    expect(email.parse("  Ada.Lovelace@Example.COM ")).toBe("ada.lovelace@example.com");
    for (const bad of ["", "ada", "ada@", "@example.com", "ada@example", `${"a".repeat(250)}@example.com`]) {
      expect(email.safeParse(bad).success, bad).toBe(false);
    }
  });

  it("wants 10 to 200 characters of password", () => {
    expect(password.safeParse("123456789").success).toBe(false);
    expect(password.safeParse("1234567890").success).toBe(true);
    expect(password.safeParse("x".repeat(201)).success).toBe(false);
  });
});

describe("unique", () => {
  it("keeps the first occurrence's order", () => {
    expect(unique(["b", "a", "b", "c", "a"])).toEqual(["b", "a", "c"]);
  });
});

describe("siteCreate and siteUpdate", () => {
  it("normalises a site and defaults regions to none", () => {
    expect(siteCreate.parse({ name: " Shop ", hostnames: ["A.example.com", "a.example.com."], defaultCurrency: "eur" })).toEqual({
      name: "Shop",
      hostnames: ["a.example.com"],
      defaultCurrency: "EUR",
      regions: [],
    });
  });

  it("refuses unknown keys, at the top and nested, naming them", () => {
    const top = siteCreate.safeParse({ ...site, colour: "red" });
    expect(top.error!.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys", keys: ["colour"], path: [] })]);
    const nested = siteCreate.safeParse({ ...site, regions: [{ code: "eu", name: "EU", extra: 1 }] });
    expect(nested.error!.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys", keys: ["extra"], path: ["regions", 0] })]);
  });

  it("names the path of each bad field", () => {
    expect(paths(siteCreate, { ...site, hostnames: [] })).toEqual(["hostnames"]);
    expect(paths(siteCreate, { ...site, hostnames: ["ok.example.com", "http://bad"] })).toEqual(["hostnames.1"]);
    expect(paths(siteCreate, { ...site, defaultCurrency: "EURO" })).toEqual(["defaultCurrency"]);
    expect(paths(siteCreate, { ...site, regions: [{ code: "eu", name: "EU", countries: ["DE", "ZZ"] }] })).toEqual(["regions.0.countries.1"]);
    expect(paths(siteCreate, {}).sort()).toEqual(["defaultCurrency", "hostnames", "name"]);
  });

  it("updates only what is given", () => {
    expect(siteUpdate.parse({})).toEqual({});
    expect(siteUpdate.parse({ defaultCurrency: "gbp" })).toEqual({ defaultCurrency: "GBP" });
    expect(siteUpdate.safeParse({ regions: [] }).success).toBe(false);
  });
});

describe("regions", () => {
  it("a rule needs a hostname or a path prefix", () => {
    expect(regionRule.parse({ hostname: "DE.example.com" })).toEqual({ hostname: "de.example.com" });
    expect(regionRule.parse({ pathPrefix: "/de" })).toEqual({ pathPrefix: "/de" });
    expect(regionRule.parse({ hostname: "example.com", pathPrefix: "/de" })).toEqual({ hostname: "example.com", pathPrefix: "/de" });
    const empty = regionRule.safeParse({});
    expect(empty.error!.issues[0].message).toBe("needs a hostname, a path that starts with /, or both");
    expect(paths(regionRule, { pathPrefix: "de" })).toEqual(["pathPrefix"]);
    expect(regionRule.safeParse({ pathPrefix: "/de", query: "x" }).success).toBe(false);
  });

  it("fills defaults and normalises a new region", () => {
    expect(regionCreate.parse({ code: " EU ", name: "Europe", countries: ["de", "FR", "DE"], currency: "eur" })).toEqual({
      code: "eu",
      name: "Europe",
      countries: ["DE", "FR"],
      rules: [],
      currency: "EUR",
      consentDefault: "granted",
    });
    expect(regionCreate.parse({ code: "us", name: "US", currency: null }).currency).toBeNull();
  });

  it("refuses bad codes, rules and consent values", () => {
    for (const code of ["", "-eu", "e u", "eu!", "x".repeat(33)]) expect(regionCreate.safeParse({ code, name: "R" }).success, code).toBe(false);
    expect(paths(regionCreate, { code: "eu", name: "R", rules: [{}] })).toEqual(["rules.0"]);
    expect(paths(regionCreate, { code: "eu", name: "R", consentDefault: "maybe" })).toEqual(["consentDefault"]);
  });

  it("an update sets no defaults, so a PATCH does not reset other fields", () => {
    expect(regionUpdate.parse({ name: "Renamed" })).toEqual({ name: "Renamed" });
    expect(regionUpdate.parse({ countries: ["at", "AT"] })).toEqual({ countries: ["AT"] });
    expect(regionUpdate.safeParse({ siteId: "x" }).success).toBe(false);
  });
});

describe("environments, tokens, sign-up and the audit query", () => {
  it("environments are custom unless said otherwise, with lower-case names", () => {
    expect(environmentCreate.parse({ name: "QA" })).toEqual({ name: "qa", kind: "custom" });
    expect(environmentCreate.safeParse({ name: "qa", kind: "live" }).success).toBe(false);
    expect(environmentCreate.safeParse({ name: "q a" }).success).toBe(false);
    expect(environmentUpdate.parse({ rotateKey: true })).toEqual({ rotateKey: true });
    expect(environmentUpdate.safeParse({ rotateKey: false }).success).toBe(false);
    expect(environmentUpdate.safeParse({ publicKey: "tp_mine" }).success).toBe(false);
  });

  it("tokens never expire unless asked, for 1 to 3650 days", () => {
    expect(tokenCreate.parse({ name: "ci", role: "viewer" })).toEqual({ name: "ci", role: "viewer", expiresInDays: null });
    expect(tokenCreate.parse({ name: "ci", role: "editor", expiresInDays: 30 }).expiresInDays).toBe(30);
    for (const days of [0, 3651, 1.5, "30"]) expect(tokenCreate.safeParse({ name: "ci", role: "viewer", expiresInDays: days }).success, String(days)).toBe(false);
    expect(tokenCreate.safeParse({ name: "ci", role: "admin" }).success).toBe(false);
  });

  it("sign-up wants every field and nothing more", () => {
    const ok = { email: "A@Example.com", name: "Ada", password: "long-enough-pw", teamName: "Team" };
    expect(signup.parse(ok)).toEqual({ ...ok, email: "a@example.com" });
    expect(paths(signup, { ...ok, password: "short" })).toEqual(["password"]);
    expect(signup.safeParse({ ...ok, role: "owner" }).success).toBe(false);
  });

  it("the audit query coerces the limit and page, reads dates, and refuses unknown parameters", () => {
    expect(auditQuery.parse({})).toEqual({ limit: 50, page: 1 });
    expect(auditQuery.parse({ limit: "10", page: "3", entityType: "site" })).toEqual({ limit: 10, page: 3, entityType: "site" });
    expect(paths(auditQuery, { limit: "0" })).toEqual(["limit"]);
    expect(paths(auditQuery, { limit: "201" })).toEqual(["limit"]);
    expect(paths(auditQuery, { page: "0" })).toEqual(["page"]);
    expect(paths(auditQuery, { from: "yesterday" })).toEqual(["from"]);
    expect(paths(auditQuery, { from: "2026-02-01", to: "2026-01-01" })).toEqual(["to"]);
    expect(auditQuery.parse({ to: "2026-01-01T00:00:00Z" }).to).toBe("2026-01-01T00:00:00Z");
    // A day's "to" includes that whole day.
    expect(auditRange({ from: "2026-01-01", to: "2026-01-01" })).toEqual({ gte: new Date("2026-01-01T00:00:00Z"), lt: new Date("2026-01-02T00:00:00Z") });
    expect(auditQuery.safeParse({ sort: "asc" }).success).toBe(false);
  });
});
