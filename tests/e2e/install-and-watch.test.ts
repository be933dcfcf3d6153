// The engineer's journey in real Chromium: from the Live events page to an environment's
// Install page, create the server key (shown once, copied), send a test event, and see it
// in the live stream with its Meta delivery, then its detail with the request Meta got.
// Then a publisher opens a destination's delivery log, finds the dead letter with the
// reason, and replays it once the cause is fixed. Meta is the local stand-in the e2e
// server's TAGPIPE_META_BASE_URL points at (tests/e2e/global-setup.ts).
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";
import { addMember, expectStatus, newTeam, uid, type Json, type Team } from "../helpers/api";

const base = inject("e2eBaseUrl");

let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let team: Team;
let siteId = "";
let productionId = "";
let brokenMetaId = "";

async function signIn(p: Page, email: string, password: string) {
  await p.goto(`${base}/signin`);
  await p.getByLabel("Email").fill(email);
  await p.getByLabel("Password").fill(password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.waitForURL("**/overview");
}

beforeAll(async () => {
  team = await newTeam(base);
  const owner = team.owner;
  const site = expectStatus(await owner.post("/sites", { name: `Watch Shop ${uid()}`, hostnames: ["watch.example.com"], defaultCurrency: "EUR" }), 201);
  siteId = site.id;
  const containerId = site.container.id as string;
  const plan = expectStatus(await owner.get("/plan/events"), 200).data as Json[];
  const purchase = plan.find((e) => e.name === "purchase") ?? expectStatus(await owner.post("/plan/events", { preset: "purchase" }), 201);
  const variable = async (name: string, path: string) => expectStatus(await owner.post(`/containers/${containerId}/variables`, { name, definition: { kind: "data_layer", path } }), 201).id as string;
  const trigger = expectStatus(await owner.post(`/containers/${containerId}/triggers`, { name: "purchase pushed", definition: { type: "data_layer_event", eventName: "purchase" } }), 201);
  const event = expectStatus(
    await owner.post(`/containers/${containerId}/events`, {
      planEventId: purchase.id,
      triggerIds: [trigger.id],
      mappings: { value: await variable("value", "ecommerce.value"), currency: await variable("currency", "ecommerce.currency"), order_id: await variable("order id", "ecommerce.transaction_id"), content_ids: await variable("item ids", "ecommerce.items[].item_id") },
    }),
    201,
  );
  const destination = async (name: string, pixelId: string, token: string | null) =>
    expectStatus(
      await owner.post(`/containers/${containerId}/destinations`, {
        name,
        definition: { platform: "meta", ids: { pixelId }, testEventCode: "TEST4242", events: [{ eventId: event.id }] },
        secrets: token ? { accessToken: token } : {},
      }),
      201,
    ).id as string;
  await destination("Meta", "1111111111", "EAAB-meta-token");
  // No Conversions API token yet: its deliveries are dead-lettered with that reason.
  brokenMetaId = await destination("Meta backup", "2222222222", null);
  const version = expectStatus(await owner.post(`/containers/${containerId}/versions`, { note: "watch" }), 201);
  productionId = (site.container.environments as Json[]).find((e) => e.kind === "production").id;
  expectStatus(await owner.post(`/versions/${version.id}/publish`, { environmentId: productionId }), 201);

  const engineer = await addMember(team, "publisher");
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
  page = await context.newPage();
  errors = trackErrors(page);
  await signIn(page, engineer.email, engineer.password);
});

afterAll(async () => {
  await browser?.close();
});

describe("install and watch", () => {
  test("an engineer creates a server key and sends a test event from the Install page, then sees it in the live stream with its Meta delivery", async () => {
    await page.getByRole("link", { name: "Live events" }).first().click();
    await page.waitForURL("**/stream");
    await page.getByRole("heading", { name: "Live events" }).waitFor();
    await screenshot(page, "stream-hub");
    await page.getByRole("link", { name: /^Install Watch Shop .* production$/ }).click();
    await page.waitForURL(`**/sites/${siteId}/install/${productionId}`);
    await page.getByRole("heading", { name: "Install · production" }).waitFor();
    // The three snippets and the purchase example, from the live version.
    const text = await page.locator("main").innerText();
    expect(text).toContain(`/c/`);
    expect(text).toMatch(/integrity="sha384-/);
    expect(text).toContain('nonce="{{CSP_NONCE}}"');
    expect(text).toContain('"event": "purchase"');
    expect(text).toContain('"transaction_id": "1001"');

    await page.getByRole("button", { name: "Create server key" }).click();
    const keyBlock = page.getByLabel("Server key", { exact: true });
    await keyBlock.waitFor();
    const key = (await keyBlock.innerText()).trim();
    expect(key).toMatch(/^tps_/);
    await page.getByRole("button", { name: "Copy Server key" }).click();
    await page.getByText("Copied", { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    // The key works at the collector.
    const sent = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ events: [{ event_id: `order-${uid()}`, name: "purchase", test: true, params: { value: 5, currency: "EUR", order_id: uid(), content_ids: ["a"] }, user_data: { external_id: "x" } }] }),
    });
    expect(sent.status).toBe(202);
    await screenshot(page, "stream-install");

    await page.getByRole("button", { name: "Send test event" }).click();
    const result = page.getByRole("status").filter({ hasText: "The collector answered" });
    await result.waitFor();
    expect(await result.innerText()).toContain("accepted");
    const eventId = /(tagpipe_test_[0-9a-f-]+)/.exec(await result.innerText())![1];
    await result.getByRole("link", { name: "See it in the live stream" }).click();
    await page.waitForURL(`**/sites/${siteId}/stream/${productionId}?q=*`);

    const row = page.locator(`tr[data-event-id="${eventId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.getByText("Meta delivered").waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain("test");
    await row.getByText("Meta backup dead").waitFor({ timeout: 20_000 });
    await screenshot(page, "stream-live-search");

    // The unfiltered stream shows it too, refreshing on its own.
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.locator(`tr[data-event-id="${eventId}"]`).getByText("Meta delivered").waitFor();
    await screenshot(page, "stream-live");

    await page.locator(`tr[data-event-id="${eventId}"]`).getByRole("link", { name: "purchase" }).click();
    await page.getByRole("heading", { name: "purchase (test)" }).waitFor();
    const detail = await page.locator("main").innerText();
    expect(detail).toContain(eventId);
    expect(detail).toContain("Request body, exactly as sent");
    expect(detail).toContain('"test_event_code":"TEST4242"');
    expect(detail).toContain('"access_token":"[secret]"');
    expect(detail).not.toContain("EAAB-meta-token");
    expect(detail).toContain("events_received");
    expect(detail).toContain("no Conversions API access token is set");
    await screenshot(page, "stream-event-detail");
    expect(errors).toEqual([]);
  });

  test("a publisher replays a dead letter from the delivery log and sees it delivered", async () => {
    await page.goto(`${base}/sites/${siteId}`);
    await page.getByRole("link", { name: "Meta backup" }).click();
    await page.waitForURL(`**/sites/${siteId}/deliveries/${brokenMetaId}`);
    const dead = page.locator("tr[data-delivery-id]").first();
    await dead.waitFor();
    expect(await dead.innerText()).toContain("no Conversions API access token is set");
    await screenshot(page, "stream-delivery-log");

    // The cause fixed (the token set), the publisher replays what failed.
    const before = expectStatus(await team.owner.get(`/destinations/${brokenMetaId}`), 200);
    expectStatus(await team.owner.patch(`/destinations/${brokenMetaId}`, { revision: before.revision, secrets: { accessToken: "EAAB-fixed-token" } }), 200);
    const count = await page.locator("tr[data-delivery-id]").count();
    await page.getByLabel("Select every dead letter on this page").check();
    await page.getByRole("button", { name: `Replay selected (${count})` }).click();
    const outcome = page.getByRole("region", { name: "Replay result" });
    await outcome.getByText(`Replayed ${count} dead letter`).waitFor();
    await expect.poll(async () => (await outcome.innerText()).match(/delivered/g)?.length ?? 0, { timeout: 30_000 }).toBe(count);
    await screenshot(page, "stream-replay-result");
    // Nothing failed is left.
    await page.getByText("No failures").waitFor({ timeout: 10_000 });
    expect(errors).toEqual([]);
  });

  test("a viewer reads the stream but is offered no replay", async () => {
    const viewer = await addMember(team, "viewer");
    const viewerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await viewerContext.newPage();
    const pageErrors = trackErrors(p);
    await signIn(p, viewer.email, viewer.password);
    await p.goto(`${base}/sites/${siteId}/stream/${productionId}`);
    await p.locator("tr[data-event-id]").first().waitFor();
    await screenshot(p, "stream-live-390");
    await p.goto(`${base}/sites/${siteId}/deliveries/${brokenMetaId}?`);
    await p.getByText("Publishers and owners can replay dead letters.").waitFor();
    expect(await p.getByRole("button", { name: /Replay/ }).count()).toBe(0);
    await p.goto(`${base}/sites/${siteId}/install/${productionId}`);
    await p.getByText("Publishers and owners create and rotate server keys.").waitFor();
    await screenshot(p, "stream-install-390");
    expect(pageErrors).toEqual([]);
    await viewerContext.close();
  });
});
