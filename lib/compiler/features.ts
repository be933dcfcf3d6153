// Which of the runtime's optional features (runtime/features.ts) a container's
// configuration uses. Each container's script is bundled with the others switched off, so
// it carries only the code its configuration can reach. Pure.
import { Limit, Op, Platform, Source, TriggerType, VariableKind, type RuntimeConfig } from "./runtime-config";

export const FEATURES = [
  "META",
  "TIKTOK",
  "GA4",
  "GOOGLE_ADS",
  "IMAGE_PIXEL",
  "PINTEREST",
  "SNAPCHAT",
  "META_CUSTOM",
  "URL_QUERY",
  "COOKIE",
  "DOM",
  "CONSTANT",
  "LOOKUP",
  "PAGE",
  "ELEMENT",
  "HISTORY_CHANGE",
  "CLICK",
  "FORM_SUBMIT",
  "ONCE_PER_PAGE",
  "ONCE_PER_EVENT_ID",
  "BLOCKING",
  "URL_CONDITION",
  "HOSTNAME_CONDITION",
  "VARIABLE_CONDITION",
  "REGION_CONDITION",
  "REGEX",
  "COMPARISON",
  "REGIONS",
  "GA_IDS",
  "GOOGLE_CLICK_IDS",
] as const;
export type Feature = (typeof FEATURES)[number];
export type Features = Record<Feature, boolean>;

/** Every feature on: the generic runtime. */
export const ALL_FEATURES = Object.fromEntries(FEATURES.map((f) => [f, true])) as Features;

/** esbuild `define` values: each runtime switch (runtime/features.ts) as a literal true or false. */
export function defines(features: Features): Record<string, string> {
  return Object.fromEntries(FEATURES.map((f) => [`TAGPIPE_${f}`, String(features[f] === true)]));
}

export function featuresOf(config: RuntimeConfig): Features {
  const [, , , , , regions, variables, triggers, , destinations, serverIds] = config;
  const platforms = new Set(destinations.map((d) => d[0]));
  const kinds = new Set(variables.map((v) => v[0]));
  const types = new Set(triggers.map((t) => t[0]));
  const conditions = triggers.flatMap((t) => t[2] ?? []);
  const ops = new Set(conditions.map((c) => c[1]));
  const sources = new Set(conditions.map((c) => c[0]));
  const limits = new Set(triggers.map((t) => t[3]));
  return {
    // Each platform's tag: its key upper-cased (runtime/vendors.ts).
    META: platforms.has(Platform.meta),
    TIKTOK: platforms.has(Platform.tiktok),
    GA4: platforms.has(Platform.ga4),
    GOOGLE_ADS: platforms.has(Platform.google_ads),
    IMAGE_PIXEL: platforms.has(Platform.image_pixel),
    PINTEREST: platforms.has(Platform.pinterest),
    SNAPCHAT: platforms.has(Platform.snapchat),
    META_CUSTOM: destinations.some((d) => d[0] === Platform.meta && Array.isArray(d[4]) && d[4].length > 0),
    URL_QUERY: kinds.has(VariableKind.url_query),
    COOKIE: kinds.has(VariableKind.cookie),
    DOM: kinds.has(VariableKind.dom),
    CONSTANT: kinds.has(VariableKind.constant),
    LOOKUP: kinds.has(VariableKind.lookup),
    PAGE: kinds.has(VariableKind.page),
    ELEMENT: kinds.has(VariableKind.element),
    HISTORY_CHANGE: types.has(TriggerType.history_change),
    CLICK: types.has(TriggerType.click),
    FORM_SUBMIT: types.has(TriggerType.form_submit),
    ONCE_PER_PAGE: limits.has(Limit.once_per_page),
    ONCE_PER_EVENT_ID: limits.has(Limit.once_per_event_id),
    BLOCKING: triggers.some((t) => (t[4] ?? []).length > 0),
    URL_CONDITION: sources.has(Source.page_url),
    HOSTNAME_CONDITION: sources.has(Source.hostname),
    VARIABLE_CONDITION: sources.has(Source.variable),
    REGION_CONDITION: sources.has(Source.region),
    REGEX: ops.has(Op.regex),
    // An operator the runtime does not know (-1) is evaluated as a comparison, as before.
    COMPARISON: [Op.lt, Op.lte, Op.gt, Op.gte, -1].some((op) => ops.has(op)),
    REGIONS: regions.length > 0,
    // The identifiers the beacon reads for GA4's and Google Ads' server copies: also when
    // the server alone reports to them (runtime/google-ids.ts).
    GA_IDS: platforms.has(Platform.ga4) || !!serverIds?.[0],
    GOOGLE_CLICK_IDS: platforms.has(Platform.google_ads) || serverIds?.[1] === 1,
  };
}
