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
