// The one host matcher: a site's hostnames (Origin checks), its regions' hostname rules
// (the collector, and the browser runtime, which bundles this file), all alike.

/**
 * Whether `host` is `pattern`: an exact hostname, or "*.example.com" (as configured) or
 * ".example.com" (as the container carries it) for example.com and any subdomain of it.
 */
export function hostMatches(pattern: string, host: string): boolean {
  const dot = pattern[0] === "*" ? 1 : pattern[0] === "." ? 0 : -1;
  return dot < 0 ? host === pattern : host === pattern.slice(dot + 1) || host.endsWith(pattern.slice(dot));
}
