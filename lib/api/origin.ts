// The origin people reach this Tagpipe at, for links and URLs we show (invitations,
// container scripts): the configured public URL, else the scheme and Host of the request
// (X-Forwarded-Host/-Proto only from trusted proxies: lib/http/proxy.ts). Not
// request.url: behind Next's server that is http://localhost:<port>. And the CSRF check
// of cookie-authenticated writes, which compares the Origin header with the same host.
import { env } from "../env";
import { forwardedHost, forwardedProto } from "../http/proxy";

// Only a plain host[:port] makes a link; anything else (a path, a scheme) falls back.
const PLAIN_HOST = /^[a-z0-9.\-[\]:]+$/i;

/** The host the client addressed: the trusted proxy's X-Forwarded-Host, else Host. */
export function requestHost(headers: Headers, trusted?: number): string | null {
  return forwardedHost(headers, trusted) ?? headers.get("host")?.trim() ?? null;
}

export function originFromHeaders(headers: Headers, fallback = "http://127.0.0.1", trusted?: number): string {
  const configured = env().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/$/, "");
  const host = requestHost(headers, trusted);
  const proto = forwardedProto(headers, trusted) ?? "http";
  return host && PLAIN_HOST.test(host) && /^https?$/.test(proto) ? `${proto}://${host}` : fallback;
}

export function publicOrigin(request: Request): string {
  return originFromHeaders(request.headers, new URL(request.url).origin);
}

/** Same-origin check for cookie-authenticated writes: Origin must name the host addressed. */
export function sameOrigin(request: Request, trusted?: number): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return request.headers.get("sec-fetch-site") === "same-origin";
  try {
    return new URL(origin).host === requestHost(request.headers, trusted);
  } catch {
    return false;
  }
}

const LOOPBACK = /^(localhost|.*\.localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0|\[::\])$/i;

/**
 * Why a collector URL would not work from storefronts — it names this machine (localhost,
 * 127.x, ::1) — or null. A production script built with it sends every event nowhere;
 * it happens when NEXTAUTH_URL is unset and the dashboard is opened on localhost.
 */
export function loopbackOriginWarning(origin: string): string | null {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return null;
  }
  if (!LOOPBACK.test(host)) return null;
  return `The script would send events to ${origin}, which only this machine can reach: set NEXTAUTH_URL to Tagpipe's public URL (or open the dashboard at it) before publishing to production.`;
}
