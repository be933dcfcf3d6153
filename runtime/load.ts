// Loading scripts: vendors' base code and the preview panel.
// Under a nonce-based CSP, the container's own nonce lets the scripts it loads run too.
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce;

/** Loads a script (a vendor's base code, the preview panel) asynchronously. */
export function loadScript(src: string): void {
  const s = document.createElement("script");
  s.async = true;
  s.src = src;
  if (nonce) s.nonce = nonce;
  document.head.appendChild(s);
}
