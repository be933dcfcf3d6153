// The container runtime: reads the data layer (including pushes made before it loaded),
// evaluates triggers, maps and validates parameters, gives each conversion one event_id,
// fires the pixels when consent allows, and sends the same event to the collector.
// Nothing here may throw into the page: every entry point reports and swallows.
import { Limit, Platform, Source, TriggerType, browserRef, type RuntimeConfig, type RuntimeDestination, type RuntimeRegion } from "../lib/compiler/runtime-config";
import { compare } from "./conditions";
import { eventIdFor, mapEvent, validate } from "./params";
import { preview } from "./preview";
import { Rec, type Entry } from "./records";
import { sender } from "./transport";
import { cookie, isObj, load, pick, rand, save, type Dict } from "./util";
import { resolve, type Scope } from "./variables";
import { loadedTags, tagsLoading, withTags } from "./lazy-tags";
import { called, google, mark, reports } from "./fill-in";
import type { Tags } from "./vendors";
import { clickIds, gaIds } from "./google-ids";
import { hostMatches } from "../lib/http/hosts";

type Command = (cmd: unknown, a?: unknown, b?: unknown) => void;
type Guard = <A extends unknown[]>(f: (...a: A) => void) => (...a: A) => void;

export function boot(raw: string): void {
  const w = window as unknown as Dict;
  const debug: Entry[] = [];
  const report = (r: Entry) => {
    if (debug.push(r) > 200) debug.shift();
    (w.__tagpipePanel as ((r: Entry) => void) | undefined)?.(r);
  };
  /** f, reporting and swallowing what it throws */
  const guard: Guard =
    (f) =>
    (...a) => {
      try {
        f(...a);
      } catch (e) {
        report([Rec.error, String((e as Error)?.message ?? e)]);
      }
    };
  const early = (w.tagpipe as { q?: ArrayLike<unknown>[] } | undefined)?.q ?? [];
  let api: { command: Command; flush(): void } | undefined;
  // A broken configuration leaves a tagpipe() that swallows calls.
  const tagpipe = (w.tagpipe = Object.assign(
    guard((cmd: unknown, a?: unknown, b?: unknown) => api?.command(cmd, a, b)),
    { debug, flush: () => api?.flush() },
  ));
  guard(() => {
    // The configuration stays readable for the preview panel.
    const config = ((tagpipe as unknown as Dict).config = JSON.parse(raw) as RuntimeConfig);
    start(config, report, guard, early, (command, flush) => (api = { command, flush }));
  })();
}

/** Runs the container; `expose` gets what tagpipe() and tagpipe.flush() call, before any event is handled. */
function start(c: RuntimeConfig, report: (r: Entry) => void, guard: Guard, early: ArrayLike<unknown>[], expose: (command: Command, flush: () => void) => void): void {
  const [key, production, collectUrl, previewUrl, currency, regions, vars, triggers, events, destinations] = c;
  // Explanations cost time on every push: the values conditions saw are kept only in preview mode.
  let explain = false;
  preview(key, previewUrl, () => (explain = true));
  // Click ids from first-party cookies join the events when a batch leaves (off the boot
  // path), and so does whether Google's tag ran: GA4 and Google Ads cannot merge a
  // browser and a server copy, so the server sends its copy only when the tag did not.
  // Events an earlier page could not send were stored without user data (transport.ts):
  // they take this page's identified user; an event's own user data wins.
  const out = sender(
    collectUrl,
    key,
    (batch) => {
      const jar = document.cookie;
      const ids: Dict = {};
      for (const k of ["fbp", "fbc", "ttp"]) ids[k] = cookie(`_${k}`, jar);
      if (TAGPIPE_META || TAGPIPE_GOOGLE_CLICK_IDS) Object.assign(ids, clickIds(jar));
      if (TAGPIPE_GA_IDS) Object.assign(ids, gaIds(jar, destinations, c[10]));
      for (const e of batch as Dict[]) {
        e.user_data = { ...user, ...(e.user_data as Dict), ...ids };
        if (TAGPIPE_GA4 || TAGPIPE_GOOGLE_ADS) mark(e);
      }
    },
    // The tags script or gtag.js still on their way: a timed batch waits for the outcome,
    // and events that left without it get a follow-up report (fill-in.ts).
    TAGPIPE_GA4 || TAGPIPE_GOOGLE_ADS ? () => tagsLoading() || !!loadedTags()?.loading() : undefined,
    TAGPIPE_GA4 || TAGPIPE_GOOGLE_ADS ? reports : undefined,
  );
  let state: Dict = {};
  let regionCode: string | undefined;
  let country: string | undefined;
  let user: Dict = {};
  // Containers without a once-per-page trigger carry no set (a `new Set` stays in a minified script for its side effects).
  const firedOnce = (TAGPIPE_ONCE_PER_PAGE ? new Set<number>() : undefined)!;

  /** The region: the explicit one, else the first whose hostname/path rule matches, else the country's. */
  const region = (): RuntimeRegion | undefined => {
    if (!TAGPIPE_REGIONS) return;
    if (regionCode) return regions.find((r) => r[0] === regionCode);
    const { pathname, hostname } = location;
    return (
      regions.find(([, , rules]) => rules.some(([h, p]) => (!h || hostMatches(h, hostname)) && (!p || pathname.startsWith(p)))) ??
      (country ? regions.find((r) => r[1].includes(country!)) : undefined)
    );
  };

  // Consent: "pending" until the visitor chooses where the region denies by default.
  let consent: "granted" | "denied" | undefined;
  /** Google's finer choices (ad_user_data, ad_personalization), passed on as given. */
  let choices: Dict = {};
  const consentNow = () => consent ?? (region()?.[4] ? "pending" : "granted");
  let waiting: (() => void)[] = [];

  /** Maps, validates and sends one event; once_per_event_id remembers ids across page loads. */
  const conversion = (at: number, scope: Scope, extra: Dict | null, oncePerId: boolean, pageView: boolean) => {
    const event = events[at];
    const [params, mappedUser] = mapEvent(event, (v) => resolve(vars[v], scope), region()?.[3] ?? currency, extra);
    const errors = validate(event, params);
    const eventId = eventIdFor(event[0], params, rand);
    if (TAGPIPE_ONCE_PER_EVENT_ID && oncePerId) {
      const seen = `tp:e:${event[0]}:${eventId}`;
      if (load(seen)) return report([Rec.counted, at, eventId]);
      save(seen, "1");
    }
    const where = regions.indexOf(region()!);
    const dispatch = () => {
      const granted = consentNow() === "granted";
      const sent: Dict = {
        event_id: eventId,
        name: event[0],
        params,
        user_data: { ...user, ...mappedUser },
        page: { url: location.href, referrer: document.referrer || undefined, title: document.title || undefined },
        region: regions[where]?.[0],
        consent: { ...choices, ad_storage: granted ? "granted" : "denied" },
        ts: Date.now(),
        test: production ? undefined : true,
        errors: errors.length ? errors : undefined,
      };
      // Non-production containers never fire production pixels: their events go to the
      // collector only, marked test, and the server routes them to test endpoints.
      const mine = production && granted && !errors.length ? destinations.flatMap((d, i) => (d[1][at] && !(d[2] && !d[2].includes(where)) ? [i] : [])) : [];
      const isGoogle = (d: RuntimeDestination) => (TAGPIPE_GA4 && d[0] === Platform.ga4) || (TAGPIPE_GOOGLE_ADS && d[0] === Platform.google_ads);
      // The Google tags this event is for: whether they ran is reported when its batch leaves, or after.
      const refs = mine.flatMap((i) => (isGoogle(destinations[i]) ? [browserRef(destinations[i])] : []));
      if (refs.length) google.set(sent, refs);
      out.add(sent);
      const tag = (t: Tags | null) => {
        const fired: [number, string?][] = [];
        const ran: string[] = [];
        for (const i of mine) {
          const d = destinations[i];
          const name = d[1][at];
          try {
            if (!t) throw Error("tags not loaded");
            t.fire(d, name === 1 ? event[0] : (name as string), at, eventId, params, pageView);
            fired.push([i]);
            if (isGoogle(d)) ran.push(browserRef(d));
          } catch (e) {
            fired.push([i, String((e as Error)?.message ?? e)]);
          }
        }
        // The Google tags called for it: `fired` if gtag.js ran (fill-in.ts).
        if (refs.length) called.set(sent, ran);
        if (explain || errors.length) report([Rec.event, at, eventId, params, errors, granted, fired, pageView]);
      };
      if (mine.length) withTags(c[11], guard(tag));
      else tag(null);
    };
    if (consentNow() === "pending") {
      if (explain) report([Rec.waiting, at, eventId, params]);
      waiting.push(dispatch);
    } else dispatch();
  };

  const scopeOf = (push: Dict): Scope => ({ push, state, vars });

  const occur = (kind: TriggerType, push: Dict, el?: Element | null) => {
    const scope = scopeOf(push);
    // Read by the click and form built-ins only: containers without them carry no code for it.
    if (TAGPIPE_ELEMENT) scope.el = el;
    // Each trigger is checked once per occurrence, also when it blocks others.
    const checked: boolean[] = [];
    const seen: unknown[][] = [];
    const check = (i: number): boolean => {
      if (TAGPIPE_BLOCKING && i in checked) return checked[i];
      const [type, match, conditions = []] = triggers[i];
      const actuals: unknown[] = (seen[i] = []);
      let ok = type === kind;
      if (kind === TriggerType.data_layer_event) ok &&= push.event === match;
      if ((TAGPIPE_CLICK && kind === TriggerType.click) || (TAGPIPE_FORM_SUBMIT && kind === TriggerType.form_submit)) ok &&= !!(match && el?.closest(match));
      for (const cond of conditions) {
        if (!ok) break;
        const [source, , , , key] = cond;
        const actual =
          TAGPIPE_URL_CONDITION && source === Source.page_url ? location.href
          : source === Source.page_path ? location.pathname
          : TAGPIPE_HOSTNAME_CONDITION && source === Source.hostname ? location.hostname
          : TAGPIPE_REGION_CONDITION && source === Source.region ? region()?.[0]
          : TAGPIPE_VARIABLE_CONDITION && source === Source.variable ? resolve(vars[key as number], scope)
          : (pick(push, key as string) ?? pick(state, key as string));
        if (explain) actuals.push(actual);
        ok = compare(cond, actual);
      }
      return (checked[i] = ok);
    };
    const fired = new Set<number>();
    triggers.forEach(([type, , , limit, blockers = []], i) => {
      if (type !== kind) return;
      const ok = check(i);
      const blockedBy = TAGPIPE_BLOCKING && ok ? blockers.filter((b) => check(b)) : [];
      const spent = TAGPIPE_ONCE_PER_PAGE && limit === Limit.once_per_page && firedOnce.has(i);
      const fires = ok && !(TAGPIPE_BLOCKING && blockedBy.length) && !spent;
      if (fires) {
        fired.add(i);
        if (TAGPIPE_ONCE_PER_PAGE && limit === Limit.once_per_page) firedOnce.add(i);
      }
      if (explain) report([Rec.trigger, i, push.event, fires, seen[i], blockedBy, spent]);
    });
    events.forEach(([, by], at) => {
      const firing = by.filter((t) => fired.has(t));
      if (firing.length) conversion(at, scope, null, TAGPIPE_ONCE_PER_EVENT_ID && firing.some((t) => triggers[t][3] === Limit.once_per_event_id), kind === TriggerType.page_view);
    });
  };

  const onPush = (item: unknown) => {
    // gtag() pushes arguments objects (iterable, unlike a plain object): they are not data-layer events.
    if (!isObj(item) || Symbol.iterator in item) return;
    const { event, ...rest } = item;
    // GA4's ecommerce object describes one event; it replaces, never merges into, the last.
    state = { ...state, ...rest };
    if (typeof event === "string") occur(TriggerType.data_layer_event, item);
  };

  const command: Command = (cmd, a, b) => {
    if (cmd === "consent" && isObj(a)) {
      const v = a.ad_storage;
      if (v === "granted" || v === "denied") {
        consent = v;
        choices = { ad_user_data: a.ad_user_data, ad_personalization: a.ad_personalization };
        const run = waiting;
        waiting = [];
        run.forEach((f) => f());
      }
    } else if (cmd === "config" && isObj(a)) {
      if (typeof a.region === "string") regionCode = a.region;
      if (typeof a.country === "string") country = a.country.toUpperCase();
      if (isObj(a.user)) user = { ...user, ...a.user };
    } else if (cmd === "track" && typeof a === "string") {
      const at = events.findIndex((e) => e[0] === a);
      if (at < 0) report([Rec.unknown, a]);
      else conversion(at, scopeOf({}), isObj(b) ? b : {}, false, false);
    }
  };

  // Calls made before the script loaded: settings first, so events see them.
  const queued = Array.from(early, (args) => Array.from(args));
  const replay = (track: boolean) => queued.forEach(([cmd, a, b]) => (cmd === "track") === track && guard(command)(cmd, a, b));
  replay(false);
  expose(command, out.flush);

  guard(occur)(TriggerType.page_view, {});

  const dl = ((window as unknown as { dataLayer?: unknown[] }).dataLayer ??= []);
  dl.slice().forEach(guard(onPush));
  const original = dl.push.bind(dl);
  dl.push = (...items: unknown[]) => {
    const n = original(...items);
    items.forEach(guard(onPush));
    return n;
  };
  replay(true);

  // Single-page apps: a route change is a history change.
  if (TAGPIPE_HISTORY_CHANGE) {
    const route = guard(() => occur(TriggerType.history_change, {}));
    for (const m of ["pushState", "replaceState"] as const) {
      const f = history[m].bind(history);
      history[m] = (...args: Parameters<History["pushState"]>) => {
        f(...args);
        route();
      };
    }
    addEventListener("popstate", route);
  }
  if (TAGPIPE_CLICK) document.addEventListener("click", guard((e: Event) => occur(TriggerType.click, {}, e.target as Element)), true);
  if (TAGPIPE_FORM_SUBMIT) document.addEventListener("submit", guard((e: Event) => occur(TriggerType.form_submit, {}, e.target as Element)), true);
}
