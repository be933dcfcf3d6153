// What a destination adapter sees and returns. One per platform, in
// lib/platforms/<platform>/server.ts, each speaking its platform's documented contract.
import type { HashedUserData } from "../collector/hash";

export type Job = {
  deliveryId: string;
  destinationId: string;
  /** the event's name at this destination (Purchase, CompletePayment, purchase…) */
  eventName: string;
  /**
   * fillIn: the destination is in browser_fill_in mode, named so in the browser's `fired`
   * report; consent: the visitor's choices a platform wants with each event (Google Ads).
   */
  target: { ids: Record<string, string>; testEventCode?: string; test: boolean; fillIn?: string; consent?: { ad_user_data?: string; ad_personalization?: string } };
  event: {
    name: string;
    eventId: string;
    orderId: string | null;
    params: Record<string, unknown>;
    userData: HashedUserData;
    /** fired: the Google tags the browser reported as run for this event (lib/platforms/delivery-mode.ts) */
    context: { url?: string; referrer?: string; title?: string; fired?: string[] };
    eventTime: Date;
    source: string;
  };
};

export type HttpRequest = { url: string; headers: Record<string, string>; body: string };

export type Adapter = {
  platform: string;
  /** The platform's name in messages (Meta, GA4…). */
  label: string;
  /** Events per request, within the platform's limit. */
  maxBatch: number;
  /**
   * The oldest event the platform takes, as it documents it. An older one would make it
   * refuse the event (or, for some, the whole request): it is dead-lettered alone before
   * batching, and the rest of its batch is sent.
   */
  maxAgeMs?: number;
  /** Jobs that may share one request must share this key (GA4: one client per request). */
  groupKey?: (job: Job) => string;
  /**
   * How the platform merges two copies of one conversion: by event_id (Meta, TikTok —
   * the default), or by the order id (Google Ads' order_id): reconciliation counts two
   * delivered events of one order as a double count only where they would not merge.
   */
  dedupBy?: "event_id" | "order_id";
  /** Why the platform would refuse this event whatever we do (no identifier at all), or null. Checked before batching. */
  refuse?(job: Job): string | null;
  /**
   * Platforms reached with short-lived credentials (Google Ads' OAuth access tokens): the
   * secrets with what the request needs, or why there is none (`retry`: try later).
   * `refused`: the token the platform just answered 401 to, to be replaced once.
   */
  authorize?(secrets: Record<string, string>, refused?: string): Promise<{ secrets: Record<string, string> } | { error: string; retry: boolean }>;
  /** The request for a batch, or why it cannot be sent (a missing secret: dead-lettered with that reason). */
  build(jobs: Job[], secrets: Record<string, string>): HttpRequest | { error: string };
  /**
   * Platforms that answer 200 with an error code in the body override the status check.
   * One outcome covers the whole request; a list (one verdict per job, in batch order)
   * is for platforms that accept a request yet refuse some of its events (Google Ads'
   * partial failure). `count`: how many events the request carried.
   */
  outcome?(status: number, body: string, count?: number): Outcome | Verdict[];
  /**
   * The URL is a team member's, not a platform's: sent through the outbound guard
   * (lib/http/outbound-url.ts: https, no private addresses at connect time, no redirects),
   * and only a short excerpt of the answer is kept.
   */
  guarded?: true;
};

export type Outcome = "ok" | "retry" | "fail";

/** What the platform said about one event of an accepted request: why it failed, and when to try again (a Retry-After value). */
export type Verdict = { outcome: Outcome; reason?: string; retryAfter?: string };

/** A platform's API base URL: its environment variable (tests point it at a stand-in), else the platform's own. */
export function baseUrl(platform: { baseUrl?: { env: string; fallback: string } }): string {
  const { env, fallback } = platform.baseUrl!;
  return (process.env[env] || fallback).replace(/\/$/, "");
}

/** GA4-style items → a list of { id, quantity, price }. */
export function items(params: Record<string, unknown>): { id: string; quantity: number; price?: number }[] {
  const list = (params.contents ?? params.items) as unknown;
  if (!Array.isArray(list)) return [];
  return list
    .filter((x): x is Record<string, unknown> => !!x && typeof x === "object")
    .map((x) => ({
      id: String(x.id ?? x.item_id ?? x.content_id ?? ""),
      quantity: Number(x.quantity ?? 1) || 1,
      ...(x.price !== undefined || x.item_price !== undefined ? { price: Number(x.price ?? x.item_price) } : {}),
    }))
    .filter((x) => x.id);
}

export function contentIds(params: Record<string, unknown>): string[] | undefined {
  if (Array.isArray(params.content_ids)) return params.content_ids.map(String);
  const fromItems = items(params).map((i) => i.id);
  return fromItems.length ? fromItems : undefined;
}

export function num(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Drops undefined values, so payloads carry only what is known. */
export function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  // A plain loop: this runs for every field of every event sent (Object.entries/fromEntries cost 4 % of a worker).
  const out: Record<string, unknown> = {};
  for (const key in o) {
    const v = o[key];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) out[key] = v;
  }
  return out as Partial<T>;
}

const DAY_MS = 24 * 3600 * 1000;

/** A duration as a person says it: "72 hours", "7 days". */
export function span(ms: number): string {
  return ms % DAY_MS === 0 && ms >= 7 * DAY_MS ? `${ms / DAY_MS} days` : `${Math.round(ms / 3600_000)} hours`;
}

/** Why the platform would refuse this event for its age, or null. */
export function ageProblem(adapter: Adapter, job: Job, now = Date.now()): string | null {
  if (!adapter.maxAgeMs) return null;
  const age = now - job.event.eventTime.getTime();
  return age > adapter.maxAgeMs ? `${adapter.label} takes events up to ${span(adapter.maxAgeMs)} old, and this one is ${span(age)} old: it would be refused` : null;
}
