// The two doors events come in by. Browser: POST /api/collect (text/plain or JSON, a
// batch for one environment key, only from the site's hostnames). Server: POST
// /api/v1/events with the environment's server key. Both answer 202 only after the
// events are committed, with a result per event. Free of Node's request objects:
// server.ts adapts HTTP to these calls.
import { isbot } from "isbot";
import { hostMatches } from "../http/hosts";
import type { z } from "zod";
import { fieldProblems } from "../schemas/problems";
import { sha256Hex } from "../auth/secrets";
import { checked, mayHoldUnstorable, tooDeep, unchecked, type browserBatch } from "./schema";
import { intakeByPublicKey, intakeByServerKeyHash, type IntakeConfig } from "./intake-config";
import { prepareEvent, type RequestContext } from "./prepare";
import { applyReports, writeEvents } from "./writer";
import { uuidv7 } from "./ids";
import { collectLimits, type Refusal, type SharedLimit } from "./limits";

export const MAX_COLLECT_BYTES = 64 * 1024;
export const MAX_SERVER_BYTES = 1024 * 1024;

export type Reply = { status: number; headers: Record<string, string>; body: unknown };

export type IntakeRequest = {
  body: string;
  contentType: string;
  origin?: string;
  authorization?: string;
} & Omit<RequestContext, "now">;

/**
 * Bots, by isbot's maintained list. Its one large pattern costs ~2–8 µs a user agent;
 * a storefront's traffic repeats a few thousand user agents, so verdicts are kept
 * (bounded) and most requests pay a map lookup.
 */
const botVerdicts = new Map<string, boolean>();
export function isBot(userAgent: string): boolean {
  let verdict = botVerdicts.get(userAgent);
  if (verdict === undefined) {
    if (botVerdicts.size >= 5_000) botVerdicts.clear();
    botVerdicts.set(userAgent, (verdict = isbot(userAgent)));
  }
  return verdict;
}

function envInt(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const v = Number(raw);
  return raw !== undefined && raw.trim() !== "" && Number.isFinite(v) && v >= min ? v : fallback;
}

/** TAGPIPE_FORWARD_DELAY_MS: 0 is a valid setting (forward browser events at once). */
let forwardDelay: number | undefined;
const forwardDelayMs = () => (forwardDelay ??= envInt("TAGPIPE_FORWARD_DELAY_MS", 2_000, 0));
/** TAGPIPE_FILL_IN_WAIT_MS: how long a server copy for GA4/Google Ads (browser_fill_in) waits for a browser copy. */
let fillInWait: number | undefined;
const fillInWaitMs = () => (fillInWait ??= envInt("TAGPIPE_FILL_IN_WAIT_MS", 300_000, 0));
/**
 * TAGPIPE_FILL_IN_PENDING_MS: how long the server copy of a browser event whose Google tag
 * was still loading (`pending`) waits for the runtime's follow-up report; at most 10 minutes.
 */
let pendingWait: number | undefined;
const pendingWaitMs = () => (pendingWait ??= Math.min(envInt("TAGPIPE_FILL_IN_PENDING_MS", 30_000, 0), 600_000));

let collect: ReturnType<typeof collectLimits> | undefined;
const limits = () => (collect ??= collectLimits(envInt("TAGPIPE_COLLECT_RATE_PER_IP", 100), envInt("TAGPIPE_COLLECT_RATE_PER_KEY", 20_000)));

function error(status: number, code: string, message: string, headers: Record<string, string> = {}, fields?: { path: string; message: string }[]): Reply {
  return { status, headers, body: { error: { code, message, ...(fields?.length ? { fields } : {}) } } };
}

function tooMany(refused: Refusal | null): Reply | null {
  if (!refused) return null;
  const seconds = Math.max(1, Math.ceil(refused.retryAfterMs / 1000));
  return error(429, "rate_limited", "Too many requests: slow down", { "retry-after": String(seconds) });
}

/** The 429 when `key` is over `limit`; a promise only when the limit must ask its shared store first (lib/collector/limits.ts). */
function limited(limit: SharedLimit, key: string): Reply | null | Promise<Reply | null> {
  const taken = limit.take(key);
  return taken instanceof Promise ? taken.then(tooMany) : tooMany(taken);
}

/** Parses and validates a body; the storable check runs only when the text could need it. */
function parse<T>(pick: (schemas: typeof checked) => z.ZodType<T>, text: string): { ok: true; value: T } | { ok: false; reply: Reply } {
  if (!text.trim()) return { ok: false, reply: error(400, "invalid_json", "The body is empty: send a JSON object") };
  if (tooDeep(text)) return { ok: false, reply: error(400, "invalid_json", "The body nests deeper than 8 levels") };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reply: error(400, "invalid_json", `Malformed JSON: ${(e as Error).message}`) };
  }
  const result = pick(mayHoldUnstorable(text) ? checked : unchecked).safeParse(json);
  if (!result.success) {
    const fields = fieldProblems(result.error).slice(0, 20);
    return { ok: false, reply: error(422, "validation_failed", fields.map((f) => `${f.path || "body"}: ${f.message}`).join("; "), {}, fields) };
  }
  return { ok: true, value: result.data };
}

// Precompiled, so a check is one regex test and allocates nothing on the hot path.
const WEB_ORIGIN = /^https?:\/\/[^/]/i;
const CHARSET = String.raw`(\s*;\s*charset\s*=\s*"?utf-?8"?)?\s*$`;
const TEXT_PLAIN = new RegExp(String.raw`^\s*text/plain` + CHARSET, "i");
const APPLICATION_JSON = new RegExp(String.raw`^\s*application/json` + CHARSET, "i");

/** Exactly text/plain or application/json (JSON only, for the server door), with at most a UTF-8 charset. */
export function contentTypeAllowed(header: string, jsonOnly = false): boolean {
  // What sendBeacon and fetch send for a string body, and what backends send: compared first, without a regex.
  if (header === "text/plain;charset=UTF-8") return !jsonOnly;
  if (header === "application/json") return true;
  return jsonOnly ? APPLICATION_JSON.test(header) : TEXT_PLAIN.test(header) || APPLICATION_JSON.test(header);
}

/** The Origin header must be an http(s) origin whose host is one of the site's hostnames. */
export function originAllowed(origin: string | undefined, hostnames: string[]): boolean {
  if (!origin || !WEB_ORIGIN.test(origin)) return false;
  try {
    const host = new URL(origin).hostname.toLowerCase();
    return hostnames.some((h) => hostMatches(h, host));
  } catch {
    return false;
  }
}

async function accept(config: IntakeConfig, events: z.infer<typeof browserBatch>["events"], source: "browser" | "server", req: IntakeRequest) {
  const ctx: RequestContext = { ip: req.ip, userAgent: req.userAgent, referer: req.referer, country: req.country, now: Date.now() };
  const delay = forwardDelayMs();
  const wait = fillInWaitMs();
  const pending = pendingWaitMs();
  const items = events.map((e) => ({
    env: { environmentId: config.environmentId, teamId: config.teamId, siteId: config.siteId, kind: config.kind, versionNumber: config.versionNumber },
    event: prepareEvent(e, source, config, ctx, uuidv7(ctx.now), delay, wait, pending),
  }));
  const results = items.length ? await writeEvents(items) : [];
  return {
    accepted: results.filter((r) => r.status === "accepted").length,
    duplicates: results.filter((r) => r.status === "duplicate").length,
    rejected: results.filter((r) => r.status === "rejected").length,
    results,
  };
}

export async function collectFromBrowser(req: IntakeRequest): Promise<Reply> {
  if (!contentTypeAllowed(req.contentType)) {
    return error(415, "unsupported_media_type", "Send the events as text/plain or application/json");
  }
  let ipLimited = limited(limits().perIp, req.ip);
  if (ipLimited instanceof Promise) ipLimited = await ipLimited;
  if (ipLimited) return ipLimited;
  const parsed = parse((s) => s.browserBatch, req.body);
  if (!parsed.ok) return parsed.reply;
  const { events, reports } = parsed.value;
  if (!events.length && !reports?.length) return error(422, "validation_failed", "events: needs at least one event", {}, [{ path: "events", message: "needs at least one event" }]);
  const config = await intakeByPublicKey(parsed.value.key);
  if (!config) return error(404, "unknown_key", "key: no environment has this key");
  // CORS: only the site's own hostnames may send, and only they may read the answer.
  if (!originAllowed(req.origin, config.hostnames)) {
    return error(403, "origin_not_allowed", `Origin ${req.origin ?? "(none)"} is not one of this site's hostnames`);
  }
  const cors = { "access-control-allow-origin": req.origin!, vary: "Origin" };
  let keyLimited = limited(limits().perKey, parsed.value.key);
  if (keyLimited instanceof Promise) keyLimited = await keyLimited;
  if (keyLimited) return { ...keyLimited, headers: { ...keyLimited.headers, ...cors } };
  if (req.userAgent && isBot(req.userAgent)) {
    return { status: 202, headers: cors, body: { accepted: 0, duplicates: 0, rejected: 0, ignored: events.length, reason: "bot user agent" } };
  }
  const body = await accept(config, events, "browser", req);
  // Follow-up reports after the batch's events (one could be about an event of the same request).
  return { status: 202, headers: cors, body: reports?.length ? { ...body, reports: await applyReports(config.environmentId, reports) } : body };
}

export async function collectFromServer(req: IntakeRequest): Promise<Reply> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.authorization ?? "");
  if (!match) return error(401, "unauthorized", "Send the environment's server key: Authorization: Bearer tps_…");
  const config = await intakeByServerKeyHash(sha256Hex(match[1]));
  if (!config) return error(401, "unauthorized", "The server key is invalid or was rotated");
  if (!contentTypeAllowed(req.contentType, true)) return error(415, "unsupported_media_type", "Send the events as application/json");
  return acceptFromServer(config, req);
}

/**
 * The server door after its key check: also the path of the dashboard's "Send test
 * event" (lib/stream/test-event.ts), so a test event meets exactly what a backend's does.
 */
export async function acceptFromServer(config: IntakeConfig, req: IntakeRequest): Promise<Reply> {
  let keyLimited = limited(limits().perKey, `server:${config.environmentId}`);
  if (keyLimited instanceof Promise) keyLimited = await keyLimited;
  if (keyLimited) return keyLimited;
  const parsed = parse((s) => s.serverBatch, req.body);
  if (!parsed.ok) return parsed.reply;
  return { status: 202, headers: {}, body: await accept(config, parsed.value.events, "server", req) };
}
