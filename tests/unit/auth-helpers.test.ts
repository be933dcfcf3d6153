// Small pieces of authentication that need no server: sign-in throttling and the public
// origin used in invitation links.
import { describe, expect, it } from "vitest";
import { clearSignIn, throttleSignIn } from "@/lib/auth/rate-limit";
import { publicOrigin } from "@/lib/api/origin";
import { RateLimitedError } from "@/lib/errors";
import { randomSecret } from "@/lib/auth/secrets";

const someone = () => `${randomSecret(6)}@example.test`;
const someIp = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250)).join(".")}`;

async function attempts(email: string, ip: string, n: number) {
  const results: (RateLimitedError | null)[] = [];
  for (let i = 0; i < n; i++) {
    try {
      await throttleSignIn(email, ip);
      results.push(null);
    } catch (error) {
      results.push(error as RateLimitedError);
    }
  }
  return results;
}

describe("sign-in throttling", () => {
  it("allows 5 attempts per email a minute, then refuses with a wait time", async () => {
    const results = await attempts(someone(), someIp(), 6);
    expect(results.slice(0, 5)).toEqual([null, null, null, null, null]);
    const refused = results[5]!;
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect(refused.status).toBe(429);
    expect(refused.message).toMatch(/^Too many sign-in attempts: try again in \d+ seconds$/);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("counts an email case-insensitively", async () => {
    const email = someone();
    const ip = someIp();
    await attempts(email.toUpperCase(), ip, 5);
    expect((await attempts(email, ip, 1))[0]).toBeInstanceOf(RateLimitedError);
  });

  it("a successful sign-in clears the email's count", async () => {
    const email = someone();
    const ip = someIp();
    await attempts(email, ip, 4);
    await clearSignIn(email);
    expect(await attempts(email, ip, 5)).toEqual([null, null, null, null, null]);
  });

  it("allows 30 attempts per address a minute, whatever the emails", async () => {
    const ip = someIp();
    for (let i = 0; i < 30; i++) expect((await attempts(someone(), ip, 1))[0]).toBeNull();
    expect((await attempts(someone(), ip, 1))[0]).toBeInstanceOf(RateLimitedError);
    expect((await attempts(someone(), someIp(), 1))[0]).toBeNull();
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

  it("follows a proxy's forwarded host and protocol (first value)", () => {
    expect(publicOrigin(request({ host: "10.0.0.5:3000", "x-forwarded-host": "tp.example.com", "x-forwarded-proto": "https" }))).toBe("https://tp.example.com");
    expect(publicOrigin(request({ "x-forwarded-host": "a.example.com, b.example.com", "x-forwarded-proto": "https,http" }))).toBe("https://a.example.com");
  });

  it("falls back to the request URL for odd hosts or protocols", () => {
    expect(publicOrigin(request({ host: "evil.example.com/phish?" }))).toBe("http://localhost:3000");
    expect(publicOrigin(request({ host: "tp.example.com", "x-forwarded-proto": "javascript" }))).toBe("http://localhost:3000");
  });
});
