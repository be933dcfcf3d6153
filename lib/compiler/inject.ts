// Puts data into a bundle as a string literal: the configuration into the runtime, the
// names into the preview panel. JSON inside a JS string inside a <script>: `<` becomes
// \u003c (so "</script" cannot close the tag) and U+2028/2029 are escaped (old engines
// treat them as line breaks in string literals).
import type { RuntimeConfig, RuntimeNames } from "./runtime-config";

export const PLACEHOLDER = "__TAGPIPE_CONFIG__";
export const NAMES_PLACEHOLDER = "__TAGPIPE_NAMES__";

export function configLiteral(data: unknown): string {
  return JSON.stringify(JSON.stringify(data)).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
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
