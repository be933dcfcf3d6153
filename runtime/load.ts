// Loading scripts: vendors' base code, the container's tags (lazy-tags.ts) and the preview panel.

/**
 * Loads a script; inserted scripts run async. With `integrity` (an SRI value), the browser
 * runs it only if its bytes are those (fetched in CORS mode: Tagpipe serves its scripts
 * with `Access-Control-Allow-Origin: *`).
 */
export function loadScript(src: string, integrity?: string): HTMLScriptElement {
  const s = document.createElement("script");
  // Under a nonce-based CSP, the page's nonce (a page's scripts share one) lets the
  // scripts we load run too. Looked up now rather than kept from document.currentScript
  // at boot: that DOM wrapper would cost every page's boot path half a millisecond.
  const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
  s.src = src;
  if (nonce) s.nonce = nonce;
  if (integrity) {
    s.integrity = integrity;
    s.crossOrigin = "anonymous";
  }
  document.head.append(s);
  return s;
}
