// Small pieces of authentication that need no server: sign-in throttling, the client
// address and host behind proxies, and the public origin used in links and scripts.
import { describe, expect, it } from "vitest";
import { clearSignIn, failedSignIn, throttleSignIn } from "@/lib/auth/rate-limit";
import { loopbackOriginWarning, originFromHeaders, publicOrigin, requestHost, sameOrigin } from "@/lib/api/origin";
import { clientIp } from "@/lib/http/proxy";
import { RateLimitedError } from "@/lib/errors";
import { randomSecret } from "@/lib/auth/secrets";

const someone = () => `${randomSecret(6)}@example.test`;
const someIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250)).join(".")}`;

/** n sign-in attempts with a wrong password: each is let through (null) or refused. */
async function attempts(email: string, ip: string, n: number) {
  const results: (RateLimitedError | null)[] = [];
  for (let i = 0; i < n; i++) {
    try {
      await throttleSignIn(email, ip);
      await failedSignIn(email, ip);
      results.push(null);
    } catch (error) {
      results.push(error as RateLimitedError);
    }
  }
  return results;
}

describe("sign-in throttling", () => {
  it("allows 5 failures per email and address a minute, then refuses with a wait time", async () => {
    const results = await attempts(someone(), someIp(), 6);
    expect(results.slice(0, 5)).toEqual([null, null, null, null, null]);
    const refused = results[5]!;
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/^Too many sign-in attempts: try again in \d+ seconds$/);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("a stranger's failures do not lock the account's owner out: the owner's address is counted apart", async () => {
    const email = someone();
    const stranger = someIp();
    await attempts(email, stranger, 10);
    expect((await attempts(email, stranger, 1))[0]).toBeInstanceOf(RateLimitedError);
    await expect(throttleSignIn(email, someIp())).resolves.toBeUndefined();
  });

  it("counts an email case-insensitively", async () => {
    const email = someone();
    const ip = someIp();
    await attempts(email.toUpperCase(), ip, 5);
    expect((await attempts(email, ip, 1))[0]).toBeInstanceOf(RateLimitedError);
  });

  it("a successful sign-in clears the failures of that email from that address", async () => {
    const email = someone();
    const ip = someIp();
    await attempts(email, ip, 4);
    await clearSignIn(email, ip);
    expect(await attempts(email, ip, 5)).toEqual([null, null, null, null, null]);
  });

  it("allows 30 attempts per address a minute, whatever the emails", async () => {
    const ip = someIp();
    for (let i = 0; i < 30; i++) expect((await attempts(someone(), ip, 1))[0]).toBeNull();
    expect((await attempts(someone(), ip, 1))[0]).toBeInstanceOf(RateLimitedError);
    expect((await attempts(someone(), someIp(), 1))[0]).toBeNull();
  });
});

describe("behind proxies", () => {
  it("reads the client from the right of X-Forwarded-For, as many entries as proxies are trusted", () => {
    const chain = "6.6.6.6, 203.0.113.7, 10.0.0.2";
    expect(clientIp("10.0.0.9", chain, 0)).toBe("10.0.0.9");
    expect(clientIp("10.0.0.9", chain, 1)).toBe("10.0.0.2");
    expect(clientIp("10.0.0.9", chain, 2)).toBe("203.0.113.7");
    // A forged leftmost entry is never taken unless the whole chain is trusted.
    expect(clientIp("10.0.0.9", "6.6.6.6,203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientIp("10.0.0.9", "203.0.113.7", 3)).toBe("203.0.113.7");
    expect(clientIp("10.0.0.9", undefined, 1)).toBe("10.0.0.9");
    expect(clientIp("10.0.0.9", ["6.6.6.6", "203.0.113.7"], 1)).toBe("203.0.113.7");
    expect(clientIp("10.0.0.9", "", 1)).toBe("10.0.0.9");
  });

  it("a forwarded host counts only from a trusted proxy (the CSRF check and script URLs read it)", () => {
    const forged = new Request("http://localhost:3000/api/v1/sites", { method: "POST", headers: { host: "tp.example.com", origin: "https://evil.example", "x-forwarded-host": "evil.example" } });
    expect(sameOrigin(forged, 0)).toBe(false);
    expect(requestHost(forged.headers, 0)).toBe("tp.example.com");
    const proxied = new Request("http://localhost:3000/api/v1/sites", { method: "POST", headers: { host: "10.0.0.5:3000", origin: "https://tp.example.com", "x-forwarded-host": "tp.example.com" } });
    expect(sameOrigin(proxied, 1)).toBe(true);
    expect(sameOrigin(proxied, 0)).toBe(false);
  });

  it("warns when a collector URL names this machine", () => {
    expect(loopbackOriginWarning("http://localhost:3000")).toMatch(/only this machine can reach/);
    expect(loopbackOriginWarning("http://127.0.0.1:3000")).toMatch(/NEXTAUTH_URL/);
    expect(loopbackOriginWarning("http://[::1]:3000")).not.toBeNull();
    expect(loopbackOriginWarning("https://tags.example.com")).toBeNull();
  });
});

describe("publicOrigin", () => {
  // Without NEXTAUTH_URL (read once, on first use), the origin comes from the request.
  delete process.env.NEXTAUTH_URL;
  const request = (headers: Record<string, string>) => new Request("http://localhost:3000/api/v1/invites", { headers });

  it("uses the host the client reached, not the server's internal URL", () => {
    expect(publicOrigin(request({ host: "127.0.0.1:4000" }))).toBe("http://127.0.0.1:4000");
    expect(publicOrigin(request({ host: "tagpipe.example.com" }))).toBe("http://tagpipe.example.com");
  });

  it("follows a trusted proxy's forwarded host and protocol (the nearest entry)", () => {
    const origin = (headers: Record<string, string>) => originFromHeaders(request(headers).headers, "http://localhost:3000", 1);
    expect(origin({ host: "10.0.0.5:3000", "x-forwarded-host": "tp.example.com", "x-forwarded-proto": "https" })).toBe("https://tp.example.com");
    expect(origin({ "x-forwarded-host": "a.example.com, b.example.com", "x-forwarded-proto": "http,https" })).toBe("https://b.example.com");
    expect(origin({ host: "tp.example.com", "x-forwarded-proto": "javascript" })).toBe("http://localhost:3000");
  });

  it("ignores forwarded headers when no proxy is trusted (the default)", () => {
    expect(publicOrigin(request({ host: "tp.example.com", "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" }))).toBe("http://tp.example.com");
  });

  it("falls back to the request URL for odd hosts", () => {
    expect(publicOrigin(request({ host: "evil.example.com/phish?" }))).toBe("http://localhost:3000");
  });
});
