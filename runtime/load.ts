// Loading scripts: vendors' base code and the preview panel.

/** Loads a script (a vendor's base code, the preview panel); inserted scripts run async. */
export function loadScript(src: string): HTMLScriptElement {
  const s = document.createElement("script");
  // Under a nonce-based CSP, the page's nonce (a page's scripts share one) lets the
  // scripts we load run too. Looked up now rather than kept from document.currentScript
  // at boot: that DOM wrapper would cost every page's boot path half a millisecond.
  const nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce;
  s.src = src;
  if (nonce) s.nonce = nonce;
  document.head.append(s);
  return s;
}
