// Puts data into a bundle as a string literal: the configuration into the runtime, the
// names into the preview panel. JSON inside a single-quoted JS string inside a <script>:
// `\` and `'` are escaped (the literal cannot end early), `<` becomes \u003c (so
// "</script" cannot close the tag) and U+2028/2029 are escaped (old engines treat them as
// line breaks in string literals); JSON text has no other line breaks. Single quotes
// because JSON is full of double ones, which would each cost a backslash.
import type { RuntimeConfig, RuntimeNames } from "./runtime-config";

export const PLACEHOLDER = "__TAGPIPE_CONFIG__";
export const NAMES_PLACEHOLDER = "__TAGPIPE_NAMES__";

export function configLiteral(data: unknown): string {
  const json = JSON.stringify(data) ?? "null";
  return `'${json.replace(/[\\']/g, "\\$&").replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029")}'`;
}

function inject(bundle: string, placeholder: string, data: unknown): string {
  const at = bundle.indexOf(placeholder);
  if (at < 0 || bundle.indexOf(placeholder, at + 1) >= 0) throw new Error(`the bundle must contain ${placeholder} exactly once`);
  return bundle.slice(0, at) + configLiteral(data) + bundle.slice(at + placeholder.length);
}

export function injectConfig(bundle: string, config: RuntimeConfig): string {
  return inject(bundle, PLACEHOLDER, config);
}

/** The preview panel with a version's names; null for the panel without names. */
export function injectNames(bundle: string, names: RuntimeNames | null): string {
  return inject(bundle, NAMES_PLACEHOLDER, names);
}
