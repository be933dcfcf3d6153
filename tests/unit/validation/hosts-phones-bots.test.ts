// The one host matcher (Origin checks, region rules in the collector and in the browser),
// phone numbers to E.164 with a default country, and bots by isbot's list.
import { describe, expect, test } from "vitest";
import { hostMatches } from "../../../lib/http/hosts";
import { hashUserData, normalizePhone, sha256 } from "../../../lib/collector/hash";
import { originAllowed } from "../../../lib/collector/intake";

describe("hostMatches", () => {
  test.each([
    ["shop.example.com", "shop.example.com", true],
    ["shop.example.com", "www.shop.example.com", false],
    ["*.example.com", "example.com", true],
    ["*.example.com", "a.b.example.com", true],
    ["*.example.com", "badexample.com", false],
    // The container carries "*.example.com" as ".example.com": the same verdicts.
    [".example.com", "example.com", true],
    [".example.com", "a.example.com", true],
    [".example.com", "badexample.com", false],
  ] as const)("%s against %s → %s", (pattern, host, expected) => {
    expect(hostMatches(pattern, host)).toBe(expected);
  });

  test("Origin checks use it", () => {
    expect(originAllowed("https://a.example.com", ["*.example.com"])).toBe(true);
    expect(originAllowed("https://evil-example.com", ["*.example.com"])).toBe(false);
  });
});

describe("phone numbers to E.164", () => {
  test("a national number takes its country's code and drops the trunk prefix", () => {
    expect(normalizePhone("030 1234567", "DE")).toBe("49301234567");
    expect(normalizePhone("020 7946 0958", "gb")).toBe("442079460958");
    expect(normalizePhone("(555) 123-4567", "US")).toBe("15551234567");
    expect(normalizePhone("+1 (555) 123-4567")).toBe("15551234567");
    expect(normalizePhone("0049 30 1234567")).toBe("49301234567");
  });

  test("without a country in the data, the visitor's region's country is the default", () => {
    const withRegion = hashUserData({ phone: "030 1234567" }, "DE");
    expect(withRegion.ph_e164).toBe(sha256("+49301234567"));
    // The data's own country wins over the region's.
    expect(hashUserData({ phone: "020 7946 0958", country: "GB" }, "DE").ph_e164).toBe(sha256("+442079460958"));
  });
});

describe("bots", () => {
  test("isbot's list: crawlers, previews, headless browsers and HTTP libraries; browsers pass", async () => {
    const { isBot } = await import("../../../lib/collector/intake");
    for (const ua of [
      "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
      "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0.0.0 Safari/537.36",
      "python-requests/2.31.0",
      "curl/8.5.0",
    ]) expect(isBot(ua), ua).toBe(true);
    for (const ua of [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    ]) expect(isBot(ua), ua).toBe(false);
    // A verdict kept is the same verdict.
    expect(isBot("curl/8.5.0")).toBe(true);
  });
});
