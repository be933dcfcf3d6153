// The arithmetic of signal quality, pure so the unit tests need no database: shares,
// parameter validity, the 0–10 match-quality score per destination, and deduplication
// coverage against Meta's 75 % goal. The figures' inputs are rollup sums (lib/health/report.ts).
import { MATCH_KEYS, type MatchKeyName } from "./keys";

/** Meta's published goal for the share of events sent from both the browser and the server with the same event_id. */
export const COVERAGE_TARGET = 0.75;

/** n / d, 0 when there is nothing to divide (a share of no events is no share, not 100 %). */
export function share(n: number, d: number): number {
  return d > 0 ? n / d : 0;
}

/**
 * How much each match key is worth at each platform, out of 10. Taken from what the
 * platforms publish about matching (docs/health.md gives the sources and the reasoning):
 * - Meta (Event Match Quality): email and phone are the strongest customer information;
 *   the click id (fbc) and browser id (fbp) tie a server event to an ad click; external_id
 *   and IP + user agent help.
 * - TikTok (Event Match Quality): email, phone and the click id (ttclid) matter most;
 *   external_id and IP + user agent help.
 * - Google Ads (enhanced conversions): the gclid attributes a conversion by itself;
 *   hashed email, then phone, recover the ones without it.
 * - GA4 (Measurement Protocol user-provided data): user_id (external_id), email, phone.
 * A webhook matches nothing: no score.
 */
export const MATCH_WEIGHTS: Record<string, Partial<Record<MatchKeyName, number>>> = {
  meta: { email: 3, phone: 2, fbc: 1.5, fbp: 1, external_id: 1, ip_ua: 1.5 },
  tiktok: { email: 3, phone: 2, ttclid: 2, external_id: 1, ip_ua: 2 },
  google_ads: { gclid: 4, email: 4, phone: 2 },
  ga4: { external_id: 4, email: 3, phone: 3 },
};

export type KeyShares = Partial<Record<MatchKeyName, number>>;

/**
 * The 0–10 match-quality score of a destination: Σ weight(key) × share of delivered
 * events carrying the key, the weights of a platform summing to 10. Null for a platform
 * without weights (webhook) or when nothing was delivered.
 */
export function matchScore(platform: string, shares: KeyShares, delivered: number): number | null {
  const weights = MATCH_WEIGHTS[platform];
  if (!weights || delivered <= 0) return null;
  let score = 0;
  for (const [key, weight] of Object.entries(weights) as [MatchKeyName, number][]) score += weight * Math.min(1, Math.max(0, shares[key] ?? 0));
  return Math.round(score * 10) / 10;
}

/** Key counts (rollup columns) → shares of a total. */
export function keyShares(counts: Partial<Record<MatchKeyName, number>>, total: number): KeyShares {
  return Object.fromEntries(MATCH_KEYS.map((k) => [k.key, share(counts[k.key] ?? 0, total)]));
}

export type SourceCounts = { browser: number; server: number; both: number };

export type Coverage = {
  conversions: number;
  both: number;
  browserOnly: number;
  serverOnly: number;
  /** Shares of the conversions (0–1). */
  bothShare: number;
  browserOnlyShare: number;
  serverOnlyShare: number;
  target: number;
  meetsTarget: boolean;
};

/** Deduplication coverage: the share of accepted conversions received from both sources with one event_id. */
export function coverage(c: SourceCounts): Coverage {
  const conversions = c.browser + c.server + c.both;
  const bothShare = share(c.both, conversions);
  return {
    conversions,
    both: c.both,
    browserOnly: c.browser,
    serverOnly: c.server,
    bothShare,
    browserOnlyShare: share(c.browser, conversions),
    serverOnlyShare: share(c.server, conversions),
    target: COVERAGE_TARGET,
    meetsTarget: conversions > 0 && bothShare >= COVERAGE_TARGET,
  };
}

/** Share of stored events that passed a check: 1 − failing / stored (1 when nothing was stored). */
export function validShare(failing: number, stored: number): number {
  return stored > 0 ? 1 - failing / stored : 1;
}
