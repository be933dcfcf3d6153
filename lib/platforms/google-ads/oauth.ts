// OAuth for the Google Ads API: an access token from Google's token endpoint for the
// destination's client id, client secret and refresh token (write-only secrets), cached
// in the process until shortly before it expires (an hour, as Google issues them), and
// fetched again once when the API answers 401. Concurrent rounds share one refresh.
// The endpoint's base URL is TAGPIPE_GOOGLE_OAUTH_BASE_URL (tests point it at a stand-in).
// https://developers.google.com/identity/protocols/oauth2/web-server#offline
import crypto from "node:crypto";

export type Authorized = { secrets: Record<string, string> } | { error: string; retry: boolean };

type Cached = { token: string; expiresAt: number };
const CACHE = Symbol.for("tagpipe.googleAdsTokens");
function cache(): Map<string, Promise<Cached>> {
  const holder = globalThis as { [CACHE]?: Map<string, Promise<Cached>> };
  return (holder[CACHE] ??= new Map());
}

class TokenError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

async function fetchToken(secrets: Record<string, string>): Promise<Cached> {
  const base = (process.env.TAGPIPE_GOOGLE_OAUTH_BASE_URL || "https://oauth2.googleapis.com").replace(/\/$/, "");
  let response: Response;
  try {
    response = await fetch(`${base}/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "refresh_token", client_id: secrets.clientId, client_secret: secrets.clientSecret, refresh_token: secrets.refreshToken }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new TokenError(`Google's token endpoint could not be reached: ${error instanceof Error ? error.message : String(error)}`, true);
  }
  const text = await response.text();
  let body: { access_token?: string; expires_in?: number; error?: string; error_description?: string } = {};
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported as is below
  }
  if (!response.ok || !body.access_token) {
    const said = body.error ? `${body.error}${body.error_description ? `: ${body.error_description}` : ""}` : text.slice(0, 300);
    // invalid_grant (a revoked or expired refresh token), invalid_client: only new secrets help.
    throw new TokenError(`Google's token endpoint refused the OAuth credentials (${response.status}): ${said}`, response.status === 429 || response.status >= 500);
  }
  const lifetime = (Number(body.expires_in) || 3600) * 1000;
  // Renewed a minute early (a quarter early for short-lived tokens), never used at its edge.
  return { token: body.access_token, expiresAt: Date.now() + lifetime - Math.min(60_000, lifetime / 4) };
}

/**
 * The secrets with an `accessToken` for the API. `refused`: the token the API just
 * answered 401 to; a new one is fetched unless another round already did.
 */
export async function googleAdsAuthorize(secrets: Record<string, string>, refused?: string): Promise<Authorized> {
  if (!secrets.clientId || !secrets.clientSecret || !secrets.refreshToken) {
    return { error: "the OAuth client ID, client secret and refresh token must all be set for this destination", retry: false };
  }
  const key = crypto.hash("sha256", `${secrets.clientId}\u0000${secrets.clientSecret}\u0000${secrets.refreshToken}`, "hex");
  const tokens = cache();
  let entry = tokens.get(key);
  const current = entry ? await entry.catch(() => null) : null;
  if (!current || current.expiresAt <= Date.now() || current.token === refused) {
    // Another round may have started the renewal while this one waited: then share it.
    const meanwhile = tokens.get(key);
    if (meanwhile && meanwhile !== entry) entry = meanwhile;
    else {
      const renewal = fetchToken(secrets);
      tokens.set(key, renewal);
      renewal.catch(() => tokens.get(key) === renewal && tokens.delete(key));
      entry = renewal;
    }
  }
  try {
    const { token } = await entry!;
    return { secrets: { ...secrets, accessToken: token } };
  } catch (error) {
    return error instanceof TokenError ? { error: error.message, retry: error.retry } : { error: String(error), retry: true };
  }
}

/** Forgets every cached token (tests). */
export function forgetGoogleAdsTokens(): void {
  cache().clear();
}
