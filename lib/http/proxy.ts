// What a request says about itself behind reverse proxies. TAGPIPE_TRUST_PROXY is the
// number of proxies in front of Tagpipe that we trust (0: none, the default). Each proxy
// appends the address it saw to X-Forwarded-For, so with N trusted proxies the client is
// the Nth entry from the right; anything further left was written by the client and can
// be anything. X-Forwarded-Host and -Proto are believed only when proxies are trusted (a
// direct client could otherwise name any host: the CSRF check and the collector URL baked
// into published scripts read them), and then the entry nearest to us counts.
//
// clientIp runs on the collector's hot path: a scan from the right, no split, no array.

function hops(): number {
  const raw = (process.env.TAGPIPE_TRUST_PROXY ?? "").trim().toLowerCase();
  if (raw === "true") return 1;
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 32) : 0;
}

/** Read once: the setting is fixed for the life of the process. */
export const TRUSTED_HOPS = hops();

/** The client's address: the socket's, or with trusted proxies the Nth X-Forwarded-For entry from the right. */
export function clientIp(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted = TRUSTED_HOPS): string {
  const socket = remoteAddress ?? "unknown";
  if (trusted === 0 || forwardedFor === undefined) return socket;
  const list = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  let end = list.length;
  for (let i = 1; i <= trusted; i += 1) {
    const comma = list.lastIndexOf(",", end - 1);
    if (i === trusted || comma < 0) {
      const entry = list.slice(comma + 1, end).trim();
      return entry || socket;
    }
    end = comma;
  }
  return socket;
}

/** The last entry of a header a chain of proxies may have made a list ("a, b"): the nearest proxy's. */
export function lastEntry(value: string | null | undefined): string | null {
  if (!value) return null;
  const item = value.slice(value.lastIndexOf(",") + 1).trim();
  return item || null;
}

/** X-Forwarded-Host and X-Forwarded-Proto, when proxies are trusted; null otherwise. */
export function forwardedHost(headers: Headers, trusted = TRUSTED_HOPS): string | null {
  return trusted > 0 ? lastEntry(headers.get("x-forwarded-host")) : null;
}

export function forwardedProto(headers: Headers, trusted = TRUSTED_HOPS): string | null {
  return trusted > 0 ? lastEntry(headers.get("x-forwarded-proto")) : null;
}

/** Headers a client must not be able to set when no proxy is trusted (Next and next-auth read them). */
export const FORWARDED_HEADERS = ["x-forwarded-host", "x-forwarded-proto", "x-forwarded-for", "x-forwarded-port"] as const;
