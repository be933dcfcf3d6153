// A marketer moves from Google Tag Manager, in Chromium: uploads the shop's GTM export
// (tests/fixtures/gtm/shop-ui-export.json: GA4, Google Ads, Meta, TikTok), reads the
// report and the changes, applies them, versions and publishes to staging; a storefront
// page pushing the same data-layer events reaches staging's event stream (and fires no
// pixel: staging never does), then, published to production, fires the vendor calls the
// GTM tags made: the same event names and parameters, and none for a test order that
// the GTM blocking trigger held back.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { VISITOR_USER_AGENT, launch, screenshot, trackErrors, signInPage } from "./browser";
import { expectStatus, newTeam, type Client, type Json } from "../helpers/api";
import { eventually } from "../helpers/pipeline";

const base = inject("e2eBaseUrl");
const FIXTURE = path.resolve("tests/fixtures/gtm/shop-ui-export.json");
let browser: Browser;
let page: Page;
let errors: string[];
let api: Client;
let containerId = "";
let envs: Record<string, Json> = {};
let shop: http.Server;
let shopUrl = "";

// What each vendor's script would send, recorded in window.__px (as tests/integration/platforms-matrix.test.ts fakes them).
const FAKE_SCRIPTS: Record<string, string> = {
  "connect.facebook.net": `(function(){var f=window.fbq;function rec(a){window.__px.push(["meta"].concat([].slice.call(a)))}
    var q=f.queue||[];f.queue=[];f.callMethod=function(){rec(arguments)};q.forEach(rec);})();`,
  "analytics.tiktok.com": `(function(){var t=window.ttq;function rec(a){window.__px.push(["tiktok"].concat([].slice.call(a)))}
    [].slice.call(t).forEach(rec);t.push=function(a){rec(a)};})();`,
  "www.googletagmanager.com": `(function(){window.google_tag_data={};var dl=window.dataLayer;
    function handle(a){if(a&&typeof a==="object"&&a[0]==="event")window.__px.push(["google",a[1],a[2]])}
    dl.forEach(handle);var push=dl.push;dl.push=function(){[].forEach.call(arguments,handle);return push.apply(dl,arguments)};})();`,
};
type Hit = [vendor: string, ...args: Json[]];

/** The storefront: the data-layer pushes the GTM container was built for. */
function storefront(publicKey: string, order: string): string {
  const item = { item_id: "sku-1", item_name: "Mug", price: 19.95, quantity: 1 };
  const pushes = [
    { event: "view_item", ecommerce: { currency: "EUR", value: 19.95, items: [item] } },
    { event: "add_to_cart", ecommerce: { currency: "EUR", value: 19.95, items: [item] } },
    { event: "purchase", ecommerce: { transaction_id: order, currency: "EUR", value: 59.9, items: [{ ...item, quantity: 3 }] } },
    // A test order: GTM's "Block - Test orders" kept every purchase tag from firing.
    { event: "purchase", ecommerce: { transaction_id: `test-${order}`, currency: "EUR", value: 1, items: [item] } },
  ];
  return `<!doctype html><html><head><title>Mugs</title><script>
    window.__px = [];
    window.dataLayer = window.dataLayer || [];
  </script><script src="${base}/c/${publicKey}.js"></script></head><body><h1>Mugs</h1><script>
    ${pushes.map((p) => `dataLayer.push(${JSON.stringify(p)});`).join("\n")}
  </script></body></html>`;
}

beforeAll(async () => {
  const team = await newTeam(base);
  api = team.owner;
  // The storefront is served from 127.0.0.1: the site's hostname, so its beacons are taken.
  const site = expectStatus(await api.post("/sites", { name: `GTM shop ${Date.now().toString(36)}`, hostnames: ["127.0.0.1"], defaultCurrency: "EUR", regions: [] }), 201);
  containerId = site.container.id;
  envs = Object.fromEntries(site.container.environments.map((e: Json) => [e.kind, e]));
  shop = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(storefront(url.searchParams.get("key") ?? "", url.searchParams.get("order") ?? "none"));
  });
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  errors = trackErrors(page);
  await signInPage(page, base, team.email, team.password);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
});

/** A visitor's browser with the vendors' scripts answered by the recording fakes. */
async function visit(publicKey: string, order: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ userAgent: VISITOR_USER_AGENT });
  for (const [host, body] of Object.entries(FAKE_SCRIPTS)) await context.route(`https://${host}/**`, (route) => route.fulfill({ status: 200, contentType: "text/javascript", body }));
  const visitor = await context.newPage();
  await visitor.goto(`${shopUrl}/?key=${publicKey}&order=${order}`);
  return { context, page: visitor };
}
/** Chooses the file, again until the page took it: a file chosen before hydration has no handler. */
async function choose(file: Parameters<Page["setInputFiles"]>[1]) {
  await expect
    .poll(
      async () => {
        await page.getByLabel("GTM export file").setInputFiles(file);
        return page.getByRole("button", { name: "Preview the import" }).isEnabled();
      },
      { timeout: 30_000 },
    )
    .toBe(true);
}
const hitsOf = (p: Page) => p.evaluate(() => (window as unknown as { __px: Hit[] }).__px);

describe("moving from Google Tag Manager", () => {
  test("the marketer uploads the export and reads the report and the changes", async () => {
    await page.goto(`${base}/containers/${containerId}`);
    await page.getByRole("link", { name: "Import a Google Tag Manager container →" }).click();
    await page.waitForURL("**/gtm");
    // A file that is not a GTM export is refused beside the field, before anything changes.
    await choose({ name: "notes.json", mimeType: "application/json", buffer: Buffer.from('{"hello": "world"}') });
    await page.getByRole("button", { name: "Preview the import" }).click();
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "not a GTM container export" }).count(), { timeout: 30_000 }).toBe(1);

    await choose(FIXTURE);
    await page.getByRole("button", { name: "Preview the import" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "2. Read the report and the changes" }).count(), { timeout: 30_000 }).toBe(1);
    const report = page.getByRole("region", { name: "Import report" });
    await expect.poll(() => report.getByRole("row", { name: "GA4 - purchase: Converted with changes" }).count(), { timeout: 30_000 }).toBe(1);
    expect(await report.getByRole("row", { name: "UA - Pageview: Not importable" }).textContent()).toContain("Universal Analytics");
    expect(await report.getByRole("row", { name: "JS - item ids: Not importable" }).textContent()).toContain("Custom JavaScript");
    expect(await report.getByRole("row", { name: "CE - purchase: Imported" }).count()).toBe(1);
    const summary = page.getByRole("list", { name: "Report summary" });
    expect(await summary.textContent()).toMatch(/Not importable\s*\d+/);
    const changes = page.getByRole("region", { name: "Changes to the draft" });
    expect(await changes.getByRole("listitem", { name: "Destination GA4 G-SHOP12345 added" }).count()).toBe(1);
    await screenshot(page, "gtm-import-report");
    await changes.screenshot({ path: path.resolve("tests/.artifacts/screenshots/gtm-import-diff.png") });
    // Nothing is written by the preview.
    expect(expectStatus(await api.get(`/containers/${containerId}/draft`), 200).draft.destinations).toEqual([]);
  });

  test("applies it, versions it and publishes to staging", async () => {
    await page.getByRole("button", { name: "Apply: replace the draft" }).click();
    await expect.poll(() => page.getByRole("heading", { name: "3. Imported" }).count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByText("GTM-SHOP123 is in the draft (replaced)").count()).toBe(1);
    await screenshot(page, "gtm-import-result");

    // What GTM's tags did not hold: the Google Ads account and conversion action (the destination editor has its own journey).
    const draft = expectStatus(await api.get(`/containers/${containerId}/draft`), 200);
    for (const d of draft.draft.destinations.filter((x: Json) => x.platform === "google_ads")) {
      const current = expectStatus(await api.get(`/destinations/${d.id}`), 200);
      expectStatus(await api.patch(`/destinations/${d.id}`, { revision: current.revision, definition: { ...current.definition, ids: { ...current.definition.ids, customerId: "123-456-7890", conversionActionId: "4242" } } }), 200);
    }

    await page.goto(`${base}/containers/${containerId}/versions`);
    const create = page.getByRole("form", { name: "Create a version" });
    await create.getByLabel("Note").fill("Imported from GTM-SHOP123");
    await create.getByRole("button", { name: "Create version v1" }).click();
    await expect.poll(() => page.getByRole("cell", { name: "Imported from GTM-SHOP123" }).count(), { timeout: 30_000 }).toBe(1);
    await page.getByRole("button", { name: "Publish to…" }).first().click();
    const publish = page.getByRole("form", { name: "Publish v1" });
    const select = publish.getByLabel("Environment");
    await select.selectOption((await select.locator("option", { hasText: /^staging / }).first().getAttribute("value"))!);
    await publish.getByRole("button", { name: "Publish v1 to staging" }).click();
    await expect.poll(() => page.getByRole("form", { name: "Publish v1" }).count(), { timeout: 30_000 }).toBe(0);
    expect(errors).toEqual([]);
  });

  test("on staging, the storefront's events reach the stream and no pixel fires", async () => {
    const order = `o${Date.now().toString(36)}`;
    const { context, page: visitor } = await visit(envs.staging.publicKey, order);
    const stream = await eventually(async () => {
      const events = expectStatus(await api.get(`/environments/${envs.staging.id}/events?limit=50`), 200).data as Json[];
      return events.some((e) => e.name === "purchase" && e.orderId === order) ? events : null;
    }, 30_000, "staging's stream to show the purchase");
    expect(stream.map((e) => e.name)).toEqual(expect.arrayContaining(["page_view", "view_item", "add_to_cart", "purchase"]));
    // The blocked test order never became an event.
    expect(stream.some((e) => e.orderId === `test-${order}`)).toBe(false);
    expect(await hitsOf(visitor)).toEqual([]);
    await context.close();
  });

  test("in production, the vendors get the calls the GTM tags made", async () => {
    const versions = expectStatus(await api.get(`/containers/${containerId}/versions`), 200).data as Json[];
    expectStatus(await api.post(`/versions/${versions[0].id}/publish`, { environmentId: envs.production.id, note: "GTM import checked on staging" }), 201);
    const order = `o${Date.now().toString(36)}`;
    const { context, page: visitor } = await visit(envs.production.publicKey, order);
    const hits = await eventually(async () => {
      const h = await hitsOf(visitor);
      return h.some((x) => x[0] === "tiktok" && x[2] === "CompletePayment") && h.some((x) => x[0] === "google" && x[1] === "conversion") && h.some((x) => x[0] === "meta" && x[3] === "Purchase") ? h : null;
    }, 30_000, "the purchase's vendor calls");
    await context.close();

    // GA4 (GTM: the Google tag's page view, then GA4 event tags with the data layer's ecommerce).
    const ga4 = hits.filter((h) => h[0] === "google" && (h[2] as Json)?.send_to === "G-SHOP12345");
    // By name: the page view fires at boot, the pushes as they come; the order between them is the runtime's.
    const byName = (list: Hit[], name: (h: Hit) => unknown) => Object.fromEntries(list.map((h) => [String(name(h)), h]));
    expect(ga4.map((h) => h[1]).sort()).toEqual(["add_to_cart", "page_view", "purchase", "view_item"]);
    const ga4By = byName(ga4, (h) => h[1]);
    expect(ga4By.purchase[2]).toMatchObject({ value: 59.9, currency: "EUR", transaction_id: order, items: [{ item_id: "sku-1", quantity: 3, price: 19.95 }] });
    expect(ga4By.view_item[2]).toMatchObject({ value: 19.95, currency: "EUR", items: [{ item_id: "sku-1" }] });
    // Google Ads (GTM: the purchase conversion with value, currency and order id).
    const ads = hits.filter((h) => h[0] === "google" && h[1] === "conversion");
    expect(ads).toHaveLength(1);
    expect(ads[0][2]).toMatchObject({ send_to: "AW-987654321/PuRcHaSe01", value: 59.9, currency: "EUR", transaction_id: order });
    // Meta (GTM: the Facebook Pixel template's standard events).
    const meta = hits.filter((h) => h[0] === "meta" && String(h[1]).startsWith("track"));
    expect(meta.map((h) => h[3]).sort()).toEqual(["AddToCart", "PageView", "Purchase", "ViewContent"]);
    expect(meta.every((h) => h[2] === "123456789012345")).toBe(true);
    expect(byName(meta, (h) => h[3]).Purchase[4]).toMatchObject({ value: 59.9, currency: "EUR", content_ids: ["sku-1"] });
    // TikTok (GTM: the base code's page(), and ttq.track calls in Custom HTML).
    const tiktok = hits.filter((h) => h[0] === "tiktok" && (h[1] === "track" || h[1] === "page"));
    const tiktokName = (h: Hit) => (h[1] === "page" ? "page" : h[2]);
    expect(tiktok.map(tiktokName).sort()).toEqual(["AddToCart", "CompletePayment", "ViewContent", "page"]);
    expect(byName(tiktok, tiktokName).CompletePayment[3]).toMatchObject({ value: 59.9, currency: "EUR" });
    // The test order: blocked, as GTM's blocking trigger did.
    expect(JSON.stringify(hits)).not.toContain(`test-${order}`);
  });
});
