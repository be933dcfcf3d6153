// The published container on a storefront, in real Chromium: a fixture shop served on
// 127.0.0.1 loads the container script from Tagpipe; local stand-ins for fbq, ttq and gtag
// record every vendor call; the collector beacons are read off the network. Each
// conversion carries one event_id across all of them.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot } from "./browser";
import { expectStatus, newTeam, type Client, type Json } from "../helpers/api";

const base = inject("e2eBaseUrl");
// Strings that must stay data: they reach the page only inside the container's JSON.
const NASTY = `</script><script>window.__pwned=1</script>"'\\ \u2028\u2029<img src=x onerror="window.__pwned=2">`;

let owner: Client;
let browser: Browser;
let shop: http.Server;
let shopUrl = "";
let key = "";
let stagingKey = "";
let containerId = "";

type Call = unknown[];
type Beacon = { key: string; events: Json[] };

function page(scriptKey: string, early = "", standIns = true, nonce = ""): string {
  const n = nonce ? ` nonce="${nonce}"` : "";
  return `<!doctype html><html><head><title>Fixture shop</title>
<script${n}>
  window.calls = [];
  ${standIns ? "" : "/*"}
  window.fbq = function () { calls.push(["fbq"].concat([].slice.call(arguments))); };
  window.ttq = { load: function (id) { calls.push(["ttq.load", id]); }, page: function () { calls.push(["ttq.page"]); }, track: function () { calls.push(["ttq.track"].concat([].slice.call(arguments))); } };
  window.gtag = function () { calls.push(["gtag"].concat([].slice.call(arguments))); };
  ${standIns ? "" : "*/"}
  window.dataLayer = window.dataLayer || [];
  ${early}
</script>
<script${n} src="${base}/c/${scriptKey}.js"></script>
</head><body>
<h1>Fixture shop</h1>
<button id="signup">Sign up</button>
<form id="lead" onsubmit="event.preventDefault()"><input name="q"><button type="submit">Send</button></form>
</body></html>`;
}

beforeAll(async () => {
  // A team of its own: the demo team's tracking plan belongs to the plan-and-versions journey.
  owner = (await newTeam(base)).owner;
  const site = expectStatus(
    await owner.post("/sites", {
      name: `E2E Shop ${Date.now()}`,
      hostnames: ["127.0.0.1"],
      defaultCurrency: "EUR",
      regions: [{ code: "eu", name: "EU", countries: ["DE"], consentDefault: "denied", currency: "EUR" }],
    }),
    201,
  );
  const id = site.container.id as string;
  containerId = id;
  const planIds: Record<string, string> = {};
  const existing = expectStatus(await owner.get("/plan/events"), 200).data as Json[];
  for (const preset of ["page_view", "view_item", "add_to_cart", "purchase", "sign_up", "lead"]) {
    const found = existing.find((p) => p.name === preset);
    planIds[preset] = found ? found.id : expectStatus(await owner.post("/plan/events", { preset }), 201).id;
  }
  const variable = async (name: string, definition: Json) => expectStatus(await owner.post(`/containers/${id}/variables`, { name, definition }), 201).id as string;
  const v = {
    value: await variable("E2E value", { kind: "data_layer", path: "ecommerce.value", coerce: "number" }),
    currency: await variable("E2E currency", { kind: "data_layer", path: "ecommerce.currency" }),
    order: await variable("E2E order", { kind: "data_layer", path: "ecommerce.transaction_id", coerce: "string" }),
    ids: await variable("E2E item ids", { kind: "data_layer", path: "ecommerce.items[].item_id", coerce: "list" }),
    items: await variable("E2E items", { kind: "data_layer", path: "ecommerce.items" }),
    email: await variable("E2E email", { kind: "data_layer", path: "user.email" }),
    nasty: await variable("E2E nasty", { kind: "constant", value: NASTY }),
  };
  const trigger = async (name: string, definition: Json) => expectStatus(await owner.post(`/containers/${id}/triggers`, { name, definition }), 201).id as string;
  const t = {
    pageView: await trigger("E2E page view", { type: "page_view" }),
    spa: await trigger("E2E SPA route", { type: "history_change", conditions: [{ source: "page_path", operator: "starts_with", value: "/spa" }] }),
    viewItem: await trigger("E2E view item", { type: "data_layer_event", eventName: "view_item" }),
    cart: await trigger("E2E add to cart", { type: "data_layer_event", eventName: "add_to_cart" }),
    purchase: await trigger(`E2E purchase ${NASTY}`, {
      type: "data_layer_event",
      eventName: "purchase",
      fireLimit: "once_per_event_id",
      conditions: [{ source: "data_layer", key: "ecommerce.value", operator: "gte", value: "0" }],
    }),
    internal: await trigger("E2E internal orders", { type: "data_layer_event", eventName: "purchase", conditions: [{ source: "data_layer", key: "ecommerce.affiliation", operator: "equals", value: "internal" }] }),
    click: await trigger("E2E signup click", { type: "click", selector: "#signup" }),
    form: await trigger("E2E lead form", { type: "form_submit", selector: "form#lead" }),
  };
  // Internal test orders must not count: a blocking trigger.
  const purchaseTrigger = expectStatus(await owner.get(`/triggers/${t.purchase}`), 200);
  expectStatus(await owner.patch(`/triggers/${t.purchase}`, { revision: purchaseTrigger.revision, definition: { ...purchaseTrigger.definition, blockingTriggerIds: [t.internal] } }), 200);

  const event = async (preset: string, triggerIds: string[], mappings: Record<string, string>) =>
    expectStatus(await owner.post(`/containers/${id}/events`, { planEventId: planIds[preset], triggerIds, mappings }), 201).id as string;
  const e = {
    pageView: await event("page_view", [t.pageView, t.spa], {}),
    viewItem: await event("view_item", [t.viewItem], { content_ids: v.ids }),
    cart: await event("add_to_cart", [t.cart], { value: v.value, currency: v.currency, content_ids: v.ids }),
    purchase: await event("purchase", [t.purchase], { value: v.value, currency: v.currency, order_id: v.order, content_ids: v.ids, contents: v.items, "user_data.email": v.email }),
    signUp: await event("sign_up", [t.click], {}),
    lead: await event("lead", [t.form], { search_string: v.nasty }),
  };
  const destination = async (name: string, definition: Json) => expectStatus(await owner.post(`/containers/${id}/destinations`, { name, definition }), 201);
  const all = Object.values(e).map((eventId) => ({ eventId }));
  await destination("E2E Meta", { platform: "meta", ids: { pixelId: "1234567890" }, events: all });
  await destination("E2E TikTok", { platform: "tiktok", ids: { pixelCode: "CABCDEFGHIJ123" }, events: [{ eventId: e.cart }, { eventId: e.purchase }] });
  await destination("E2E GA4", { platform: "ga4", ids: { measurementId: "G-E2ETEST1" }, events: [{ eventId: e.purchase }] });

  const version = expectStatus(await owner.post(`/containers/${id}/versions`, { note: "e2e storefront" }), 201);
  const envs = expectStatus(await owner.get(`/containers/${id}/environments`), 200).data as Json[];
  const production = envs.find((x) => x.kind === "production");
  const staging = envs.find((x) => x.kind === "staging");
  expectStatus(await owner.post(`/versions/${version.id}/publish`, { environmentId: production.id }), 201);
  expectStatus(await owner.post(`/versions/${version.id}/publish`, { environmentId: staging.id }), 201);
  key = production.publicKey;
  stagingKey = staging.publicKey;

  shop = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const early = url.pathname === "/thanks"
      ? `dataLayer.push({event: "purchase", ecommerce: {transaction_id: "1001", value: 59.9, currency: "eur", items: [{item_id: "sku-1", quantity: 2, price: 29.95}]}, user: {email: "Ada@Example.com"}});`
      : url.pathname === "/eu"
        ? `window.tagpipe = function () { (tagpipe.q = tagpipe.q || []).push(arguments); }; tagpipe("config", {region: "eu"});`
        : "";
    // /csp: a nonce-based Content-Security-Policy, as a strict storefront sends it.
    const nonce = url.pathname === "/csp" ? "e2e-nonce-7Qx" : "";
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...(nonce ? { "content-security-policy": `script-src 'nonce-${nonce}'` } : {}) });
    res.end(page(url.searchParams.get("env") === "staging" ? stagingKey : key, early, url.pathname !== "/plain" && !nonce, nonce));
  });
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
});

/**
 * A shop page whose collector beacons are recorded as they leave: the page's sendBeacon is
 * wrapped (CDP does not expose a beacon's body), then the real one sends it.
 */
async function openShop(path: string): Promise<{ page: Page; beacons: () => Promise<Beacon[]>; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  await context.addInitScript(() => {
    const w = window as unknown as { __beacons: string[] };
    w.__beacons = [];
    const original = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = (url, data) => {
      if (typeof data === "string") w.__beacons.push(data);
      else if (data instanceof Blob) void data.text().then((t) => w.__beacons.push(t));
      return original(url, data);
    };
  });
  const p = await context.newPage();
  const errors: string[] = [];
  p.on("pageerror", (e) => errors.push(e.message));
  await p.goto(`${shopUrl}${path}`);
  const beacons = async () => ((await p.evaluate(() => (window as unknown as { __beacons: string[] }).__beacons)) as string[]).map((t) => JSON.parse(t) as Beacon);
  return { page: p, beacons, errors };
}

const calls = (p: Page) => p.evaluate(() => (window as unknown as { calls: Call[] }).calls);
const events = async (beacons: () => Promise<Beacon[]>) => (await beacons()).flatMap((b) => b.events);
const flush = (p: Page) => p.evaluate(() => (window as unknown as { tagpipe: { flush(): void } }).tagpipe.flush());

describe("the container on a storefront", () => {
  test("a page view, a product view and an add to cart fire each pixel once, with the collector's event_id", async () => {
    const { page: p, beacons, errors } = await openShop("/shop/product");
    await p.evaluate(() => {
      const dl = (window as unknown as { dataLayer: unknown[] }).dataLayer;
      dl.push({ event: "view_item", ecommerce: { items: [{ item_id: "sku-9" }] } });
      dl.push({ event: "add_to_cart", ecommerce: { value: 19.5, currency: "USD", items: [{ item_id: "sku-9", quantity: 1 }] } });
    });
    await flush(p);
    await expect.poll(async () => (await events(beacons)).length).toBe(3);
    const c = await calls(p);
    expect(c.filter((x) => x[0] === "fbq" && x[1] === "init")).toEqual([["fbq", "init", "1234567890"]]);
    // trackSingle: the event goes to this destination's pixel only.
    const meta = c.filter((x) => x[0] === "fbq" && x[1] === "trackSingle");
    expect(meta.every((x) => x[2] === "1234567890")).toBe(true);
    expect(meta.map((x) => x[3])).toEqual(["PageView", "ViewContent", "AddToCart"]);
    const cart = (await events(beacons)).find((x) => x.name === "add_to_cart");
    expect(cart.params).toEqual({ value: 19.5, currency: "USD", content_ids: ["sku-9"] });
    expect(meta[2][5]).toEqual({ eventID: cart.event_id });
    const tiktok = c.filter((x) => x[0] === "ttq.track");
    expect(tiktok).toEqual([["ttq.track", "AddToCart", expect.objectContaining({ value: 19.5, currency: "USD" }), { event_id: cart.event_id }]]);
    expect(c.filter((x) => x[0] === "gtag" && x[1] === "event")).toEqual([]);
    expect(new Set((await events(beacons)).map((x) => x.event_id)).size).toBe(3);
    expect(errors).toEqual([]);
  });

  test("a purchase pushed before the script loaded counts once, and a reload of the thank-you page does not count again", async () => {
    const { page: p, beacons } = await openShop("/thanks");
    await flush(p);
    await expect.poll(async () => (await events(beacons)).filter((x) => x.name === "purchase").length).toBe(1);
    const purchase = (await events(beacons)).find((x) => x.name === "purchase");
    expect(purchase.event_id).toBe("order-1001");
    expect(purchase.params).toMatchObject({ value: 59.9, currency: "EUR", order_id: "1001", content_ids: ["sku-1"] });
    // Raw user data goes only to the first-party collector, which hashes it on arrival.
    expect(purchase.user_data.email).toBe("Ada@Example.com");
    const c = await calls(p);
    expect(c.find((x) => x[0] === "fbq" && x[3] === "Purchase")).toEqual([
      "fbq",
      "trackSingle",
      "1234567890",
      "Purchase",
      expect.objectContaining({ value: 59.9, currency: "EUR", order_id: "1001", content_ids: ["sku-1"] }),
      { eventID: "order-1001" },
    ]);
    expect(c.find((x) => x[0] === "ttq.track" && x[1] === "CompletePayment")?.[3]).toEqual({ event_id: "order-1001" });
    expect(c.find((x) => x[0] === "gtag" && x[2] === "purchase")?.[3]).toMatchObject({ transaction_id: "1001", event_id: "order-1001", send_to: "G-E2ETEST1" });
    expect(JSON.stringify(c)).not.toContain("Ada@Example.com");

    await p.reload();
    await flush(p);
    // A fresh page: its beacons hold the page view only.
    await expect.poll(async () => (await events(beacons)).map((x) => x.name)).toEqual(["page_view"]);
    expect((await calls(p)).filter((x) => x[3] === "Purchase" || x[1] === "CompletePayment")).toEqual([]);
    await screenshot(p, "storefront-thanks");
  });

  test("without consent nothing fires; granting consent sends what waited", async () => {
    const { page: p, beacons } = await openShop("/eu");
    await p.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: "purchase", ecommerce: { transaction_id: "2002", value: 10, currency: "EUR", items: [{ item_id: "a" }] } }));
    await flush(p);
    await p.waitForTimeout(300);
    expect(await calls(p)).toEqual([]);
    expect(await events(beacons)).toEqual([]);
    await p.evaluate(() => (window as unknown as { tagpipe: (...a: unknown[]) => void }).tagpipe("consent", { ad_storage: "granted" }));
    await flush(p);
    await expect.poll(async () => (await events(beacons)).length).toBe(2);
    expect((await events(beacons)).map((x) => [x.name, x.region, x.consent.ad_storage])).toEqual([
      ["page_view", "eu", "granted"],
      ["purchase", "eu", "granted"],
    ]);
    // The tags script loads on the first conversion that fires a pixel: here, once consent came.
    await expect.poll(async () => (await calls(p)).filter((x) => x[1] === "trackSingle").map((x) => x[3])).toEqual(["PageView", "Purchase"]);
  });

  test("an SPA route change, a click and a form submit fire their events; blocked and invalid events are not sent to pixels", async () => {
    const { page: p, beacons, errors } = await openShop("/shop/");
    await p.evaluate(() => history.pushState({}, "", "/spa/checkout"));
    await p.click("#signup");
    await p.fill("form#lead input", "hello");
    await p.click("form#lead button");
    await p.evaluate(() => {
      const dl = (window as unknown as { dataLayer: unknown[] }).dataLayer;
      dl.push({ event: "purchase", ecommerce: { transaction_id: "3003", affiliation: "internal", value: 5, currency: "EUR", items: [{ item_id: "x" }] } });
      dl.push({ event: "purchase", ecommerce: { transaction_id: "", value: 5, currency: "EUR", items: [] } });
      dl.push(null, 42, "junk");
    });
    await flush(p);
    await expect.poll(async () => (await events(beacons)).map((x) => x.name)).toEqual(["page_view", "page_view", "sign_up", "lead", "purchase"]);
    const invalid = (await events(beacons)).find((x) => x.name === "purchase");
    // Problems go to the collector as "<parameter> <code>" (lib/validation/params.ts words them).
    expect(invalid.errors).toEqual(expect.arrayContaining(["order_id required", "content_ids required"]));
    const c = await calls(p);
    expect(c.filter((x) => x[1] === "trackSingle").map((x) => x[3])).toEqual(["PageView", "PageView", "CompleteRegistration", "Lead"]);
    expect(errors).toEqual([]);
  });

  test("without the vendors' code on the page, their documented stubs queue the calls and their scripts load", async () => {
    const { page: p, errors } = await openShop("/plain");
    await p.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: "add_to_cart", ecommerce: { value: 4, currency: "EUR", items: [{ item_id: "s" }] } }));
    const state = await p.evaluate(() => {
      const w = window as unknown as { fbq: { queue: unknown[][]; version: string }; ttq: unknown[][]; dataLayer: unknown[] };
      return {
        fbq: w.fbq.queue.map((args) => Array.from(args).slice(0, 3)),
        version: w.fbq.version,
        ttq: Array.from(w.ttq).map((args) => Array.from(args).slice(0, 2)),
        scripts: Array.from(document.scripts).map((s) => s.src).filter((src) => !src.includes("/c/")),
      };
    });
    expect(state.version).toBe("2.0");
    expect(state.fbq).toEqual([
      ["init", "1234567890"],
      ["trackSingle", "1234567890", "PageView"],
      ["trackSingle", "1234567890", "AddToCart"],
    ]);
    expect(state.ttq).toEqual([["track", "AddToCart"]]);
    expect(state.scripts).toEqual(expect.arrayContaining([expect.stringContaining("connect.facebook.net/en_US/fbevents.js"), expect.stringContaining("analytics.tiktok.com/i18n/pixel/events.js")]));
    // GA4 fires on purchases only: its code is not loaded for this page.
    expect(state.scripts.some((src) => src.includes("googletagmanager"))).toBe(false);
    expect(errors).toEqual([]);
  });

  test("under a nonce-based CSP, the vendor code the container loads carries the page's nonce", async () => {
    const { page: p, beacons, errors } = await openShop("/csp");
    await p.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: "add_to_cart", ecommerce: { value: 4, currency: "EUR", items: [{ item_id: "s" }] } }));
    await flush(p);
    await expect.poll(async () => (await events(beacons)).map((x) => x.name)).toEqual(["page_view", "add_to_cart"]);
    const loaded = await p.evaluate(() =>
      Array.from(document.scripts)
        .filter((s) => /fbevents|analytics\.tiktok/.test(s.src))
        .map((s) => s.nonce),
    );
    expect(loaded).toEqual(["e2e-nonce-7Qx", "e2e-nonce-7Qx"]);
    // The container's own tags script: the nonce too, and pinned by the SHA-384 the
    // container script carries (the browser refuses it if its bytes differ).
    const tags = await p.evaluate(() => Array.from(document.scripts, (s) => ({ src: s.src, nonce: s.nonce, integrity: s.integrity })).filter((s) => s.integrity));
    expect(tags).toEqual([{ src: expect.stringMatching(new RegExp(`/c/${key}\\.[a-f0-9]{64}\\.js$`)), nonce: "e2e-nonce-7Qx", integrity: expect.stringMatching(/^sha384-/) }]);
    const served = await fetch(tags[0].src);
    expect(served.headers.get("cache-control")).toContain("immutable");
    expect(served.headers.get("access-control-allow-origin")).toBe("*");
    expect(`sha384-${crypto.createHash("sha384").update(await served.text()).digest("base64")}`).toBe(tags[0].integrity);
    expect(errors).toEqual([]);
  });

  test("a tags script whose bytes are not the published ones does not run; the events still reach the collector", async () => {
    const context = await browser.newContext();
    await context.route(new RegExp(`/c/${key}\\.[a-f0-9]{64}\\.js$`), (route) =>
      route.fulfill({ status: 200, headers: { "content-type": "application/javascript", "access-control-allow-origin": "*" }, body: "window.__tampered = 1;" }),
    );
    const p = await context.newPage();
    const messages: string[] = [];
    p.on("console", (m) => messages.push(m.text()));
    await p.goto(`${shopUrl}/shop/`);
    // Chromium says why it refused the script.
    await expect.poll(() => messages.some((m) => /integrity/.test(m))).toBe(true);
    const sent = p.waitForRequest((r) => r.url() === `${base}/api/collect`);
    await flush(p);
    expect((await sent).postData()).toContain('"page_view"');
    expect(await p.evaluate(() => (window as unknown as { __tampered?: number }).__tampered)).toBeUndefined();
    expect(await calls(p)).toEqual([]);
    await context.close();
  });

  test("configuration strings stay inert and arrive intact", async () => {
    const { page: p, beacons } = await openShop("/shop/");
    await p.click("form#lead button");
    await flush(p);
    await expect.poll(async () => (await events(beacons)).find((x) => x.name === "lead")?.params.search_string).toBe(NASTY);
    expect(await p.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await p.locator("img[src=x]").count()).toBe(0);
  });

  test("entity names stay out of the container script; the preview panel of its version brings them", async () => {
    const script = await (await fetch(`${base}/c/${key}.js`)).text();
    expect(script).toContain("1234567890");
    expect(script).not.toContain("E2E purchase");
    expect(script).not.toContain("E2E Meta");
    const panelUrl = /'\[(?:[^,]*,){3}"([^"]+)"/.exec(script)?.[1];
    expect(panelUrl).toBe(`${base}/c/${key}.1.preview.js`);
    const panel = await fetch(panelUrl!);
    expect(panel.status).toBe(200);
    expect(panel.headers.get("access-control-allow-origin")).toBe("*");
    const body = await panel.text();
    expect(body).toContain("E2E internal orders");
    expect(body).toContain("E2E Meta");
    // Names are data here too: the nasty trigger name cannot end a script element.
    expect(body).not.toContain("</script>");
    expect((await fetch(`${base}/c/${key}.99.preview.js`)).status).toBe(404);
    expect((await fetch(`${base}/c/tp_nobodynobodynobody.1.preview.js`)).status).toBe(404);
  });

  test("a staging container marks its events as test events", async () => {
    const { page: p, beacons } = await openShop("/shop/?env=staging");
    await flush(p);
    await expect.poll(async () => (await events(beacons)).length).toBe(1);
    expect((await beacons())[0].key).toBe(stagingKey);
    expect((await events(beacons))[0].test).toBe(true);
    // A staging container never fires the production pixels.
    expect(await calls(p)).toEqual([]);
  });

  test("the collector accepted the storefront's events", async () => {
    const { page: p } = await openShop("/shop/");
    const responses: number[] = [];
    p.on("response", (r) => {
      if (r.url() === `${base}/api/collect`) responses.push(r.status());
    });
    await p.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: "add_to_cart", ecommerce: { value: 1, currency: "EUR", items: [{ item_id: "z" }] } }));
    await flush(p);
    await expect.poll(() => responses).toEqual([202]);
  });

  test("preview mode explains a matched and an unmatched trigger in an in-page panel", async () => {
    const envs = expectStatus(await owner.get(`/containers/${containerId}/environments`), 200).data as Json[];
    const production = envs.find((x) => x.kind === "production");
    const link = expectStatus(await owner.post(`/environments/${production.id}/preview`), 201);
    expect(link.url).toContain("tagpipe_preview=");
    const { page: p } = await openShop(`/shop/?tagpipe_preview=${encodeURIComponent(link.token)}`);
    await p.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: "purchase", ecommerce: { transaction_id: "4004", affiliation: "web", value: 3, currency: "EUR", items: [{ item_id: "q" }] } }));
    const panel = p.locator("[data-tagpipe-preview]");
    await expect.poll(() => panel.count()).toBe(1);
    const text = await panel.evaluate((host) => host.shadowRoot?.textContent ?? "");
    expect(text).toContain("✓ trigger E2E purchase");
    expect(text).toContain("✗ trigger E2E internal orders on purchase");
    expect(text).toContain('✗ data_layer ecommerce.affiliation equals "internal" (was "web")');
    expect(text).toContain("✓ purchase");
    await screenshot(p, "storefront-preview");

    // The next page of the shop, without the link: the token comes from its cookie (read
    // through the asynchronous Cookie Store API in Chromium), and the panel is there again.
    const next = await p.context().newPage();
    await next.goto(`${shopUrl}/shop/next`);
    await expect.poll(() => next.locator("[data-tagpipe-preview]").count()).toBe(1);
    // A page of a shop that was never previewed has none.
    const { page: other } = await openShop("/shop/other");
    await other.waitForTimeout(500);
    expect(await other.locator("[data-tagpipe-preview]").count()).toBe(0);
  });

  // Where the beacon cannot leave and the collector cannot be reached, events wait in
  // localStorage (without user data) with a marker cookie; the next page sends them. Pages
  // without the marker never touch localStorage for it.
  test("events the collector could not take are sent by the next page; pages with nothing queued never read the queue", async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      const w = window as unknown as { __queueReads: number };
      w.__queueReads = 0;
      // No sendBeacon (as in browsers without it): the runtime sends with fetch.
      Object.defineProperty(navigator, "sendBeacon", { value: undefined });
      const getItem = Storage.prototype.getItem;
      Storage.prototype.getItem = function (k: string) {
        if (k === "tp:q") w.__queueReads++;
        return getItem.call(this, k);
      };
    });
    const queueReads = (p: Page) => p.evaluate(() => (window as unknown as { __queueReads: number }).__queueReads);
    const sent: string[] = [];
    context.on("request", (r) => r.method() === "POST" && r.url().endsWith("/api/collect") && sent.push(r.postData() ?? ""));

    // The collector unreachable: the add to cart is stored.
    await context.route("**/api/collect", (r) => r.abort("connectionrefused"));
    const first = await context.newPage();
    await first.goto(`${shopUrl}/shop/queue`);
    await first.waitForTimeout(300);
    expect(await queueReads(first)).toBe(0);
    await first.evaluate(() => (window as unknown as { dataLayer: unknown[] }).dataLayer.push({ event: "add_to_cart", ecommerce: { value: 7, currency: "EUR", items: [{ item_id: "queued-1" }] }, user: { email: "queue@example.com" } }));
    await flush(first);
    await expect.poll(() => first.evaluate(() => localStorage.getItem("tp:q"))).toContain("queued-1");
    const stored = (await first.evaluate(() => localStorage.getItem("tp:q")))!;
    expect(stored).not.toContain("queue@example.com");
    const queued = (JSON.parse(stored) as Json[]).find((e) => e.name === "add_to_cart")!;
    expect((await context.cookies()).find((c) => c.name === "tp_q")?.value).toBe("1");
    await first.close();

    // The collector back: the next page sends the stored event with its own, and clears the queue and its marker.
    await context.unroute("**/api/collect");
    sent.length = 0;
    const second = await context.newPage();
    await second.goto(`${shopUrl}/shop/queue-2`);
    await expect.poll(() => sent.some((body) => body.includes(queued.event_id))).toBe(true);
    expect(await queueReads(second)).toBe(1);
    expect(await second.evaluate(() => localStorage.getItem("tp:q"))).toBe("[]");
    expect((await context.cookies()).find((c) => c.name === "tp_q")).toBeUndefined();
    await second.close();

    // And the page after that does not read the queue at all.
    const third = await context.newPage();
    await third.goto(`${shopUrl}/shop/queue-3`);
    await third.waitForTimeout(1500);
    expect(await queueReads(third)).toBe(0);
    await context.close();
  });
});
