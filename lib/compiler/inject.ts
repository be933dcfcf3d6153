// Puts the configuration into the runtime bundle as a string literal. JSON inside a JS
// string inside a <script>: `<` becomes \u003c (so "</script" cannot close the tag) and
// U+2028/2029 are escaped (old engines treat them as line breaks in string literals).
import type { RuntimeConfig } from "./runtime-config";

export const PLACEHOLDER = "__TAGPIPE_CONFIG__";

export function configLiteral(config: RuntimeConfig): string {
  return JSON.stringify(JSON.stringify(config)).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export function injectConfig(bundle: string, config: RuntimeConfig): string {
  const at = bundle.indexOf(PLACEHOLDER);
  if (at < 0 || bundle.indexOf(PLACEHOLDER, at + 1) >= 0) throw new Error("the runtime bundle must contain the config placeholder exactly once");
  return bundle.slice(0, at) + configLiteral(config) + bundle.slice(at + PLACEHOLDER.length);
}
