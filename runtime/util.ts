// Small helpers of the browser runtime. No dependencies; every byte ships to storefronts.
export type Dict = Record<string, unknown>;

/** Reads a dot path; "items[].item_id" collects the field of every item into a list. */
export function pick(source: unknown, path: string): unknown {
  let values: unknown[] = [source];
  let list = false;
  for (const part of path.split(".")) {
    const many = part.endsWith("[]");
    const key = many ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const v of values) {
      const child = v != null && typeof v === "object" ? (v as Dict)[key] : undefined;
      if (many && Array.isArray(child)) next.push(...child);
      else if (!many && child !== undefined) next.push(child);
    }
    list ||= many;
    values = next;
  }
  return list ? values : values[0];
}

export function isObj(v: unknown): v is Dict {
  return v != null && typeof v === "object" && !Array.isArray(v);
}

/** A random event id: 96 bits from the platform's CSPRNG, as three numbers. */
export function rand(): string {
  return crypto.getRandomValues(new Uint32Array(3)).join("-");
}

/** A cookie's raw value (document.cookie is "a=1; b=2"; each read of it is a call out of the renderer). */
export function cookie(name: string, jar = document.cookie): string | undefined {
  return jar
    .split("; ")
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

/** Sets a first-party cookie for the whole site, for `maxAge` seconds (0 deletes it). Never throws (sandboxed frames). */
export function setCookie(name: string, value: string, maxAge: number): void {
  try {
    document.cookie = `${name}=${value};path=/;SameSite=Lax;max-age=${maxAge}`;
  } catch {
    /* no cookies here */
  }
}

type CookieStore = { get(name: string): Promise<{ value: string } | null> };
/**
 * A cookie's raw value, later, through the asynchronous Cookie Store API where the browser
 * has one (secure pages of Chromium, Safari 18.4+, Firefox 140+): no synchronous call out
 * of the renderer, which document.cookie is and which a page's first one pays most for.
 * Where there is none: document.cookie, after the page's own work. Never throws: what
 * fails (no cookies in a sandboxed frame, or `f` itself) is swallowed.
 */
export function cookieLater(name: string, f: (value: string | undefined) => void): void {
  const store = (window as unknown as { cookieStore?: CookieStore }).cookieStore;
  if (store) store.get(name).then((c) => f(c?.value)).catch(() => {});
  else
    setTimeout(() => {
      try {
        f(cookie(name));
      } catch {
        /* see above */
      }
    }, 0);
}

/** localStorage that never throws (private mode, quota, disabled storage): the feature degrades, the page is unaffected. */
export function load(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function save(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* see load */
  }
}

/** An image pixel's URL for an event: the template's {event}, {event_id}, {value}, {currency} and {order_id}, URL-encoded, missing ones empty. */
export function imageUrl(template: string, name: string, eventId: string, p: Dict): string {
  const values: Dict = { event: name, event_id: eventId, value: p.value, currency: p.currency, order_id: p.order_id };
  return template.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(values[k] == null ? "" : String(values[k])));
}

/** A vendor's function with properties (fbq.queue, ttq.instance…). */
export type Fn = ((...args: unknown[]) => void) & Dict;

/** The event's items (the mapped `contents`, else GA4's `items`; objects only) in a vendor's shape; none: undefined. */
export function items(p: Dict, shape: (item: Dict, id: string, quantity: number) => Dict): Dict[] | undefined {
  const list = p.contents ?? p.items;
  const out = Array.isArray(list) ? list.filter((x) => x && typeof x === "object").map((i) => shape(i, String(i.item_id ?? i.id), Number(i.quantity ?? 1))) : [];
  return out.length ? out : undefined;
}

/** Removes undefined values, which vendors would otherwise receive as keys. */
export function clean(o: Dict): Dict {
  for (const k in o) if (o[k] === undefined) delete o[k];
  return o;
}

const inited = new Set<string>();
/** Runs f the first time `key` is seen on this page (a pixel's init). */
export const once = (key: string, f: () => void) => {
  if (!inited.has(key)) {
    inited.add(key);
    f();
  }
};
