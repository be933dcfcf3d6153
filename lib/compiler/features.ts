// Which of the runtime's optional features (runtime/features.ts) a container's
// configuration uses. Each container's script is bundled with the others switched off, so
// it carries only the code its configuration can reach. Pure.
import { Op, Platform, TriggerType, VariableKind, type RuntimeConfig } from "./runtime-config";

export const FEATURES = [
  "META",
  "TIKTOK",
  "GA4",
  "GOOGLE_ADS",
  "IMAGE_PIXEL",
  "URL_QUERY",
  "COOKIE",
  "DOM",
  "CONSTANT",
  "LOOKUP",
  "HISTORY_CHANGE",
  "CLICK",
  "FORM_SUBMIT",
  "REGEX",
  "COMPARISON",
  "REGIONS",
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
  const [, , , , , regions, variables, triggers, , destinations] = config;
  const platforms = new Set(destinations.map((d) => d[0]));
  const kinds = new Set(variables.map((v) => v[0]));
  const types = new Set(triggers.map((t) => t[0]));
  const ops = new Set(triggers.flatMap((t) => (t[2] ?? []).map((c) => c[1])));
  return {
    META: platforms.has(Platform.meta),
    TIKTOK: platforms.has(Platform.tiktok),
    GA4: platforms.has(Platform.ga4),
    GOOGLE_ADS: platforms.has(Platform.google_ads),
    IMAGE_PIXEL: platforms.has(Platform.image_pixel),
    URL_QUERY: kinds.has(VariableKind.url_query),
    COOKIE: kinds.has(VariableKind.cookie),
    DOM: kinds.has(VariableKind.dom),
    CONSTANT: kinds.has(VariableKind.constant),
    LOOKUP: kinds.has(VariableKind.lookup),
    HISTORY_CHANGE: types.has(TriggerType.history_change),
    CLICK: types.has(TriggerType.click),
    FORM_SUBMIT: types.has(TriggerType.form_submit),
    REGEX: ops.has(Op.regex),
    // An operator the runtime does not know (-1) is evaluated as a comparison, as before.
    COMPARISON: [Op.lt, Op.lte, Op.gt, Op.gte, -1].some((op) => ops.has(op)),
    REGIONS: regions.length > 0,
  };
}
