// The origin people reach this Tagpipe at, for links and URLs we show (invitations,
// container scripts): the configured public URL, else the scheme and Host of the request.
import { env } from "../env";

export function originFromHeaders(headers: Headers, fallback = "http://127.0.0.1"): string {
  const configured = env().NEXTAUTH_URL;
  if (configured) return configured.replace(/\/$/, "");
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  const proto = headers.get("x-forwarded-proto") ?? "http";
  return host ? `${proto}://${host}` : fallback;
}

export function publicOrigin(request: Request): string {
  return originFromHeaders(request.headers, new URL(request.url).origin);
}
