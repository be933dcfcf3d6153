// The configuration a container script carries: data, never code. The compiler
// (compile-config.ts) builds it from a published version's snapshot; the browser runtime
// (runtime/) interprets it. It ships with every page view of the storefront, so it is
// compact: tuples instead of objects (their labels below name each position), small
// integers for the enumerations (the enums' member names are the draft's names, so the
// compiler maps a name to its code with `Op[name]` and the preview panel maps it back with
// `Op[code]`), and positions instead of ids (trigger 3 is `triggers[3]`). Only what the
// runtime acts on is here: entity names, which only the preview panel shows, are served
// beside the script (RuntimeNames).

export enum TriggerType { data_layer_event, page_view, history_change, click, form_submit }
export enum Source { page_url, page_path, hostname, data_layer, variable, region }
export enum Op { equals, contains, starts_with, ends_with, regex, lt, lte, gt, gte }
export enum Limit { every_time, once_per_page, once_per_event_id }
/** page and element: built-in variables only (lib/config/builtins.ts). */
export enum VariableKind { data_layer, url_query, cookie, dom, constant, lookup, page, element }
export enum Coerce { auto, string, number, list }
/** The platforms with a tag (lib/platforms/registry.ts; webhooks have none), by their code in the configuration. */
export enum Platform { meta, tiktok, ga4, google_ads, image_pixel, pinterest, snapchat }

/** Condition flags, or-ed together. */
export const NEGATE = 1;
export const IGNORE_CASE = 2;

export type RuntimeCondition = [
  source: Source,
  op: Op,
  value: string,
  /** NEGATE | IGNORE_CASE */
  flags: number,
  /** data_layer: a dot path (ecommerce.value); variable: a variable's position (-1: none) */
  key?: string | number,
];

export type RuntimeTrigger = [
  type: TriggerType,
  /** data_layer_event: the pushed `event`; click and form_submit: a CSS selector; else null */
  match: string | null,
  conditions?: RuntimeCondition[],
  limit?: Limit,
  /** triggers that, when they match the same occurrence, stop this one */
  blockers?: number[],
];

/**
 * Where a value comes from, by kind: data_layer [path] (ecommerce.items[].item_id);
 * url_query and cookie [name]; dom [selector, attribute (absent: the element's text)];
 * constant [value]; lookup [input variable's position, table]; page [dot path on window];
 * element [property ("": tag#id), closest selector] of the element clicked or submitted.
 */
export type RuntimeVariable = [
  kind: VariableKind,
  coerce: Coerce,
  arg: string | number | null,
  arg2?: string | [key: string, value: string][] | null,
  /** used when the value is missing */
  fallback?: string,
];

export type RuntimeEvent = [
  /** the tracking plan's name, e.g. purchase */
  name: string,
  triggers: number[],
  /** parameter (or user_data.<field>) → variable position */
  mappings: Record<string, number>,
  /** parameters the plan requires */
  required?: string[],
  /** the plan's parameter types: number | string | list | boolean | object */
  types?: Record<string, string>,
];

export type RuntimeDestination = [
  platform: Platform,
  /** by event position: the name to send (already resolved: destination override, else site override, else plan); 1: the event's own name (most are); 0: not sent here */
  names: (string | 0 | 1)[],
  /** region positions where it is on; null: everywhere */
  regions: number[] | null,
  /** the tag's id: the platform's `tag.idKey` (pixelId, pixelCode, measurementId, conversionId, urlTemplate, tagId) */
  id: string,
  /** google_ads: the conversion label; meta: positions of the events that are custom events there */
  extra?: string | number[],
];

/** The name a destination sends the event at position `at` under; 0: it does not send it. */
export const nameAt = (d: RuntimeDestination, at: number, events: RuntimeEvent[]): string | 0 => (d[1][at] === 1 ? events[at][0] : (d[1][at] as string | 0 | undefined) || 0);

/**
 * How the browser names a Google destination when it reports its tag ran (`fired`): the
 * GA4 measurement id, or the Google Ads conversion id and label (lib/platforms reads the
 * same from a destination's ids).
 */
export const browserRef = (d: RuntimeDestination): string => (d[0] === Platform.google_ads ? `${d[3]}/${d[4]}` : d[3]);

export type RuntimeRegion = [
  code: string,
  countries: string[],
  /** hostname: exact, ".example.com" for *.example.com, "" for any; path prefix absent: any */
  rules: [hostname: string, pathPrefix?: string][],
  currency: string | null,
  /** 1: ad storage is denied until the visitor chooses */
  denied: 0 | 1,
];

export type RuntimeConfig = [
  /** the environment's public key */
  key: string,
  /** 0: a non-production environment, whose events never reach production pixels */
  production: 0 | 1,
  /** absolute URL of the collector endpoint (path configurable) */
  collectUrl: string,
  /** absolute URL of the preview panel's script, loaded only in preview mode */
  previewUrl: string,
  /** the site's default currency */
  currency: string,
  regions: RuntimeRegion[],
  variables: RuntimeVariable[],
  triggers: RuntimeTrigger[],
  events: RuntimeEvent[],
  destinations: RuntimeDestination[],
  /**
   * GA4 and Google Ads destinations the server alone reports to (delivery mode `server`):
   * no tag here, but their server copies need the browser's identifiers — the GA4
   * measurement id whose session cookie the beacon reads ("" when none), and 1 when Google
   * Ads click ids are to be kept. Absent (null when tags follow) when no such destination exists.
   */
  serverIds?: [ga4: string, googleAds?: 1] | null,
  /**
   * The tags script (runtime/tags.ts): its immutable URL and its SRI value, loaded on the
   * first conversion that fires a pixel (runtime/lazy-tags.ts). Absent when no pixel can
   * fire (no browser destination, or a non-production environment).
   */
  tags?: [url: string, integrity: string],
];

/**
 * What only the preview panel shows, by position: served with the panel (in preview mode
 * only), never in the container script.
 */
export type RuntimeNames = { container: string; version: number; environment: string; triggers: string[]; variables: string[]; destinations: string[] };
