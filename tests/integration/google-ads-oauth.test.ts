// Google Ads keeps delivering past its access tokens' expiry: the destination holds a
// client id, client secret and refresh token (write-only); the forwarder fetches access
// tokens from the token endpoint (the stand-in issues short-lived ones), caches each
// until shortly before it expires, renews it once when the API answers 401, and
// dead-letters with Google's own message when the API still refuses or the refresh token
// is revoked.
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, newTeam, type Json, type Team } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { createPipeline, eventually, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

describe("Google Ads OAuth", () => {
  let standIns: StandIns;
  let collector: Collector;
  let team: Team;
  let p: Pipeline;

  const send = (pipeline: Pipeline, n = 1) => {
    const events = Array.from({ length: n }, () => purchase());
    return sendServerEvents(collector.url, pipeline.production.serverKey, events).then((r) => {
      expectOutcome(r, "accepted", n);
      return events.map((e) => String(e.params.order_id));
    });
  };
  const uploads = (order: string) => standIns.googleAds.received.filter((r) => r.eventIds.includes(order));
  /** The dead-lettered Google Ads delivery of an order (purchase(): order_id "o-<event_id>"). */
  async function dead(pipeline: Pipeline, order: string): Promise<Json> {
    return eventually(async () => {
      const list = expectStatus(await pipeline.team.owner.get("/deliveries?status=dead&limit=100"), 200).data as Json[];
      return list.find((d) => d.platform === "google_ads" && d.event?.eventId === order.slice(2));
    }, 30_000, `the Google Ads delivery of ${order} to be dead-lettered`);
  }

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: "ads-oauth", backend: "postgres", distDir: inject("distDir"), standIns });
    team = await newTeam(collector.url);
    p = await createPipeline(collector.url, [{ platform: "google_ads", loginCustomerId: "111-222-3333" }], { team });
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  afterEach(() => {
    expect(standIns.violations(), "contract violations at the stand-ins").toEqual([]);
    standIns.reset();
    standIns.googleAds.tokenTtlSeconds = 3600;
  });

  it("tokens that expire: each upload carries a live one, fetched again after expiry, with login-customer-id", async () => {
    standIns.googleAds.tokenTtlSeconds = 3;
    const before = standIns.googleAds.tokenRequests.length;
    const [first] = await send(p);
    await standIns.googleAds.waitForDelivered([first]);
    const [second] = await send(p);
    await standIns.googleAds.waitForDelivered([second]);
    // Cached: the second upload, a moment later, reused the first token.
    expect(standIns.googleAds.tokenRequests.length - before).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 3_200)); // the token's lifetime: the behaviour under test is its expiry
    const [third] = await send(p);
    await standIns.googleAds.waitForDelivered([third]);
    expect(standIns.googleAds.tokenRequests.length - before).toBe(2);
    const requests = [first, second, third].flatMap(uploads);
    // Never a 401: a token was renewed before it expired, not after Google refused it.
    expect(requests.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of requests) expect(r.headers["login-customer-id"]).toBe("1112223333");
    const form = standIns.googleAds.tokenRequests.at(-1)!.form;
    expect(form).toEqual({ grant_type: "refresh_token", client_id: "ads-client.apps.googleusercontent.com", client_secret: "ads-client-secret", refresh_token: "1//ads-refresh-token" });
  });

  it("a token the API refuses (401) is renewed once and the upload sent again", async () => {
    const [warm] = await send(p);
    await standIns.googleAds.waitForDelivered([warm]);
    standIns.googleAds.revokeAccessTokens();
    const before = standIns.googleAds.tokenRequests.length;
    const [order] = await send(p);
    await standIns.googleAds.waitForDelivered([order]);
    expect(uploads(order).map((r) => r.status)).toEqual([401, 200]);
    expect(standIns.googleAds.tokenRequests.length - before).toBe(1);
  });

  it("a second 401 dead-letters the delivery with Google's message", async () => {
    const [warm] = await send(p);
    await standIns.googleAds.waitForDelivered([warm]);
    standIns.googleAds.fail({ status: 401, message: "The user does not have permission to access customer 1234567890." }, 2);
    const [order] = await send(p);
    const d = await dead(p, order);
    expect(d.lastStatus).toBe(401);
    expect(d.lastError).toContain("The user does not have permission to access customer 1234567890.");
    expect(uploads(order).map((r) => r.status)).toEqual([401, 401]);
  });

  it("a revoked refresh token dead-letters with the token endpoint's reason; nothing reaches the API", async () => {
    const revoked = await createPipeline(collector.url, [{ platform: "google_ads", refreshToken: "1//revoked" }], { team });
    const [order] = await send(revoked);
    const d = await dead(revoked, order);
    expect(d.lastError).toBe("Google's token endpoint refused the OAuth credentials (400): invalid_grant: Token has been expired or revoked.");
    expect(uploads(order)).toEqual([]);
  });
});
