// One incoming event → what to store: validated against the published version's event
// definitions, enriched (IP, user agent, page, region, click ids), user data hashed, its
// dedup keys and the deliveries it creates. Pure: no I/O, so it is unit-tested directly.
import { hashUserData, type HashedUserData } from "./hash";
import { hostMatches } from "../http/hosts";
import { MESSAGES, paramProblems } from "../validation/params";
import { redactText, redactUrl, scrubParams } from "./redact";
import type { CollectedEventInput } from "./schema";
import type { IntakeConfig } from "./intake-config";
import { routeTo } from "./routing";

export const MAX_AGE_MS = 7 * 24 * 3600 * 1000;
const RUNTIME_PROBLEM = /^[a-z_][a-z0-9_]{0,39} [a-z]+$/;
const FUTURE_SKEW_MS = 5 * 60 * 1000;
export const DEDUP_WINDOW_MS = 48 * 3600 * 1000;

export type RequestContext = {
  ip: string;
  userAgent?: string;
  referer?: string;
  /** the trusted country header's value, if configured */
  country?: string;
  now: number;
};

export type Problem = { field: string; message: string };

export type PreparedEvent = {
  id: string;
  status: "accepted" | "rejected";
  errors: Problem[];
  name: string;
  eventId: string;
  orderId: string | null;
  /** "both": a browser and a server copy folded together in one group commit (writer.ts). */
  source: "browser" | "server" | "both";
  params: Record<string, unknown>;
  userData: HashedUserData;
  /** fired: the Google tags the browser reported as run for this event */
  context: { url?: string; referrer?: string; title?: string; fired?: string[] };
  consent: { ad_storage?: string; analytics_storage?: string };
  region: string | null;
  test: boolean;
  eventTime: Date;
  /** Dedup keys of an accepted event: its event_id, and its order_id if it is a purchase. */
  eventKey: string | null;
  orderKey: string | null;
  /**
   * A browser copy whose Google tags were still loading (`pending`): how long their
   * fill-in copies wait for the runtime's follow-up report (0: not pending).
   */
  pendingMs: number;
  deliveries: {
    destinationId: string;
    platform: string;
    eventName: string;
    /** fillIn: the destination's name in the browser's `fired` report (lib/platforms/delivery-mode.ts) */
    target: { ids: Record<string, string>; testEventCode?: string; test: boolean; fillIn?: string };
    status: "pending" | "held";
    delayMs: number;
  }[];
};

function eventTime(input: CollectedEventInput, now: number): { time: number; problem?: Problem } {
  const raw = input.event_time ?? input.ts;
  if (raw === undefined) return { time: now };
  let ms: number;
  if (typeof raw === "number") ms = raw < 1e11 ? raw * 1000 : raw;
  else ms = /^\d+$/.test(raw) ? Number(raw) * 1000 : Date.parse(raw);
  // A rejected time is stored as the time of receipt: the claimed one may be beyond what a
  // Date or a PostgreSQL timestamp can hold (1e20, year 275760), and one such event must
  // not fail the group commit it shares with other requests.
  if (!Number.isFinite(ms)) return { time: now, problem: { field: "event_time", message: "is not a date (unix seconds, milliseconds or ISO 8601)" } };
  if (ms > now + FUTURE_SKEW_MS) return { time: now, problem: { field: "event_time", message: "is in the future" } };
  if (ms < now - MAX_AGE_MS) return { time: now, problem: { field: "event_time", message: "is older than 7 days" } };
  return { time: ms };
}

/** The event's parameters against the published version's rules (lib/validation/params.ts: the browser runtime's rules too). */
export function validateParams(name: string, params: Record<string, unknown>, def: { required: string[]; types: Record<string, string> } | undefined): Problem[] {
  if (!def) return [{ field: "name", message: `${name} is not an event of the published version` }];
  return paramProblems(name, params, def.required, def.types).map((p) => {
    const [key, code] = p.split(" ");
    return { field: `params.${key}`, message: MESSAGES[code] };
  });
}

/** The page URL, parsed once per event for region rules and click ids (null: absent or unparsable). */
function parseUrl(pageUrl: string | undefined): URL | null {
  if (!pageUrl) return null;
  try {
    return new URL(pageUrl);
  } catch {
    // an unparsable page URL just selects no region and carries no click id
    return null;
  }
}

/** Region: explicit, else the site's hostname/path rules, else the trusted country header. */
export function resolveRegion(config: IntakeConfig, explicit: string | undefined, pageUrl: string | URL | null | undefined, country: string | undefined): string | null {
  if (explicit && config.regions.some((r) => r.code === explicit)) return explicit;
  const url = typeof pageUrl === "string" ? parseUrl(pageUrl) : pageUrl;
  if (url) {
    const host = url.hostname.toLowerCase();
    for (const r of config.regions) {
      if (r.rules.some((rule) => (!rule.hostname || hostMatches(rule.hostname, host)) && (!rule.pathPrefix || url.pathname.startsWith(rule.pathPrefix)))) return r.code;
    }
  }
  const c = country?.trim().toUpperCase();
  if (c) return config.regions.find((r) => r.countries.includes(c))?.code ?? null;
  return null;
}

/** Click ids in the landing URL: Meta's fbc from an fbclid (fb.<subdomain index>.<creation ms>.<fbclid>), ttclid, gclid, gbraid, wbraid. */
function clickIds(url: URL | null, now: number, into: HashedUserData): void {
  // (No parameter name to read, encoded or not: skip the parse of the query.)
  if (!url || !/clid=|braid=|%/.test(url.search)) return;
  const q = url.searchParams;
  const fbclid = q.get("fbclid");
  if (fbclid) into.fbc = `fb.1.${now}.${fbclid}`;
  const ttclid = q.get("ttclid");
  if (ttclid) into.ttclid = ttclid;
  const gclid = q.get("gclid");
  if (gclid) into.gclid = gclid;
  // Google's click ids for iOS app-to-web (gbraid) and web-to-app (wbraid) journeys.
  const gbraid = q.get("gbraid");
  if (gbraid) into.gbraid = gbraid;
  const wbraid = q.get("wbraid");
  if (wbraid) into.wbraid = wbraid;
}

/**
 * `forwardDelayMs`: how long a browser event waits for its server copy before forwarding;
 * `fillInWaitMs`: how long a server event waits for a browser copy whose tag may have
 * reported it already (destinations in browser_fill_in mode); `pendingWaitMs`: how long a
 * browser event's fill-in copy waits for the follow-up report when its tag was `pending`.
 */
export function prepareEvent(
  input: CollectedEventInput,
  source: "browser" | "server",
  config: IntakeConfig,
  ctx: RequestContext,
  id: string,
  forwardDelayMs = 0,
  fillInWaitMs = 0,
  pendingWaitMs = 0,
): PreparedEvent {
  const errors: Problem[] = [];
  const time = eventTime(input, ctx.now);
  if (time.problem) errors.push(time.problem);
  const def = config.events.get(input.name);
  // Raw PII outside user_data (an email pushed as a parameter) is hashed before anything else sees it.
  const params = { ...scrubParams(input.params) };
  if (typeof params.currency === "string") params.currency = params.currency.trim().toUpperCase();
  if (config.versionNumber === null) errors.push({ field: "key", message: "no version is published to this environment" });
  else errors.push(...validateParams(input.name, params, def));
  // The runtime's own verdict on the parameters uses the same rules as validateParams (its
  // problems come as "<parameter> <code>"): kept only when it says something else.
  if (input.errors?.length) {
    for (const e of input.errors) {
      if (typeof e === "string" && RUNTIME_PROBLEM.test(e) && MESSAGES[e.slice(e.indexOf(" ") + 1)]) continue;
      errors.push({ field: "runtime", message: typeof e === "string" ? e : JSON.stringify(e) });
    }
  }

  const pageUrl = input.page?.url ?? (source === "browser" ? ctx.referer : undefined);
  const url = parseUrl(pageUrl);
  const region = resolveRegion(config, input.region, url, input.user_data?.country ?? ctx.country);
  // Click ids from the URL first: the ones sent in user_data win.
  const userData: HashedUserData = {};
  clickIds(url, time.time, userData);
  // Phone numbers without a country code take the visitor's country, else the region's first.
  const regionCountry = region ? config.regions.find((r) => r.code === region)?.countries[0] : undefined;
  Object.assign(userData, hashUserData(input.user_data, regionCountry ?? ctx.country));
  if (source === "browser") {
    userData.client_ip_address ??= ctx.ip;
    if (ctx.userAgent !== undefined) userData.client_user_agent ??= ctx.userAgent;
  }

  const orderId = params.order_id !== undefined && params.order_id !== null && params.order_id !== "" ? String(params.order_id) : null;
  const test = !config.production || input.test === true;
  const status = errors.length ? "rejected" : "accepted";
  const adConsent = input.consent?.ad_storage ?? (region ? config.regions.find((r) => r.code === region)?.consentDefault : undefined) ?? "granted";

  const fired = source === "browser" && input.fired?.length ? input.fired : undefined;
  const pending = source === "browser" && input.pending?.length ? input.pending : undefined;
  const deliveries: PreparedEvent["deliveries"] = [];
  if (status === "accepted" && def) {
    const routed = { region, adConsent, test, fired, orderId };
    for (const d of config.destinations) {
      // Not sent (consent, region, browser-only, delivery mode, the tag fired): no row; the stream says why (routing.ts).
      const routing = routeTo(d, def.id, routed);
      if (!routing || routing.send === "none") continue;
      deliveries.push({
        destinationId: d.id,
        platform: d.platform,
        eventName: d.eventNames.get(def.id) || input.name,
        target: {
          ids: d.ids,
          ...(d.testEventCode ? { testEventCode: d.testEventCode } : {}),
          test,
          ...(d.fillIn ? { fillIn: d.fillIn } : {}),
          // Ad consent was granted (else no delivery); the finer choices default to it.
          ...(d.consentFields ? { consent: { ad_user_data: input.consent?.ad_user_data ?? adConsent, ad_personalization: input.consent?.ad_personalization ?? adConsent } } : {}),
        },
        status: routing.send,
        // A server copy of a fill-in destination waits for a browser copy that may say its
        // tag ran; a browser copy whose tag was still loading, for the follow-up report.
        delayMs: source === "server" ? (d.fillIn ? fillInWaitMs : 0) : d.fillIn && pending?.includes(d.fillIn) ? pendingWaitMs : forwardDelayMs,
      });
    }
  }

  return {
    id,
    status,
    errors,
    name: input.name,
    eventId: input.event_id,
    orderId,
    source,
    params,
    userData,
    // Region and click ids were read from the URL as it came; what is kept has no PII in it.
    context: {
      ...(pageUrl ? { url: redactUrl(pageUrl) } : {}),
      ...(input.page?.referrer ? { referrer: redactUrl(input.page.referrer) } : {}),
      ...(input.page?.title ? { title: redactText(input.page.title) } : {}),
      ...(fired ? { fired } : {}),
    },
    consent: { ...(input.consent ?? {}), ...(input.consent?.ad_storage ? {} : { ad_storage: adConsent }) },
    region,
    test,
    eventTime: new Date(time.time),
    eventKey: status === "accepted" ? input.event_id : null,
    orderKey: status === "accepted" && input.name === "purchase" ? orderId : null,
    pendingMs: pending ? pendingWaitMs : 0,
    deliveries,
  };
}
