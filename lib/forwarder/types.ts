// What a destination adapter sees and returns. One file per destination in
// lib/forwarder/destinations/, each speaking its platform's documented contract.
import type { HashedUserData } from "../collector/hash";

export type Job = {
  deliveryId: string;
  destinationId: string;
  /** the event's name at this destination (Purchase, CompletePayment, purchase…) */
  eventName: string;
  target: { ids: Record<string, string>; testEventCode?: string; test: boolean };
  event: {
    name: string;
    eventId: string;
    orderId: string | null;
    params: Record<string, unknown>;
    userData: HashedUserData;
    context: { url?: string; referrer?: string; title?: string };
    eventTime: Date;
    source: string;
  };
};

export type HttpRequest = { url: string; headers: Record<string, string>; body: string };

export type Adapter = {
  platform: string;
  /** Events per request, within the platform's limit. */
  maxBatch: number;
  /** Jobs that may share one request must share this key (GA4: one client per request). */
  groupKey?: (job: Job) => string;
  /** Why the platform would refuse this event whatever we do (no identifier at all), or null. Checked before batching. */
  refuse?(job: Job): string | null;
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

export function baseUrl(name: string, fallback: string): string {
  return (process.env[name] || fallback).replace(/\/$/, "");
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
