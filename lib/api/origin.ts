// The origin people reach this Tagpipe at, for links and URLs we show (invitations,
// container scripts): the configured public URL, else the scheme and Host of the request.
// Not request.url: behind Next's server that is http://localhost:<port>.
import { env } from "../env";

/** The first value of a header a chain of proxies may have made a list ("a, b"). */
function first(value: string | null): string | null {
  const item = value?.split(",")[0]?.trim();
  return item ? item : null;
}

// Only a plain host[:port] makes a link; anything else (a path, a scheme) falls back.
const PLAIN_HOST = /^[a-z0-9.\-[\]:]+$/i;

export function originFromHeaders(headers: Headers, fallback = "http://127.0.0.1"): string {
  const configured = env().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/$/, "");
  const host = first(headers.get("x-forwarded-host")) ?? first(headers.get("host"));
  const proto = first(headers.get("x-forwarded-proto")) ?? "http";
  return host && PLAIN_HOST.test(host) && /^https?$/.test(proto) ? `${proto}://${host}` : fallback;
}

export function publicOrigin(request: Request): string {
  return originFromHeaders(request.headers, new URL(request.url).origin);
}
