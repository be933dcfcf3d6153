// Local stand-ins for the platforms the forwarder talks to: plain node:http servers on
// 127.0.0.1 that speak each platform's documented contract (paths, headers, payload
// shape), record everything they receive, count every event_id, and can be scripted to
// fail the way the real ones do. The forwarder reaches them through the base-URL
// settings (TAGPIPE_META_BASE_URL …); the webhook through its configured URL.
//
//   Meta CAPI      POST /{version}/{pixel_id}/events            JSON { data[], access_token, test_event_code? }
//                  200 { events_received, fbtrace_id }; errors 4xx/5xx { error: { message, type, code, fbtrace_id } }
//   TikTok         POST /open_api/v1.3/event/track/             Access-Token header; { event_source, event_source_id, data[] }
//                  HTTP 200 always for API errors: { code: 0 | <error code>, message, request_id }
//   GA4 MP         POST /mp/collect?measurement_id&api_secret   204, whatever the payload (GA4 never says)
//                  POST /debug/mp/collect?…                     200 { validationMessages: [] }
//   Google Ads     POST /{version}/customers/{id}:uploadClickConversions  developer-token + Bearer; 200 { results[], jobId }
//                  POST /{version}/customers/{id}:uploadConversionAdjustments (ENHANCEMENT by order id); 200 { results[] }
//                  partialFailure: true, so refused conversions come inside a 200: { partialFailureError:
//                  { code, message, details: [{ errors: [{ errorCode, message, location: { fieldPathElements:
//                  [{ fieldName: "conversions" | "conversion_adjustments", index }] } }] }] }, results[] } with an
//                  empty result per refused one
//   Google OAuth   POST /token (form: grant_type=refresh_token, client_id, client_secret, refresh_token), on the
//                  Google Ads stand-in: 200 { access_token, expires_in, scope, token_type: "Bearer" } or
//                  400 { error: "invalid_grant" | "invalid_client", error_description }. The Google Ads API answers
//                  401 UNAUTHENTICATED to a bearer it did not issue or that expired.
//   Pinterest      POST /v5/ad_accounts/{ad_account_id}/events[?test=true]  Bearer token; { data[] ≤ 1000 }
//                  200 { num_events_received, num_events_processed, events: [{ status, error_message, warning_message }] }
//   Snapchat       POST /v3/{pixel_id}/events?access_token=…     { data[] } (Meta's shape, action_source WEB)
//                  200 { status: "SUCCESS" }; errors { status: "FAILED", reason }
//   Webhook        POST /hooks/…                                X-Tagpipe-Timestamp + X-Tagpipe-Signature (HMAC-SHA256)
//
// A contract violation is answered the way the platform would (Meta 400, TikTok code
// 40002, …) and recorded in `violations`, which every spec asserts to be empty.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Platform = "meta" | "tiktok" | "ga4" | "google_ads" | "pinterest" | "snapchat" | "webhook";

export type Received = {
  platform: Platform;
  /** Who sent it, when the sender's base URL was env(sender): /_sender/<name> before the platform's path. */
  sender?: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: unknown;
  /** event_ids in this request, in order */
  eventIds: string[];
  /** when the request arrived (ms since epoch) */
  at: number;
  /** what the stand-in answered; null while pending or when the client went away first */
  status: number | null;
  /** true when the answer reached a live connection and said "accepted" */
  acknowledged: boolean;
  /** why the stand-in answered with a failure (scripted, or a contract violation) */
  failure?: string;
  /** event_ids the platform refused inside an accepted answer (Google Ads' partial failure): not delivered */
  refusedIds: string[];
};

/** A Google Ads error for one conversion of an upload, as partialFailureError lists it. */
export type AdsError = { errorCode: Record<string, string>; message: string; /** the conversion's field at fault, e.g. "gclid" */ field?: string };

/** How the next requests fail: an HTTP status (with Retry-After), or TikTok's 200 + error code. */
export type Failure = {
  status: number;
  retryAfter?: number;
  tiktokCode?: number;
  message?: string;
  metaCode?: number;
  transient?: boolean;
  /** the answer's body as it is, e.g. a proxy's error page in front of the platform */
  rawBody?: string;
};

type Script = { failure: Failure; remaining: number };
/** Google Ads conversions to refuse, by order id. */
type Refusals = Map<string, { error: AdsError; remaining: number }>;

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };
const HEX64 = /^[a-f0-9]{64}$/;

export class StandIn {
  readonly received: Received[] = [];
  readonly violations: string[] = [];
  url = "";
  /** Milliseconds to wait before answering (a slow platform). */
  delayMs = 0;
  /** Secret the webhook stand-in verifies signatures with. */
  webhookSecret = "";
  /** Google OAuth: how long issued access tokens live, in seconds. */
  tokenTtlSeconds = 3600;
  /** Google OAuth: the token requests received, in order. */
  readonly tokenRequests: { at: number; form: Record<string, string>; status: number }[] = [];
  /** Google OAuth: the one client and refresh token it knows (others get invalid_client / invalid_grant). */
  oauthClient = { clientId: "ads-client.apps.googleusercontent.com", clientSecret: "ads-client-secret", refreshToken: "1//ads-refresh-token" };
  private tokens = new Map<string, number>();
  private scripts: Script[] = [];
  private refusals: Refusals = new Map();
  private server: http.Server | null = null;
  private waiters: (() => void)[] = [];

  constructor(readonly platform: Platform) {}

  /**
   * Fails the next `times` requests with `failure` (Infinity: until recover()). Scripts
   * queue: fail({500}, 2) then fail({429, retryAfter: 2}, 1) answers 500, 500, 429, then 200.
   */
  fail(failure: Failure, times = Infinity): this {
    this.scripts.push({ failure, remaining: times });
    return this;
  }

  /**
   * Google Ads: the conversion with this order id is refused inside a 200 (partial
   * failure) in the next `times` uploads that carry it (Infinity: until recover()); the
   * other conversions of those uploads are taken.
   */
  refuseConversion(orderId: string, error: AdsError, times = Infinity): this {
    this.refusals.set(orderId, { error, remaining: times });
    return this;
  }

  /** Google OAuth: every access token issued so far stops working (as after a revocation). */
  revokeAccessTokens(): this {
    this.tokens.clear();
    return this;
  }

  /** Answers normally again (drops every queued failure). */
  recover(): this {
    this.scripts = [];
    this.refusals.clear();
    return this;
  }

  /** Every event_id → how many requests carried it (sent), whatever was answered. */
  sentCounts(): Map<string, number> {
    return count(this.received.flatMap((r) => r.eventIds));
  }

  /** Every event_id → how many accepting answers reached the sender. Exactly-once means all 1. */
  deliveredCounts(): Map<string, number> {
    return count(this.received.filter((r) => r.acknowledged).flatMap((r) => r.eventIds.filter((id) => !r.refusedIds.includes(id))));
  }

  /** Requests that were answered with success. */
  acknowledged(): Received[] {
    return this.received.filter((r) => r.acknowledged);
  }

  /** The parsed bodies of the data[]/events[] entries of every acknowledged request (less the ones refused inside it). */
  deliveredEvents(): Record<string, unknown>[] {
    return this.acknowledged().flatMap((r) => entries(this.platform, r.body).filter((e) => !r.refusedIds.includes(e.event_id as string)));
  }

  /** Resolves once `predicate` holds (checked on every request), or rejects after timeoutMs. */
  async waitFor(predicate: () => boolean, timeoutMs = 20_000, what = "the stand-in's condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.platform} stand-in: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until every given event_id was delivered (acknowledged) at least once. */
  waitForDelivered(eventIds: string[], timeoutMs = 20_000): Promise<void> {
    return this.waitFor(
      () => {
        const delivered = this.deliveredCounts();
        return eventIds.every((id) => delivered.has(id));
      },
      timeoutMs,
      `${eventIds.length} event_ids to be delivered (have ${eventIds.filter((id) => this.deliveredCounts().has(id)).length})`,
    );
  }

  /** Forgets what was received (scripts stay). */
  reset(): void {
    this.received.length = 0;
    this.violations.length = 0;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Google's token endpoint: a refresh token for an access token that lives tokenTtlSeconds. */
  private token(req: http.IncomingMessage, raw: string, res: http.ServerResponse): void {
    const form = Object.fromEntries(new URLSearchParams(raw));
    const c = this.oauthClient;
    const answer =
      req.method !== "POST" || !String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded") ? oauthError(400, "invalid_request", "POST a form")
      : form.grant_type !== "refresh_token" ? oauthError(400, "unsupported_grant_type", `Invalid grant_type: ${form.grant_type ?? ""}`)
      : form.client_id !== c.clientId || form.client_secret !== c.clientSecret ? oauthError(401, "invalid_client", "The OAuth client was not found.")
      : form.refresh_token !== c.refreshToken ? oauthError(400, "invalid_grant", "Token has been expired or revoked.")
      : null;
    let status: number;
    let body: string;
    if (answer) ({ status, body } = answer);
    else {
      const token = `ya29.stand-in.${crypto.randomBytes(12).toString("base64url")}`;
      this.tokens.set(token, Date.now() + this.tokenTtlSeconds * 1000);
      status = 200;
      body = JSON.stringify({ access_token: token, expires_in: this.tokenTtlSeconds, scope: "https://www.googleapis.com/auth/adwords", token_type: "Bearer" });
    }
    this.tokenRequests.push({ at: Date.now(), form, status });
    res.writeHead(status, JSON_HEADERS);
    res.end(body);
    this.notify();
  }

  private notify(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      // The sender died mid-body (a SIGKILLed worker): no request reached the platform. Left
      // uncaught, the "aborted" error would fail the run as an unhandled rejection.
      return;
    }
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://stand-in");
    const tagged = /^\/_sender\/([^/]+)(\/.*)$/.exec(url.pathname);
    if (this.platform === "google_ads" && (tagged ? tagged[2] : url.pathname) === "/token") return this.token(req, raw, res);
    let body: unknown = null;
    try {
      body = raw ? JSON.parse(raw) : null;
    } catch {
      body = raw;
    }
    const record: Received = {
      platform: this.platform,
      ...(tagged ? { sender: tagged[1] } : {}),
      method: req.method ?? "",
      path: tagged ? tagged[2] : url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      raw,
      body,
      eventIds: entries(this.platform, body)
        .map((e) => e.event_id ?? (e.params as Record<string, unknown> | undefined)?.event_id)
        .filter((id): id is string => typeof id === "string"),
      at: Date.now(),
      status: null,
      acknowledged: false,
      refusedIds: [],
    };
    this.received.push(record);
    // The client may go away while we wait (a killed worker): then nothing was answered.
    let gone = false;
    res.on("close", () => {
      if (!res.writableFinished) gone = true;
    });
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));

    const problems = req.method === "POST" ? check(this.platform, record, this.webhookSecret) : [`${req.method} is not POST`];
    let answer: { status: number; headers: Record<string, string>; body: string; ok: boolean };
    const script = this.scripts[0];
    const bearer = /^Bearer (\S+)$/.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
    if (this.platform === "google_ads" && !problems.length && !((this.tokens.get(bearer) ?? 0) > Date.now())) {
      // Not a problem of the sender's contract: Google's answer to an expired or unknown token.
      record.failure = "401: the access token is unknown or expired";
      answer = {
        status: 401,
        headers: JSON_HEADERS,
        body: JSON.stringify({ error: { code: 401, message: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.", status: "UNAUTHENTICATED" } }),
        ok: false,
      };
    } else if (problems.length) {
      this.violations.push(...problems.map((p) => `${this.platform} ${record.path}: ${p}`));
      record.failure = problems.join("; ");
      answer = rejection(this.platform, { status: 400, message: problems.join("; ") });
    } else if (script) {
      if (--script.remaining <= 0) this.scripts.shift();
      record.failure = `scripted ${script.failure.status}${script.failure.tiktokCode ? ` code ${script.failure.tiktokCode}` : ""}`;
      answer = rejection(this.platform, script.failure);
    } else {
      answer = success(this.platform, record, this.refusals);
    }

    if (gone || res.destroyed) {
      this.notify();
      return;
    }
    record.status = answer.status;
    res.on("finish", () => {
      record.acknowledged = answer.ok;
      this.notify();
    });
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }
}

function oauthError(status: number, error: string, description: string) {
  return { status, body: JSON.stringify({ error, error_description: description }) };
}

function count(ids: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

/** The per-event entries of a platform's request body. */
function entries(platform: Platform, body: unknown): Record<string, unknown>[] {
  if (!body || typeof body !== "object") return [];
  const b = body as Record<string, unknown>;
  const list =
    platform === "meta" || platform === "tiktok" || platform === "pinterest" || platform === "snapchat" ? b.data
    : platform === "ga4" || platform === "webhook" ? b.events
    : (b.conversions ?? b.conversionAdjustments);
  if (!Array.isArray(list)) return [];
  if (platform === "google_ads") {
    // Google Ads has no event_id: the order id identifies a conversion.
    return list.map((c: Record<string, unknown>) => ({ ...c, event_id: c.orderId }));
  }
  return list as Record<string, unknown>[];
}

function success(platform: Platform, r: Received, refusals: Refusals): { status: number; headers: Record<string, string>; body: string; ok: boolean } {
  const n = entries(platform, r.body).length;
  switch (platform) {
    case "meta":
      return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ events_received: n, messages: [], fbtrace_id: trace() }), ok: true };
    case "tiktok":
      return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ code: 0, message: "OK", request_id: trace(), data: {} }), ok: true };
    case "ga4":
      return r.path.startsWith("/debug/")
        ? { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ validationMessages: [] }), ok: true }
        : { status: 204, headers: {}, body: "", ok: true };
    case "google_ads":
      return adsAnswer(r, refusals);
    case "pinterest":
      return {
        status: 200,
        headers: JSON_HEADERS,
        body: JSON.stringify({ num_events_received: n, num_events_processed: n, events: Array.from({ length: n }, () => ({ status: "processed", error_message: null, warning_message: null })) }),
        ok: true,
      };
    case "snapchat":
      return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ status: "SUCCESS" }), ok: true };
    case "webhook":
      return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ received: n }), ok: true };
  }
}

/**
 * An uploadClickConversions answer: a ClickConversionResult per conversion, or, for the
 * ones refused, an empty result and an error in partialFailureError located by index.
 */
function adsAnswer(r: Received, refusals: Refusals): { status: number; headers: Record<string, string>; body: string; ok: boolean } {
  const errors: Record<string, unknown>[] = [];
  const enhancement = r.path.endsWith(":uploadConversionAdjustments");
  const results = entries("google_ads", r.body).map((c, index) => {
    const refusal = refusals.get(String(c.orderId));
    if (refusal && refusal.remaining > 0) {
      refusal.remaining -= 1;
      r.refusedIds.push(String(c.orderId));
      const list = enhancement ? "conversion_adjustments" : "conversions";
      const path = [{ fieldName: list, index }, ...(refusal.error.field ? [{ fieldName: refusal.error.field }] : [])];
      errors.push({ errorCode: refusal.error.errorCode, message: refusal.error.message, location: { fieldPathElements: path } });
      return {};
    }
    return enhancement
      ? compactResult({ orderId: c.orderId, conversionAction: c.conversionAction, adjustmentType: c.adjustmentType, gclidDateTimePair: c.gclidDateTimePair })
      : compactResult({ gclid: c.gclid, conversionAction: c.conversionAction, conversionDateTime: c.conversionDateTime, userIdentifiers: c.userIdentifiers });
  });
  const jobId = String(1 + Math.floor(Math.random() * 2 ** 31));
  if (!errors.length) return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(enhancement ? { results } : { results, jobId }), ok: true };
  r.failure = `partial failure: ${r.refusedIds.join(", ")}`;
  const where = (e: Record<string, unknown>) =>
    ((e.location as { fieldPathElements: { fieldName: string; index?: number }[] }).fieldPathElements).map((p) => (p.index !== undefined ? `${p.fieldName}[${p.index}]` : p.fieldName)).join(".");
  const partialFailureError = {
    code: 3,
    message: errors.map((e) => `${e.message}, at ${where(e)}`).join("; "),
    details: [{ "@type": "type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure", errors, requestId: trace() }],
  };
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ partialFailureError, results, jobId }), ok: true };
}

function compactResult(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function rejection(platform: Platform, f: Failure): { status: number; headers: Record<string, string>; body: string; ok: boolean } {
  const headers: Record<string, string> = { ...JSON_HEADERS, ...(f.retryAfter !== undefined ? { "retry-after": String(f.retryAfter) } : {}) };
  if (f.rawBody !== undefined) return { status: f.status, headers: { ...headers, "content-type": "text/html" }, body: f.rawBody, ok: false };
  const message = f.message ?? (f.status === 429 ? "Too many requests" : f.status >= 500 ? "An unexpected error has occurred. Please retry your request later." : "Invalid parameter");
  if (platform === "tiktok" && f.tiktokCode !== undefined) {
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ code: f.tiktokCode, message, request_id: trace(), data: {} }), ok: false };
  }
  if (platform === "tiktok" && f.status === 400) {
    // TikTok reports bad requests inside a 200.
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify({ code: 40002, message, request_id: trace(), data: {} }), ok: false };
  }
  if (platform === "meta") {
    const code = f.metaCode ?? (f.status === 429 ? 4 : f.status >= 500 ? 2 : 100);
    const error = { message, type: f.status >= 500 ? "FacebookApiException" : "OAuthException", code, ...(f.transient !== undefined ? { is_transient: f.transient } : {}), fbtrace_id: trace() };
    return { status: f.status, headers, body: JSON.stringify({ error }), ok: false };
  }
  if (platform === "google_ads") {
    return { status: f.status, headers, body: JSON.stringify({ error: { code: f.status, message, status: f.status === 429 ? "RESOURCE_EXHAUSTED" : f.status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT" } }), ok: false };
  }
  if (platform === "pinterest") return { status: f.status, headers, body: JSON.stringify({ code: f.status === 401 ? 2 : 1, message }), ok: false };
  if (platform === "snapchat") return { status: f.status, headers, body: JSON.stringify({ status: "FAILED", reason: message }), ok: false };
  return { status: f.status, headers, body: JSON.stringify({ error: message }), ok: false };
}

function trace(): string {
  return crypto.randomBytes(8).toString("base64url");
}

// ---- contract checks: what each platform documents, as far as a sender can get it wrong ----

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
/** Event names GA4 keeps for itself (Measurement Protocol reference, "reserved names"). */
const GA4_RESERVED = new Set(["ad_activeview", "ad_click", "ad_exposure", "ad_impression", "ad_query", "ad_reward", "adunit_exposure", "app_background", "app_clear_data", "app_exception", "app_remove", "app_store_refund", "app_store_subscription_cancel", "app_store_subscription_convert", "app_store_subscription_renew", "app_update", "app_upgrade", "dynamic_link_app_open", "dynamic_link_app_update", "dynamic_link_first_open", "error", "first_open", "first_visit", "in_app_purchase", "notification_dismiss", "notification_foreground", "notification_open", "notification_receive", "os_update", "session_start", "session_start_with_rollout", "user_engagement"]);
const now = () => Math.floor(Date.now() / 1000);
/** The Pinterest Conversions API's event names. */
const PINTEREST_EVENTS = new Set(["add_payment_info", "add_to_cart", "add_to_wishlist", "app_install", "app_open", "checkout", "custom", "lead", "page_visit", "search", "signup", "view_category", "watch_video"]);

function checkTime(where: string, t: unknown, problems: string[]): void {
  if (typeof t !== "number" || !Number.isInteger(t)) problems.push(`${where}.event_time must be a unix time in seconds`);
  else if (t > now() + 60) problems.push(`${where}.event_time is in the future`);
  else if (t < now() - 7 * 24 * 3600) problems.push(`${where}.event_time is older than 7 days`);
}

function checkHashes(where: string, o: Record<string, unknown>, fields: string[], problems: string[], asList: boolean): void {
  for (const f of fields) {
    const v = o[f];
    if (v === undefined) continue;
    const list = asList ? v : [v];
    if (!Array.isArray(list) || list.length === 0) problems.push(`${where}.${f} must be ${asList ? "a list of " : ""}SHA-256 hashes`);
    else for (const h of list) if (typeof h !== "string" || !HEX64.test(h)) problems.push(`${where}.${f} must be a lower-case SHA-256 hex digest`);
  }
}

function check(platform: Platform, r: Received, webhookSecret: string): string[] {
  const problems: string[] = [];
  const b = r.body;
  if (!isObject(b)) return ["the body is not a JSON object"];
  if (!String(r.headers["content-type"] ?? "").startsWith("application/json")) problems.push("content-type must be application/json");
  switch (platform) {
    case "meta": {
      if (!/^\/v\d+\.\d+\/\d{5,20}\/events$/.test(r.path)) problems.push("the path must be /{api-version}/{pixel_id}/events");
      if (typeof b.access_token !== "string" && !r.query.access_token) problems.push("access_token is missing");
      if (b.test_event_code !== undefined && (typeof b.test_event_code !== "string" || !b.test_event_code)) problems.push("test_event_code must be a non-empty string");
      if (!Array.isArray(b.data) || b.data.length === 0 || b.data.length > 1000) {
        problems.push("data must hold 1 to 1000 events");
        break;
      }
      b.data.forEach((e: unknown, i: number) => {
        const w = `data[${i}]`;
        if (!isObject(e)) return problems.push(`${w} is not an object`);
        if (typeof e.event_name !== "string" || !e.event_name) problems.push(`${w}.event_name is required`);
        checkTime(w, e.event_time, problems);
        if (e.event_id !== undefined && typeof e.event_id !== "string") problems.push(`${w}.event_id must be a string`);
        if (!["website", "app", "email", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other"].includes(String(e.action_source))) problems.push(`${w}.action_source is not one of Meta's values`);
        // (Meta asks website events for event_source_url and client_user_agent, but accepts
        // events without them: they only count less for optimisation.)
        if (!isObject(e.user_data)) return problems.push(`${w}.user_data is required`);
        const u = e.user_data;
        checkHashes(`${w}.user_data`, u, ["em", "ph", "fn", "ln", "ct", "st", "zp", "country", "external_id"], problems, true);
        const identifying = ["em", "ph", "external_id", "fbp", "fbc", "client_ip_address"].some((k) => u[k] !== undefined);
        if (!identifying) problems.push(`${w}.user_data needs at least one customer information parameter`);
        if (u.fbc !== undefined && !/^fb\.\d\.\d+\..+$/.test(String(u.fbc))) problems.push(`${w}.user_data.fbc must be fb.<subdomain>.<creation ms>.<fbclid>`);
        if (e.custom_data !== undefined) {
          if (!isObject(e.custom_data)) return problems.push(`${w}.custom_data must be an object`);
          const c = e.custom_data;
          if (c.value !== undefined && typeof c.value !== "number") problems.push(`${w}.custom_data.value must be a number`);
          if (c.currency !== undefined && !/^[A-Z]{3}$/.test(String(c.currency))) problems.push(`${w}.custom_data.currency must be an ISO 4217 code`);
          if (e.event_name === "Purchase" && (typeof c.value !== "number" || c.currency === undefined)) problems.push(`${w}: Purchase needs custom_data.value and currency`);
          if (c.content_ids !== undefined && !(Array.isArray(c.content_ids) && c.content_ids.every((x) => typeof x === "string"))) problems.push(`${w}.custom_data.content_ids must be a list of strings`);
          if (c.order_id !== undefined && (typeof c.order_id !== "string" || !c.order_id)) problems.push(`${w}.custom_data.order_id must be a non-empty string`);
        }
      });
      break;
    }
    case "tiktok": {
      if (r.path !== "/open_api/v1.3/event/track/") problems.push("the path must be /open_api/v1.3/event/track/");
      if (!r.headers["access-token"]) problems.push("the Access-Token header is missing");
      if (b.event_source !== "web") problems.push('event_source must be "web"');
      if (typeof b.event_source_id !== "string" || !b.event_source_id) problems.push("event_source_id (the pixel code) is required");
      if (!Array.isArray(b.data) || b.data.length === 0 || b.data.length > 1000) {
        problems.push("data must hold 1 to 1000 events");
        break;
      }
      b.data.forEach((e: unknown, i: number) => {
        const w = `data[${i}]`;
        if (!isObject(e)) return problems.push(`${w} is not an object`);
        if (typeof e.event !== "string" || !e.event) problems.push(`${w}.event is required`);
        checkTime(w, e.event_time, problems);
        if (typeof e.event_id !== "string") problems.push(`${w}.event_id is required for deduplication`);
        if (e.user !== undefined) {
          if (!isObject(e.user)) return problems.push(`${w}.user must be an object`);
          checkHashes(`${w}.user`, e.user, ["email", "phone", "external_id"], problems, false);
        }
        if (e.properties !== undefined && isObject(e.properties)) {
          const p = e.properties;
          if (p.value !== undefined && typeof p.value !== "number") problems.push(`${w}.properties.value must be a number`);
          if (p.currency !== undefined && !/^[A-Z]{3}$/.test(String(p.currency))) problems.push(`${w}.properties.currency must be an ISO 4217 code`);
        }
      });
      break;
    }
    case "ga4": {
      if (r.path !== "/mp/collect" && r.path !== "/debug/mp/collect") problems.push("the path must be /mp/collect or /debug/mp/collect");
      if (!/^G-[A-Z0-9]+$/.test(r.query.measurement_id ?? "")) problems.push("measurement_id is missing from the query");
      if (!r.query.api_secret) problems.push("api_secret is missing from the query");
      if (typeof b.client_id !== "string" || !b.client_id) problems.push("client_id is required");
      if (!Array.isArray(b.events) || b.events.length === 0 || b.events.length > 25) {
        problems.push("events must hold 1 to 25 events");
        break;
      }
      if (b.user_data !== undefined && isObject(b.user_data)) {
        checkHashes("user_data", b.user_data, ["sha256_email_address", "sha256_phone_number"], problems, true);
      }
      b.events.forEach((e: unknown, i: number) => {
        const w = `events[${i}]`;
        if (!isObject(e)) return problems.push(`${w} is not an object`);
        if (typeof e.name !== "string" || !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(e.name)) problems.push(`${w}.name is not a valid GA4 event name`);
        else if (GA4_RESERVED.has(e.name) || /^(firebase_|ga_|google_|gtag\.)/.test(e.name)) problems.push(`${w}.name is reserved by GA4`);
        // Event-level timestamps override the request's; either may go back 72 hours at most.
        const micros = e.timestamp_micros ?? b.timestamp_micros;
        if (micros !== undefined) {
          if (typeof micros !== "number" || !Number.isInteger(micros) || micros < 1e15) problems.push(`${w}.timestamp_micros must be unix microseconds`);
          else if (micros > (Date.now() + 60_000) * 1000 || micros < (Date.now() - 72 * 3600_000) * 1000) problems.push(`${w}.timestamp_micros is not within the last 72 hours`);
        }
        const p = e.params;
        if (p === undefined) return;
        if (!isObject(p)) return problems.push(`${w}.params must be an object`);
        if (Object.keys(p).length > 25) problems.push(`${w}.params has more than 25 parameters`);
        for (const [k, v] of Object.entries(p)) {
          if (k.length > 40) problems.push(`${w}.params.${k.slice(0, 40)}…: parameter names have at most 40 characters`);
          if (typeof v === "string" && v.length > (k === "page_location" ? 1000 : 100)) problems.push(`${w}.params.${k} is longer than GA4 takes`);
        }
        if (Array.isArray(p.items)) p.items.forEach((item, j) => isObject(item) && typeof item.item_id === "string" && item.item_id.length > 100 && problems.push(`${w}.params.items[${j}].item_id is longer than 100 characters`));
        if ("transaction_id" in p && (typeof p.transaction_id !== "string" || !p.transaction_id.trim())) problems.push(`${w}.params.transaction_id must not be empty`);
        if (p.value !== undefined && typeof p.value !== "number") problems.push(`${w}.params.value must be a number`);
        if (p.value !== undefined && p.currency === undefined) problems.push(`${w}.params: value needs currency`);
      });
      break;
    }
    case "google_ads": {
      const method = /^\/v\d+\/customers\/\d+:(uploadClickConversions|uploadConversionAdjustments)$/.exec(r.path)?.[1];
      if (!method) problems.push("the path must be /{version}/customers/{customer_id}:uploadClickConversions or :uploadConversionAdjustments");
      if (!r.headers["developer-token"]) problems.push("the developer-token header is missing");
      if (!/^Bearer \S+$/.test(String(r.headers.authorization ?? ""))) problems.push("the Authorization: Bearer header is missing");
      if (r.headers["login-customer-id"] !== undefined && !/^\d{10}$/.test(String(r.headers["login-customer-id"]))) problems.push("login-customer-id must be 10 digits without dashes");
      if (b.partialFailure !== true) problems.push("partialFailure must be true");
      const customer = /^\/v\d+\/customers\/(\d+):/.exec(r.path)?.[1];
      const dateTime = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d$/;
      // Uploads carry conversions; enhancements carry adjustments of the tag's conversions.
      const list = method === "uploadConversionAdjustments" ? "conversionAdjustments" : "conversions";
      const sent = b[list];
      if (!Array.isArray(sent) || sent.length === 0 || sent.length > 2000) {
        problems.push(`${list} must hold 1 to 2000 entries`);
        break;
      }
      sent.forEach((c: unknown, i: number) => {
        const w = `${list}[${i}]`;
        if (!isObject(c)) return problems.push(`${w} is not an object`);
        if (!/^customers\/\d+\/conversionActions\/\d+$/.test(String(c.conversionAction))) problems.push(`${w}.conversionAction must be customers/{customer_id}/conversionActions/{conversion_action_id}, both numbers`);
        else if (customer && !String(c.conversionAction).startsWith(`customers/${customer}/`)) problems.push(`${w}.conversionAction belongs to another customer than the request's`);
        const ids = c.userIdentifiers;
        const hasIds = Array.isArray(ids) && ids.length > 0;
        if (ids !== undefined && (!Array.isArray(ids) || ids.length > 5)) problems.push(`${w}.userIdentifiers must be a list of at most 5`);
        else if (Array.isArray(ids)) {
          ids.forEach((u, j) => {
            if (!isObject(u)) return;
            checkHashes(`${w}.userIdentifiers[${j}]`, u, ["hashedEmail", "hashedPhoneNumber"], problems, false);
            if (u.userIdentifierSource !== undefined && u.userIdentifierSource !== "FIRST_PARTY" && u.userIdentifierSource !== "THIRD_PARTY") problems.push(`${w}.userIdentifiers[${j}].userIdentifierSource is not a source`);
          });
        }
        if (list === "conversionAdjustments") {
          if (c.adjustmentType !== "ENHANCEMENT") problems.push(`${w}.adjustmentType must be ENHANCEMENT`);
          // An enhancement finds the tag's conversion by its order id.
          if (typeof c.orderId !== "string" || !c.orderId) problems.push(`${w}.orderId is required for an enhancement`);
          if (!hasIds) problems.push(`${w} needs user identifiers to enhance the conversion`);
          const pair = c.gclidDateTimePair;
          if (pair !== undefined && (!isObject(pair) || typeof pair.gclid !== "string" || !dateTime.test(String(pair.conversionDateTime)))) problems.push(`${w}.gclidDateTimePair must be { gclid, conversionDateTime: yyyy-mm-dd hh:mm:ss+hh:mm }`);
          if ("conversionValue" in c || "conversionDateTime" in c || "gclid" in c) problems.push(`${w} carries click-conversion fields an adjustment does not have`);
        } else {
          if (!dateTime.test(String(c.conversionDateTime))) problems.push(`${w}.conversionDateTime must be yyyy-mm-dd hh:mm:ss+hh:mm`);
          if (c.orderId !== undefined && (typeof c.orderId !== "string" || !c.orderId)) problems.push(`${w}.orderId must be a non-empty string`);
          if (c.conversionValue !== undefined && typeof c.conversionValue !== "number") problems.push(`${w}.conversionValue must be a number`);
          if (c.gclid === undefined && !hasIds) problems.push(`${w} needs a gclid or user identifiers`);
        }
      });
      break;
    }
    case "pinterest": {
      if (!/^\/v5\/ad_accounts\/\d+\/events$/.test(r.path)) problems.push("the path must be /v5/ad_accounts/{ad_account_id}/events");
      if (!/^Bearer \S+$/.test(String(r.headers.authorization ?? ""))) problems.push("the Authorization: Bearer header is missing");
      if (r.query.test !== undefined && r.query.test !== "true" && r.query.test !== "false") problems.push("test must be true or false");
      if (!Array.isArray(b.data) || b.data.length === 0 || b.data.length > 1000) {
        problems.push("data must hold 1 to 1000 events");
        break;
      }
      b.data.forEach((e: unknown, i: number) => {
        const w = `data[${i}]`;
        if (!isObject(e)) return problems.push(`${w} is not an object`);
        if (!PINTEREST_EVENTS.has(String(e.event_name))) problems.push(`${w}.event_name is not one of Pinterest's events`);
        if (!["web", "app_android", "app_ios", "offline"].includes(String(e.action_source))) problems.push(`${w}.action_source is not one of Pinterest's values`);
        checkTime(w, e.event_time, problems);
        if (typeof e.event_id !== "string" || !e.event_id) problems.push(`${w}.event_id is required for deduplication with the tag`);
        if (!isObject(e.user_data)) return problems.push(`${w}.user_data is required`);
        const u = e.user_data;
        checkHashes(`${w}.user_data`, u, ["em", "ph", "fn", "ln", "ct", "st", "zp", "country", "external_id"], problems, true);
        if (!u.em && !u.hashed_maids && !(u.client_ip_address && u.client_user_agent)) problems.push(`${w}.user_data needs em, hashed_maids, or client_ip_address with client_user_agent`);
        if (isObject(e.custom_data)) {
          const c = e.custom_data;
          if (c.value !== undefined && (typeof c.value !== "string" || !Number.isFinite(Number(c.value)))) problems.push(`${w}.custom_data.value must be a number as a string`);
          if (c.currency !== undefined && !/^[A-Z]{3}$/.test(String(c.currency))) problems.push(`${w}.custom_data.currency must be an ISO 4217 code`);
        }
      });
      break;
    }
    case "snapchat": {
      if (!/^\/v3\/[0-9a-f-]{36}\/events$/i.test(r.path)) problems.push("the path must be /v3/{pixel_id}/events");
      if (!r.query.access_token) problems.push("access_token is missing from the query");
      if (!Array.isArray(b.data) || b.data.length === 0 || b.data.length > 2000) {
        problems.push("data must hold 1 to 2000 events");
        break;
      }
      b.data.forEach((e: unknown, i: number) => {
        const w = `data[${i}]`;
        if (!isObject(e)) return problems.push(`${w} is not an object`);
        if (typeof e.event_name !== "string" || !/^[A-Z0-9_]+$/.test(e.event_name)) problems.push(`${w}.event_name must be one of Snap's event names (PURCHASE, ADD_CART…)`);
        if (!["WEB", "MOBILE_APP", "OFFLINE"].includes(String(e.action_source))) problems.push(`${w}.action_source must be WEB, MOBILE_APP or OFFLINE`);
        if (typeof e.event_time !== "number" || !Number.isInteger(e.event_time)) problems.push(`${w}.event_time must be a unix time in seconds`);
        else if (e.event_time > now() + 60 || e.event_time < now() - 37 * 24 * 3600) problems.push(`${w}.event_time is not within the last 37 days`);
        if (typeof e.event_id !== "string" || !e.event_id) problems.push(`${w}.event_id is required for deduplication with the pixel`);
        if (!isObject(e.user_data)) return problems.push(`${w}.user_data is required`);
        checkHashes(`${w}.user_data`, e.user_data, ["em", "ph", "fn", "ln", "ct", "st", "zp", "country", "external_id"], problems, true);
        if (isObject(e.custom_data)) {
          const c = e.custom_data;
          if (c.value !== undefined && typeof c.value !== "number") problems.push(`${w}.custom_data.value must be a number`);
          if (c.currency !== undefined && !/^[A-Z]{3}$/.test(String(c.currency))) problems.push(`${w}.custom_data.currency must be an ISO 4217 code`);
        }
      });
      break;
    }
    case "webhook": {
      const timestamp = String(r.headers["x-tagpipe-timestamp"] ?? "");
      const signature = String(r.headers["x-tagpipe-signature"] ?? "");
      if (!/^\d+$/.test(timestamp) || Math.abs(now() - Number(timestamp)) > 300) problems.push("X-Tagpipe-Timestamp is missing or not fresh");
      // Webhooks are always signed; with the secret known, the signature is checked too.
      if (!/^sha256=[a-f0-9]{64}$/.test(signature)) problems.push("X-Tagpipe-Signature is missing or not sha256=<hex>");
      else if (webhookSecret) {
        const expected = `sha256=${crypto.createHmac("sha256", webhookSecret).update(`${timestamp}.${r.raw}`).digest("hex")}`;
        const a = Buffer.from(signature);
        const e = Buffer.from(expected);
        if (a.length !== e.length || !crypto.timingSafeEqual(a, e)) problems.push("X-Tagpipe-Signature does not match the body");
      }
      if (!Array.isArray(b.events) || b.events.length === 0) problems.push("events must be a non-empty list");
      break;
    }
  }
  return problems;
}

/** The five stand-ins and the server environment that points the forwarder at them. */
export class StandIns {
  readonly meta = new StandIn("meta");
  readonly tiktok = new StandIn("tiktok");
  readonly ga4 = new StandIn("ga4");
  readonly googleAds = new StandIn("google_ads");
  readonly pinterest = new StandIn("pinterest");
  readonly snapchat = new StandIn("snapchat");
  readonly webhook = new StandIn("webhook");

  all(): StandIn[] {
    return [this.meta, this.tiktok, this.ga4, this.googleAds, this.pinterest, this.snapchat, this.webhook];
  }

  async start(): Promise<this> {
    await Promise.all(this.all().map((s) => s.start()));
    return this;
  }

  close(): Promise<void> {
    return Promise.all(this.all().map((s) => s.close())).then(() => undefined);
  }

  /** TAGPIPE_*_BASE_URL for the server and workers; with `sender`, each request records who sent it. */
  env(sender?: string): Record<string, string> {
    const tag = sender ? `/_sender/${encodeURIComponent(sender)}` : "";
    return {
      TAGPIPE_META_BASE_URL: this.meta.url + tag,
      TAGPIPE_TIKTOK_BASE_URL: this.tiktok.url + tag,
      TAGPIPE_GA4_BASE_URL: this.ga4.url + tag,
      TAGPIPE_GOOGLE_ADS_BASE_URL: this.googleAds.url + tag,
      TAGPIPE_GOOGLE_OAUTH_BASE_URL: this.googleAds.url + tag,
      TAGPIPE_PINTEREST_BASE_URL: this.pinterest.url + tag,
      TAGPIPE_SNAPCHAT_BASE_URL: this.snapchat.url + tag,
      // The webhook stand-in is http on 127.0.0.1: outside tests, webhooks need https to a public host.
      TAGPIPE_ALLOW_PRIVATE_WEBHOOKS: "1",
    };
  }

  /** Every contract violation any stand-in saw. */
  violations(): string[] {
    return this.all().flatMap((s) => s.violations);
  }

  /** Every raw request body any stand-in received (for PII scans). */
  rawBodies(): string[] {
    return this.all().flatMap((s) => s.received.map((r) => `${r.path}?${new URLSearchParams(r.query)}\n${JSON.stringify(r.headers)}\n${r.raw}`));
  }

  reset(): void {
    for (const s of this.all()) {
      s.reset();
      s.recover();
      s.delayMs = 0;
    }
  }
}

export function startStandIns(): Promise<StandIns> {
  return new StandIns().start();
}
