// Secrets and their hashes: API tokens and invitation links are random and stored as
// SHA-256; passwords use bcrypt, with a dummy hash of the same cost for unknown emails.
import { describe, expect, it } from "vitest";
import { randomSecret, sha256Hex } from "@/lib/auth/secrets";
import { DUMMY_HASH, hashPassword, verifyPassword } from "@/lib/auth/password";
import { newPublicKey } from "@/lib/config/environments";
import { TOKEN_PREFIX } from "@/lib/auth/tokens";

describe("sha256Hex", () => {
  it("is SHA-256 in lower-case hex", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("tpk_x")).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("randomSecret", () => {
  it("is URL-safe base64 of the requested number of random bytes", () => {
    expect(randomSecret()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomSecret(32)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(randomSecret(18), "base64url")).toHaveLength(18);
  });

  it("does not repeat", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => randomSecret(8)));
    expect(seen.size).toBe(2000);
  });

  it("makes environment keys of 144 random bits and token secrets with their prefix", () => {
    const key = newPublicKey();
    expect(key).toMatch(/^tp_[A-Za-z0-9_-]{24}$/);
    expect(Buffer.from(key.slice(3), "base64url")).toHaveLength(18);
    expect(newPublicKey()).not.toBe(key);
    expect(TOKEN_PREFIX).toBe("tpk_");
  });
});

describe("passwords", () => {
  it("hash with bcrypt at cost 11, salted, and verify", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse battery"), hashPassword("correct horse battery")]);
    expect(a).toMatch(/^\$2[aby]\$11\$.{53}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct horse");
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
  });

  // Five bcrypt runs of cost 11: seconds on a busy machine.
  it("the dummy hash for unknown emails costs the same and matches nothing", { timeout: 60_000 }, async () => {
    const real = await hashPassword("anything at all");
    expect(DUMMY_HASH.slice(0, 7)).toBe(real.slice(0, 7));
    expect(DUMMY_HASH).toHaveLength(real.length);
    for (const guess of ["", "password", "tagpipe-demo", "anything at all"]) expect(await verifyPassword(guess, DUMMY_HASH)).toBe(false);
  });
});
