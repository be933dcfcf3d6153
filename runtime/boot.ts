// The container runtime: reads the data layer (including pushes made before it loaded),
// evaluates triggers, maps and validates parameters, gives each conversion one event_id,
// fires the pixels when consent allows, and sends the same event to the collector.
// Nothing here may throw into the page: every entry point reports and swallows.
import type { RuntimeConfig, RuntimeEvent, RuntimeTrigger, RuntimeVariable } from "../lib/compiler/runtime-config";
import { compare, type Outcome } from "./conditions";
import { eventIdFor, mapEvent, validate } from "./params";
import { loadPanel, previewEnabled, previewLater } from "./preview";
import type { Record_ } from "./preview-panel";
import { sender } from "./transport";
import { isObj, pick, rand, store, type Dict } from "./util";
import { resolve, type Scope } from "./variables";
import { fire } from "./vendors";

type Kind = "page_view" | "dle" | "history" | "click" | "submit";
const TYPE: Record<string, Kind> = { data_layer_event: "dle", page_view: "page_view", history_change: "history", click: "click", form_submit: "submit" };

export function boot(raw: string): void {
  const w = window as unknown as Dict;
  const debug: Record_[] = [];
  const report = (r: Record_) => {
    debug.push(r);
    if (debug.length > 200) debug.shift();
    (w.__tagpipePanel as ((r: Record_) => void) | undefined)?.(r);
  };
  const safe = <A extends unknown[]>(f: (...a: A) => void) => (...a: A) => {
    try {
      f(...a);
    } catch (e) {
      report({ title: "Tagpipe error (swallowed)", lines: [String((e as Error)?.message ?? e)], ok: false });
    }
  };
  const previous = w.tagpipe as { q?: ArrayLike<unknown>[] } | undefined;
  const api = Object.assign(safe(() => {}), { debug }) as unknown as Dict & ((...a: unknown[]) => void);
  w.tagpipe = api;

  let c: RuntimeConfig;
  try {
    c = JSON.parse(raw) as RuntimeConfig;
  } catch (e) {
    report({ title: "Tagpipe: broken configuration", lines: [String(e)], ok: false });
    return;
  }
  safe(start)(c, w, api, report, previous?.q ?? []);
}

function start(
  c: RuntimeConfig,
  w: Dict,
  api: Dict & ((...a: unknown[]) => void),
  report: (r: Record_) => void,
  early: ArrayLike<unknown>[],
): void {
  // Explanations cost strings and time on every push: they are built only in preview mode.
  let explain = previewEnabled(c.environment.key);
  if (explain) loadPanel(c.previewUrl);
  else
    previewLater(c.environment.key, () => {
      explain = true;
      loadPanel(c.previewUrl);
    });
  const vars = new Map<string, RuntimeVariable>(c.variables.map((v) => [v.id, v]));
  // Click ids from first-party cookies join the events when a batch leaves (off the boot path).
  const out = sender(c.collectUrl, c.environment.key, (events) => {
    const jar = document.cookie;
    const get = (name: string) => jar.match(new RegExp(`(?:^|; )${name}=([^;]*)`))?.[1];
    const ids = { fbp: get("_fbp"), fbc: get("_fbc"), ttp: get("_ttp") };
    for (const e of events as { user_data: Dict }[]) Object.assign(e.user_data, ids);
  });
  let state: Dict = {};
  let regionCode: string | null = null;
  let country: string | undefined;
  let user: Dict = {};
  const firedOnce = new Set<string>();

  const findRegion = () => {
    if (regionCode) return c.regions.find((r) => r.code === regionCode) ?? null;
    const path = location.pathname;
    const host = location.hostname;
    return (
      c.regions.find((r) => r.rules.some((x) => (!x.hostname || x.hostname === host || (x.hostname.startsWith("*.") && host.endsWith(x.hostname.slice(1)))) && (!x.pathPrefix || path.startsWith(x.pathPrefix)))) ??
      (country ? c.regions.find((r) => r.countries.includes(country!)) : undefined) ??
      null
    );
  };

  // Consent: "pending" until the visitor chooses where the region denies by default.
  let consent: "granted" | "denied" | "pending" | null = null;
  const consentNow = () => consent ?? (findRegion()?.consent === "denied" ? "pending" : "granted");
  let waiting: (() => void)[] = [];

  const send = (event: RuntimeEvent, params: Dict, mappedUser: Dict, errors: string[], pageView: boolean) => {
    const eventId = eventIdFor(event.name, params, rand);
    const region = findRegion();
    const lines = explain ? [`event_id ${eventId}`, `params ${JSON.stringify(params)}`] : [];
    const dispatch = () => {
      const ad = consentNow();
      // Non-production containers never fire production pixels: their events go to the
      // collector only, marked test, and the server routes them to test endpoints.
      if (!c.environment.production) {
        if (explain) lines.push("pixels not fired: non-production environment");
      } else if (!errors.length && ad === "granted") {
        for (const d of c.destinations) {
          const name = d.events[event.id];
          if (!name || !d.browser || (d.regions && !(region && d.regions.includes(region.code)))) continue;
          try {
            const what = fire(d, name, eventId, params, pageView);
            if (explain) lines.push(`→ ${what} (${d.name})`);
          } catch (e) {
            lines.push(`✗ ${d.name}: ${(e as Error).message}`);
          }
        }
      } else if (!errors.length) lines.push(`pixels not fired: consent ${ad}`);
      out.add({
        event_id: eventId,
        name: event.name,
        params,
        user_data: { ...user, ...mappedUser },
        page: { url: location.href, referrer: document.referrer || undefined, title: document.title || undefined },
        ...(region ? { region: region.code } : {}),
        consent: { ad_storage: ad === "granted" ? "granted" : "denied" },
        ts: Date.now(),
        ...(c.environment.production ? {} : { test: true }),
        ...(errors.length ? { errors } : {}),
      });
      if (explain) lines.push("→ collector");
      if (explain || errors.length) report({ title: `${errors.length ? "✗" : "✓"} ${event.name}`, lines: errors.length ? [...lines, ...errors.map((e) => `invalid: ${e}`)] : lines, ok: !errors.length });
    };
    if (consentNow() === "pending") {
      if (explain) report({ title: `… ${event.name} waits for consent`, lines, ok: true });
      waiting.push(dispatch);
    } else dispatch();
    return eventId;
  };

  /** Maps and sends one event; once_per_event_id remembers ids across page loads. */
  const conversion = (event: RuntimeEvent, scope: Scope, extra: Dict | null, oncePerId: boolean, pageView: boolean) => {
    const region = findRegion();
    const mapped = mapEvent(event, (id) => (vars.get(id) ? resolve(vars.get(id)!, scope, vars) : undefined), region?.currency ?? c.site.currency);
    const params = extra ? { ...mapped.params, ...extra } : mapped.params;
    if (extra && typeof params.currency === "string") params.currency = params.currency.toUpperCase();
    const errors = extra ? validate(event, params) : mapped.errors;
    if (oncePerId) {
      const id = eventIdFor(event.name, params, rand);
      const key = `tp:e:${event.id}:${id}`;
      if (store.get(key)) {
        report({ title: `– ${event.name} already counted`, lines: [`event_id ${id} was sent before (once per event id)`], ok: true });
        return;
      }
      store.set(key, "1");
    }
    send(event, params, mapped.user, errors, pageView);
  };

  const occur = (kind: Kind, push: Dict | null, el?: Element | null) => {
    const scope: Scope = { push: push ?? {}, state, url: new URL(location.href), doc: document };
    const results = new Map<string, { ok: boolean; why: string[] }>();
    const check = (t: RuntimeTrigger) => {
      const hit = results.get(t.id);
      if (hit) return hit;
      const why: string[] = [];
      let ok = TYPE[t.type] === kind;
      if (ok && kind === "dle") ok = push?.event === t.eventName;
      if (ok && (kind === "click" || kind === "submit")) ok = !!(el && t.selector && el.closest(t.selector));
      if (ok) {
        for (const cond of t.conditions) {
          const actual =
            cond.source === "page_url" ? location.href
            : cond.source === "page_path" ? location.pathname
            : cond.source === "hostname" ? location.hostname
            : cond.source === "region" ? findRegion()?.code
            : cond.source === "variable" ? (vars.get(cond.key!) ? resolve(vars.get(cond.key!)!, scope, vars) : undefined)
            : (pick(push, cond.key!) ?? pick(state, cond.key!));
          const o: Outcome = compare(cond, actual);
          if (explain) why.push(`${o.ok ? "✓" : "✗"} ${cond.source}${cond.key ? ` ${cond.key}` : ""} ${cond.not ? "not " : ""}${cond.op} ${JSON.stringify(cond.value)} (was ${JSON.stringify(actual)})${o.error ? ` ${o.error}` : ""}`);
          if (!o.ok) {
            ok = false;
            break;
          }
        }
      }
      const r = { ok, why };
      results.set(t.id, r);
      return r;
    };
    const fired = new Set<string>();
    for (const t of c.triggers) {
      if (TYPE[t.type] !== kind) continue;
      const r = check(t);
      const blockedBy = r.ok ? t.blockers.filter((b) => c.triggers.some((x) => x.id === b && check(x).ok)) : [];
      const spent = t.limit === "once_per_page" && firedOnce.has(t.id);
      const fires = r.ok && !blockedBy.length && !spent;
      if (fires) {
        fired.add(t.id);
        if (t.limit === "once_per_page") firedOnce.add(t.id);
      }
      if (explain) report({
        title: `${fires ? "✓" : "✗"} trigger ${t.name}${kind === "dle" ? ` on ${String(push?.event)}` : ` on ${kind}`}`,
        lines: [...r.why, ...(blockedBy.length ? [`blocked by ${blockedBy.join(", ")}`] : []), ...(spent ? ["already fired on this page"] : [])],
        ok: fires,
      });
    }
    for (const e of c.events) {
      const by = c.triggers.filter((t) => fired.has(t.id) && e.triggers.includes(t.id));
      if (by.length) conversion(e, scope, null, by.some((t) => t.limit === "once_per_event_id"), kind === "page_view");
    }
  };

  const onPush = (item: unknown) => {
    if (!isObj(item) || Object.prototype.toString.call(item) === "[object Arguments]") return;
    const { event, ...rest } = item;
    // GA4's ecommerce object describes one event; it replaces, never merges into, the last.
    state = { ...state, ...rest };
    if (typeof event === "string") occur("dle", item);
  };

  const command = (cmd: unknown, a?: unknown, b?: unknown) => {
    if (cmd === "consent" && isObj(a)) {
      const v = a.ad_storage;
      if (v === "granted" || v === "denied") {
        consent = v;
        const run = waiting;
        waiting = [];
        run.forEach((f) => f());
      }
    } else if (cmd === "config" && isObj(a)) {
      if (typeof a.region === "string") regionCode = a.region;
      if (typeof a.country === "string") country = a.country.toUpperCase();
      if (isObj(a.user)) user = { ...user, ...a.user };
    } else if (cmd === "track" && typeof a === "string") {
      const e = c.events.find((x) => x.name === a);
      if (!e) report({ title: `✗ track ${a}`, lines: ["no such event in this container"], ok: false });
      else conversion(e, { push: {}, state, url: new URL(location.href), doc: document }, isObj(b) ? b : {}, false, false);
    }
  };

  // Calls made before the script loaded: settings first, so events see them.
  const queued = Array.from(early, (args) => Array.from(args));
  queued.filter((q) => q[0] !== "track").forEach((q) => command(q[0], q[1], q[2]));
  Object.assign(api, { q: undefined });
  const entry = (cmd: unknown, a?: unknown, b?: unknown) => {
    try {
      command(cmd, a, b);
    } catch (e) {
      report({ title: "Tagpipe error (swallowed)", lines: [String((e as Error)?.message ?? e)], ok: false });
    }
  };
  (window as unknown as Dict).tagpipe = Object.assign(entry, { debug: api.debug, flush: () => out.flush() });

  occur("page_view", null);

  const dl = ((w.dataLayer as unknown[]) ??= []);
  for (const item of dl.slice()) safeRun(() => onPush(item), report);
  const original = dl.push.bind(dl);
  dl.push = (...items: unknown[]) => {
    const n = original(...items);
    for (const item of items) safeRun(() => onPush(item), report);
    return n;
  };
  queued.filter((q) => q[0] === "track").forEach((q) => entry(q[0], q[1], q[2]));

  // Single-page apps: a route change is a history change.
  for (const m of ["pushState", "replaceState"] as const) {
    const f = history[m].bind(history);
    history[m] = (...args: Parameters<History["pushState"]>) => {
      f(...args);
      safeRun(() => occur("history", null), report);
    };
  }
  addEventListener("popstate", () => safeRun(() => occur("history", null), report));
  document.addEventListener("click", (e) => safeRun(() => occur("click", null, e.target as Element), report), true);
  document.addEventListener("submit", (e) => safeRun(() => occur("submit", null, e.target as Element), report), true);
}

function safeRun(f: () => void, report: (r: Record_) => void): void {
  try {
    f();
  } catch (e) {
    report({ title: "Tagpipe error (swallowed)", lines: [String((e as Error)?.message ?? e)], ok: false });
  }
}
