// Signing in and staying safe: wrong passwords, sign-in throttling, session cookie flags,
// expired and forged sessions, sign-out, CSRF on cookie-authenticated writes, and bad
// or revoked API tokens.
import fs from "node:fs";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { beforeAll, describe, expect, inject, it } from "vitest";
import {
  Client,
  SESSION_COOKIE,
  attemptSignIn,
  createToken,
  expectStatus,
  loopbackAddress,
  newTeam,
  signIn,
  signUp,
  siteBody,
  uid,
  type Json,
  type Team,
} from "../helpers/api";

describe.each(inject("servers"))("authentication on $name", ({ url, dataDir }) => {
  let team: Team;

  beforeAll(async () => {
    team = await newTeam(url);
  });

  describe("sign-in", () => {
    it("a wrong password or an unknown email gives no session", async () => {
      for (const [email, password] of [
        [team.email, "not-the-password"],
        [`nobody-${uid()}@example.test`, team.password],
      ]) {
        const attempt = await attemptSignIn(url, email, password);
        expect(attempt.status).toBe(302);
        expect(attempt.error).toBe("CredentialsSignin");
        expect(attempt.client.cookies.has(SESSION_COOKIE)).toBe(false);
        expect(expectStatus(await attempt.client.get("/team"), 401).error.code).toBe("unauthorized");
      }
    });

    it("the right password gives an HttpOnly, SameSite=Lax session cookie that works", async () => {
      const attempt = await attemptSignIn(url, team.email, team.password);
      expect(attempt.status).toBe(302);
      expect(attempt.error).toBeNull();
      const cookie = attempt.setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
      expect(cookie, attempt.setCookies.join("\n")).toBeDefined();
      const flags = cookie!.split(";").slice(1).map((f) => f.trim().toLowerCase());
      expect(flags).toContain("httponly");
      expect(flags).toContain("samesite=lax");
      expect(flags).toContain("path=/");
      // Served over plain HTTP here: Secure would make browsers drop it.
      expect(flags).not.toContain("secure");
      const me = expectStatus(await attempt.client.get("/team"), 200);
      expect(me).toMatchObject({ id: team.teamId, role: "owner" });
    });

    it("refuses the 6th attempt for one email from one address within a minute, even with the right password; the owner elsewhere signs in", async () => {
      const victim = await signUp(url);
      const stranger = loopbackAddress();
      for (let i = 1; i <= 5; i++) {
        const attempt = await attemptSignIn(url, victim.email, `wrong-password-${i}`, stranger);
        expect(attempt.error, `attempt ${i}`).toBe("CredentialsSignin");
      }
      const sixth = await attemptSignIn(url, victim.email, "wrong-password-6", stranger);
      expect(sixth.error).toMatch(/too many sign-in attempts/i);
      expect(sixth.error).toMatch(/try again in \d+ seconds/);
      // From the same address, with the right password: still refused.
      const right = await attemptSignIn(url, victim.email, victim.password, stranger);
      expect(right.error).toMatch(/too many sign-in attempts/i);
      expect(right.client.cookies.has(SESSION_COOKIE)).toBe(false);
      // The account's owner, from their own address, is not locked out by the stranger.
      const owner = await attemptSignIn(url, victim.email, victim.password);
      expect(owner.error).toBeNull();
      expect(owner.client.cookies.has(SESSION_COOKIE)).toBe(true);
    });

    it("refuses the 31st attempt from one address within a minute, whatever the email", async () => {
      const from = loopbackAddress();
      for (let i = 1; i <= 30; i++) {
        const attempt = await attemptSignIn(url, `nobody-${i}-${uid()}@example.test`, "wrong-password", from);
        expect(attempt.error, `attempt ${i}`).toBe("CredentialsSignin");
      }
      const blocked = await attemptSignIn(url, team.email, team.password, from);
      expect(blocked.error).toMatch(/too many sign-in attempts/i);
      expect(blocked.client.cookies.has(SESSION_COOKIE)).toBe(false);
      // The same person from another address is let in.
      const elsewhere = await attemptSignIn(url, team.email, team.password);
      expect(elsewhere.error).toBeNull();
      expect(elsewhere.client.cookies.has(SESSION_COOKIE)).toBe(true);
    });
  });

  describe("sessions", () => {
    const secret = () => fs.readFileSync(path.join(dataDir, "auth-secret"), "utf8").trim();
    const withCookie = (value: string) => {
      const client = new Client(url);
      client.cookies.set(SESSION_COOKIE, value);
      return client;
    };

    it("an expired session cookie is refused, a current one with the same contents works", async () => {
      const claims = { uid: team.userId, sub: team.userId, email: team.email, name: team.name };
      const current = await encode({ token: claims, secret: secret(), maxAge: 600 });
      expect(expectStatus(await withCookie(current).get("/team"), 200).id).toBe(team.teamId);
      const expired = await encode({ token: claims, secret: secret(), maxAge: -60 });
      expect(expectStatus(await withCookie(expired).get("/team"), 401).error.code).toBe("unauthorized");
    });

    it("a forged or garbled session cookie is refused", async () => {
      const claims = { uid: team.userId, sub: team.userId };
      const forged = await encode({ token: claims, secret: "not-the-server-secret-at-all-0123456789" });
      expect((await withCookie(forged).get("/team")).status).toBe(401);
      expect((await withCookie("garbage").get("/team")).status).toBe(401);
      const valid = team.session.cookies.get(SESSION_COOKIE)!;
      expect((await withCookie(`${valid.slice(0, -4)}AAAA`).get("/team")).status).toBe(401);
    });

    it("signing out clears the session cookie", async () => {
      const client = await signIn(url, team.email, team.password);
      expect((await client.get("/team")).status).toBe(200);
      const csrf = (await (await client.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
      const out = await client.fetch("/api/auth/signout", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ csrfToken: csrf.csrfToken, callbackUrl: `${url}/` }).toString(),
      });
      expect(out.status).toBe(302);
      // The server answered with an emptied or already-expired cookie, so the jar dropped it.
      expect(out.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
      expect(client.cookies.has(SESSION_COOKIE)).toBe(false);
      expect((await client.get("/team")).status).toBe(401);
    });
  });

  describe("CSRF: writes with a session cookie must come from this origin", () => {
    async function siteCount() {
      return expectStatus(await team.owner.get("/sites"), 200).data.length as number;
    }

    const cases: { case: string; headers: Record<string, string>; origin: string | null }[] = [
      { case: "no Origin header", headers: {}, origin: null },
      { case: "another site's Origin", headers: {}, origin: "http://evil.example" },
      { case: "another port on this host", headers: {}, origin: "http://127.0.0.1:1" },
      { case: "Origin: null", headers: {}, origin: "null" },
      { case: "no Origin, Sec-Fetch-Site: cross-site", headers: { "sec-fetch-site": "cross-site" }, origin: null },
    ];
    it.each(cases)("refuses a POST with $case", async ({ headers, origin }) => {
      const before = await siteCount();
      const body = expectStatus(await team.session.post("/sites", siteBody(), { headers, origin }), 403);
      expect(body.error.code).toBe("csrf");
      expect(await siteCount()).toBe(before);
    });

    it("refuses PATCH and DELETE without Origin, and changes nothing", async () => {
      const site = expectStatus(await team.owner.post("/sites", siteBody()), 201);
      expect(expectStatus(await team.session.patch(`/sites/${site.id}`, { name: "Forged" }, { origin: null }), 403).error.code).toBe("csrf");
      expect(expectStatus(await team.session.delete(`/sites/${site.id}`, { origin: null }), 403).error.code).toBe("csrf");
      expect(expectStatus(await team.owner.get(`/sites/${site.id}`), 200).name).toBe(site.name);
    });

    it("allows same-origin writes, reads without Origin, and bearer tokens without Origin", async () => {
      expectStatus(await team.session.post("/sites", siteBody()), 201);
      expectStatus(await team.session.post("/sites", siteBody(), { origin: null, headers: { "sec-fetch-site": "same-origin" } }), 201);
      expectStatus(await team.session.get("/sites", { origin: null }), 200);
      expectStatus(await team.owner.post("/sites", siteBody()), 201);
    });
  });

  describe("API tokens", () => {
    it.each([
      { case: "no credentials", header: null },
      { case: "an unknown token", header: `Bearer tpk_${"x".repeat(43)}` },
      { case: "garbage", header: "Bearer garbage" },
      { case: "an empty bearer", header: "Bearer " },
      { case: "another scheme", header: "Basic dXNlcjpwYXNz" },
      { case: "an overlong token", header: `Bearer tpk_${"a".repeat(500)}` },
    ])("$case → 401", async ({ header }) => {
      const client = new Client(url);
      const reply = await client.get("/sites", { headers: header ? { authorization: header } : {} });
      expect(expectStatus(reply, 401).error.code).toBe("unauthorized");
    });

    it("a revoked token stops working at once", async () => {
      const token = await createToken(team.owner, "editor");
      const client = new Client(url, token.secret);
      expectStatus(await client.get("/sites"), 200);
      expect((await team.owner.delete(`/tokens/${token.id}`)).status).toBe(204);
      expect(expectStatus(await client.get("/sites"), 401).error.code).toBe("unauthorized");
      expect(expectStatus(await client.post("/sites", siteBody()), 401).error.code).toBe("unauthorized");
    });

    it("a token with one character changed is refused", async () => {
      const token = await createToken(team.owner, "viewer");
      const last = token.secret.at(-1) === "A" ? "B" : "A";
      expect((await new Client(url, `${token.secret.slice(0, -1)}${last}`).get("/sites")).status).toBe(401);
      expect((await new Client(url, token.secret).get("/sites")).status).toBe(200);
    });

    it("a bearer token wins over a session cookie sent with it", async () => {
      const viewer = await createToken(team.owner, "viewer");
      const both = new Client(url, viewer.secret);
      for (const [k, v] of team.session.cookies) both.cookies.set(k, v);
      const body: Json = expectStatus(await both.post("/sites", siteBody()), 403);
      expect(body.error.code).toBe("forbidden");
    });
  });
});
