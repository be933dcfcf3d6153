// The configuration a container script carries: data, never code. The compiler
// (lib/compiler) builds it from a published version's snapshot; the browser runtime
// (runtime/) interprets it. Ids are the draft's entity ids, so the preview panel and the
// collector can name the trigger or event they talk about.

export type RuntimeCondition = {
  /** page_url | page_path | hostname | data_layer | variable | region */
  source: string;
  /** data_layer: a dot path (ecommerce.value); variable: a variable id */
  key?: string;
  /** equals | contains | starts_with | ends_with | regex | lt | lte | gt | gte */
  op: string;
  value: string;
  /** negate */
  not: boolean;
  /** ignore case (strings and regex) */
  i: boolean;
};

export type RuntimeTrigger = {
  id: string;
  name: string;
  /** data_layer_event | page_view | history_change | click | form_submit */
  type: string;
  eventName?: string;
  selector?: string;
  conditions: RuntimeCondition[];
  /** every_time | once_per_page | once_per_event_id */
  limit: string;
  /** trigger ids that, when they match the same occurrence, stop this one */
  blockers: string[];
};

export type RuntimeVariable = {
  id: string;
  name: string;
  /** data_layer | url_query | cookie | dom | constant | lookup */
  kind: string;
  /** data_layer: ecommerce.items[].item_id */
  path?: string;
  /** url_query parameter or cookie name */
  key?: string;
  selector?: string;
  /** dom: attribute to read; absent: the element's text */
  attribute?: string;
  value?: string;
  /** lookup: the input variable's id and its table */
  input?: string;
  entries?: [string, string][];
  /** auto | string | number | list */
  coerce: string;
  default?: string;
};

export type RuntimeEvent = {
  id: string;
  /** the tracking plan's name, e.g. purchase */
  name: string;
  triggers: string[];
  /** parameter (or user_data.<field>) → variable id */
  mappings: Record<string, string>;
  /** parameters the plan requires */
  required: string[];
  /** the plan's parameter types: number | string | list | boolean | object */
  types: Record<string, string>;
  /** name at each platform: meta | tiktok | ga4 | google_ads */
  platformNames: Record<string, string>;
};

export type RuntimeDestination = {
  id: string;
  name: string;
  /** meta | tiktok | ga4 | google_ads | image_pixel | webhook */
  platform: string;
  /** public ids: pixelId, pixelCode, measurementId, conversionId/conversionLabel, urlTemplate */
  ids: Record<string, string>;
  /** event id → the name to send (already resolved: destination override, else site override, else plan) */
  events: Record<string, string>;
  /** region codes where it is on; null: everywhere */
  regions: string[] | null;
  /** browser-side only when this is true (webhooks are server-side only) */
  browser: boolean;
};

export type RuntimeRegion = {
  code: string;
  countries: string[];
  rules: { hostname?: string; pathPrefix?: string }[];
  currency: string | null;
  /** whether ad storage is granted before the visitor chooses */
  consent: "granted" | "denied";
};

export type RuntimeConfig = {
  v: 1;
  container: { id: string; name: string; version: number };
  environment: { key: string; name: string; kind: string; production: boolean };
  /** absolute URL of the collector endpoint (path configurable) */
  collectUrl: string;
  /** absolute URL of the preview panel's script, loaded only in preview mode */
  previewUrl: string;
  site: { hostnames: string[]; currency: string };
  regions: RuntimeRegion[];
  variables: RuntimeVariable[];
  triggers: RuntimeTrigger[];
  events: RuntimeEvent[];
  destinations: RuntimeDestination[];
};
