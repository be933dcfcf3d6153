// The arithmetic of the quality figures: shares, validity, the match-quality score and
// deduplication coverage, on hand-computed inputs.
import { describe, expect, it } from "vitest";
import { COVERAGE_TARGET, MATCH_WEIGHTS, coverage, keyShares, matchScore, share, validShare } from "@/lib/health/quality";
import { MATCH_KEYS, keysMaskSql, keysOfMask } from "@/lib/health/keys";

describe("share and validity", () => {
  it("divides, and gives 0 for no events rather than NaN", () => {
    expect(share(3, 4)).toBe(0.75);
    expect(share(0, 0)).toBe(0);
  });
  it("counts a check valid on the stored events that did not fail it", () => {
    expect(validShare(1, 4)).toBe(0.75);
    expect(validShare(0, 0)).toBe(1);
    expect(validShare(4, 4)).toBe(0);
  });
});

describe("matchScore", () => {
  it("weights per platform add up to 10, so full coverage of every weighted key scores 10", () => {
    for (const [platform, weights] of Object.entries(MATCH_WEIGHTS)) {
      expect(Object.values(weights).reduce((a, b) => a + b, 0), platform).toBeCloseTo(10);
      const all = Object.fromEntries(Object.keys(weights).map((k) => [k, 1]));
      expect(matchScore(platform, all, 10)).toBe(10);
    }
  });
  it("is Σ weight × share: Meta with email on half and IP + user agent on all events", () => {
    // 3 × 0.5 + 1.5 × 1 = 3
    expect(matchScore("meta", { email: 0.5, ip_ua: 1 }, 8)).toBe(3);
    // Google Ads: gclid on a quarter, email on all: 4 × 0.25 + 4 = 5
    expect(matchScore("google_ads", { gclid: 0.25, email: 1, fbp: 1 }, 4)).toBe(5);
  });
  it("has no score without weights (webhook) or without deliveries", () => {
    expect(matchScore("webhook", { email: 1 }, 5)).toBeNull();
    expect(matchScore("meta", { email: 1 }, 0)).toBeNull();
  });
  it("turns key counts into shares of the delivered events", () => {
    expect(keyShares({ email: 2, phone: 1 }, 4)).toMatchObject({ email: 0.5, phone: 0.25, fbp: 0 });
  });
});

describe("coverage", () => {
  it("is the share of conversions that came from both sources, against Meta's 75 % goal", () => {
    const c = coverage({ both: 6, browser: 3, server: 1 });
    expect(c).toMatchObject({ conversions: 10, both: 6, browserOnly: 3, serverOnly: 1, bothShare: 0.6, browserOnlyShare: 0.3, serverOnlyShare: 0.1, target: 0.75, meetsTarget: false });
    expect(coverage({ both: 3, browser: 1, server: 0 }).meetsTarget).toBe(true);
    expect(coverage({ both: 0, browser: 0, server: 0 })).toMatchObject({ conversions: 0, bothShare: 0, meetsTarget: false });
    expect(COVERAGE_TARGET).toBe(0.75);
  });
});

describe("match key bits", () => {
  it("gives every key its own bit, and reads a mask back", () => {
    const bits = MATCH_KEYS.map((k) => k.bit);
    expect(new Set(bits).size).toBe(bits.length);
    for (const b of bits) expect(b & (b - 1)).toBe(0);
    expect(keysOfMask(1 + 32 + 128)).toEqual(["email", "ip_ua", "ttclid"]);
    expect(keysMaskSql("u")).toContain("u ? 'client_ip_address' AND u ? 'client_user_agent'");
  });
});
