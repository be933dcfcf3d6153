// Every dashboard page at a desktop width (1440×900) and a phone's (390×844), with data in
// it: nothing scrolls sideways (asserted from the DOM), axe-core finds no serious or
// critical accessibility violation, and a screenshot of each is written to
// tests/.artifacts/screenshots/pages-<width>-<page>.png. Then the phone's menu and the
// publish flow, done with the keyboard alone.
import { createRequire } from "node:module";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";
import { expectStatus, uid, type Json } from "../helpers/api";
import { collect, createPipeline, sendServerEvents, type Pipeline } from "../helpers/pipeline";

const base = inject("e2eBaseUrl");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

let browser: Browser;
let p: Pipeline;
const pages: { name: string; path: string; heading: string | RegExp }[] = [];

async function seed() {
  p = await createPipeline(base, []);
  const api = p.team.owner;
  const events = (await api.get(`/containers/${p.containerId}/events`)).body.data as Json[];
  const destination = expectStatus(
    await api.post(`/containers/${p.containerId}/destinations`, {
      name: "Meta pixel",
      ownerId: p.team.userId,
      definition: { platform: "meta", ids: { pixelId: "1234567890" }, events: events.map((e) => ({ eventId: e.id })) },
      secrets: { accessToken: "EAAB-responsive" },
    }),
    201,
  );
  const ids = Array.from({ length: 4 }, () => randomUUID());
  const order = (id: string) => ({ event_id: id, name: "purchase", params: { value: 42.5, currency: "EUR", order_id: `o-${id}`, content_ids: ["sku-1"] }, user_data: { email: `${id}@example.com` } });
  expect((await collect(base, { publicKey: p.production.publicKey, origin: p.origin }, ids.map(order))).status).toBe(202);
  expect((await sendServerEvents(base, p.production.serverKey, ids.slice(0, 2).map(order))).status).toBe(202);
  // The stream lists the events once the collector has written them (a deadline, not a sleep).
  let stream: Json[] = [];
  for (const deadline = Date.now() + 20_000; stream.length < 4 && Date.now() < deadline; ) {
    stream = ((await api.get(`/environments/${p.production.id}/events`)).body.data as Json[]) ?? [];
    if (stream.length < 4) await new Promise((r) => setTimeout(r, 250));
  }
  expect(stream).toHaveLength(4);
  expectStatus(await p.team.session.post("/invites", { email: `invitee-${uid()}@example.test`, role: "editor" }), 201);
  expectStatus(await api.post(`/sites/${p.siteId}/alert-channels`, { kind: "email", name: "On call", recipients: ["oncall@example.test"] }), 201);
  expectStatus(
    await api.post(`/sites/${p.siteId}/orders`, { orders: [{ order_id: `o-${ids[0]}`, created_at: new Date().toISOString(), value: "42.50", currency: "EUR", status: "paid", email: `${ids[0]}@example.com` }] }),
    201,
  );

  const s = `/sites/${p.siteId}`;
  const c = `/containers/${p.containerId}`;
  pages.push(
    { name: "overview", path: "/overview", heading: "Overview" },
    { name: "health", path: "/health", heading: "Health" },
    { name: "reconciliation", path: "/reconciliation", heading: "Reconciliation" },
    { name: "plan", path: "/plan", heading: "Tracking plan" },
    { name: "sites", path: "/sites", heading: "Sites" },
    { name: "site-new", path: "/sites/new", heading: "New site" },
    { name: "site", path: s, heading: /^Shop / },
    { name: "site-docs", path: `${s}/docs`, heading: "Tracking plan documentation" },
    { name: "site-health", path: `${s}/health`, heading: /Health/ },
    { name: "site-alerts", path: `${s}/alerts`, heading: /Alerts/ },
    { name: "site-orders", path: `${s}/orders`, heading: /Orders/ },
    { name: "site-reconciliation", path: `${s}/reconciliation`, heading: /Reconciliation/ },
    { name: "site-reconciliation-orders", path: `${s}/reconciliation/orders`, heading: /orders/i },
    { name: "site-install", path: `${s}/install/${p.production.id}`, heading: /Install/ },
    { name: "site-stream", path: `${s}/stream/${p.production.id}`, heading: /Live events/ },
    { name: "site-stream-event", path: `${s}/stream/${p.production.id}/events/${stream[0].id}`, heading: /purchase/ },
    { name: "site-deliveries", path: `${s}/deliveries/${destination.id}`, heading: /Meta pixel/ },
    { name: "stream", path: "/stream", heading: "Live events" },
    { name: "containers", path: "/containers", heading: "Containers" },
    { name: "container", path: c, heading: /Shop / },
    { name: "container-events", path: `${c}/events`, heading: /Shop / },
    { name: "container-triggers", path: `${c}/triggers`, heading: /Shop / },
    { name: "container-variables", path: `${c}/variables`, heading: /Shop / },
    { name: "container-destinations", path: `${c}/destinations`, heading: /Shop / },
    { name: "container-versions", path: `${c}/versions`, heading: /Shop / },
    { name: "alerts", path: "/alerts", heading: "Alerts" },
    { name: "members", path: "/members", heading: "Members" },
    { name: "tokens", path: "/tokens", heading: "API tokens" },
    { name: "audit", path: "/audit", heading: "Audit log" },
    { name: "settings", path: "/settings", heading: "Settings" },
    { name: "api-reference", path: "/api-reference", heading: "API reference" },
    { name: "not-found-dashboard", path: `/containers/${uid()}`, heading: "Not found" },
    { name: "not-found", path: `/no-such-page-${uid()}`, heading: "Page not found" },
  );
}

async function signIn(page: Page) {
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill(p.team.email);
  await page.getByLabel("Password").fill(p.team.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/overview");
}

/** Elements sticking out of the viewport sideways, outside any box that scrolls or clips them. */
function overflowing(page: Page) {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const style = getComputedStyle(a);
        if (style.overflowX !== "visible") return true;
      }
      return false;
    };
    const out: string[] = [];
    for (const el of document.body.querySelectorAll("*")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if ((box.right > width + 1 || box.left < -1 || box.width > width + 1) && !clipped(el)) {
        out.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} "${(el.textContent ?? "").trim().slice(0, 40)}" ${Math.round(box.left)}–${Math.round(box.right)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, elements: out.slice(0, 10) };
  });
}

type Violation = { id: string; impact: string; help: string; nodes: { target: string[] }[] };

// Every rule on every page, the API reference's renderer (Swagger UI) included: its one
// finding, nested-interactive, went with its deep links (components/api/api-reference.tsx).
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { resultTypes: ["violations"] })).violations;
  });
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

beforeAll(async () => {
  await seed();
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
]) {
  describe(`every page at ${viewport.width}×${viewport.height}`, () => {
    let context: BrowserContext;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      context = await browser.newContext({ viewport });
      page = await context.newPage();
      errors = trackErrors(page);
    });
    afterAll(async () => {
      await context?.close();
    });

    test("the sign-in page names an empty field beside it", async () => {
      await page.goto(`${base}/signin`);
      await page.getByLabel("Email").fill(p.team.email);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect.poll(() => page.getByText("Enter your password").isVisible()).toBe(true);
      expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
      expect(await page.getByText("Wrong email or password").count()).toBe(0);
      expect(await overflowing(page)).toEqual({ scrollWidth: viewport.width, innerWidth: viewport.width, elements: [] });
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, `pages-${viewport.width}-signin`);
      await signIn(page);
    });

    test("each page fits the width and has no serious accessibility violation", async () => {
      const problems: string[] = [];
      for (const target of pages) {
        const response = await page.goto(`${base}${target.path}`);
        const expected = target.name.startsWith("not-found") ? 404 : 200;
        if (response?.status() !== expected) problems.push(`${target.name}: HTTP ${response?.status()}`);
        const heading = page.getByRole("heading", { level: 1, name: target.heading }).first();
        if (!(await heading.waitFor({ timeout: 15_000 }).then(() => true, () => false))) {
          problems.push(`${target.name}: no heading ${target.heading} (h1: ${await page.locator("h1").allInnerTexts()})`);
        }
        if (target.name === "api-reference" && !(await page.locator(".swagger-ui .opblock").first().waitFor({ timeout: 90_000 }).then(() => true, () => false))) {
          problems.push("api-reference: Swagger UI did not render the operations");
        }
        // Settle (a live stream keeps a request open, so "idle" is not waited for long).
        await page.waitForLoadState("networkidle", { timeout: 3_000 }).catch(() => undefined);
        const fit = await overflowing(page);
        console.log(`[responsive] ${viewport.width} ${target.name}`);
        if (fit.scrollWidth > fit.innerWidth || fit.elements.length) problems.push(`${target.name}: ${fit.scrollWidth}px wide: ${fit.elements.join("; ")}`);
        for (const v of await seriousViolations(page)) problems.push(`${target.name}: ${v}`);
        await screenshot(page, `pages-${viewport.width}-${target.name}`);
      }
      expect(problems).toEqual([]);
    }, 600_000);

    test("no page threw an uncaught error", () => {
      expect(errors).toEqual([]);
    });
  });
}

describe("not found", () => {
  // The status is decided before any byte is sent: no loading boundary sits above a page
  // that can call notFound() (docs/dashboard.md), so a plain HTTP client sees 404.
  test("an unknown id anywhere in the dashboard answers HTTP 404 with the styled page, a known one 200", async () => {
    const session = p.team.session;
    const s = `/sites/${p.siteId}`;
    const unknown = [`/containers/${uid()}`, `/containers/${uid()}/triggers`, `/sites/${uid()}`, `/sites/${uid()}/docs`, `${s}/stream/${uid()}`, `${s}/install/${uid()}`, `${s}/deliveries/${uid()}`, `${s}/reconciliation/orders/${uid()}`];
    for (const path of unknown) {
      const response = await session.fetch(path);
      const html = await response.text();
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(html).toContain("It does not exist, or it belongs to another team.");
    }
    for (const path of [s, `/containers/${p.containerId}/triggers`, "/overview", "/settings"]) {
      expect({ path, status: (await session.fetch(path)).status }).toEqual({ path, status: 200 });
    }
  });
});

describe("keyboard and phone", () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    page = await context.newPage();
    await signIn(page);
  });
  afterAll(async () => {
    await context?.close();
  });

  /** Presses Tab until the focused element's text or label matches; fails after `limit` presses. */
  async function tabTo(name: RegExp, limit = 80) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      const label = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? `${el.getAttribute("aria-label") ?? ""} ${el.innerText ?? ""} ${(el as HTMLInputElement).labels?.[0]?.innerText ?? ""}`.trim() : "";
      });
      if (name.test(label)) return;
    }
    throw new Error(`Tab never reached ${name}`);
  }

  /** Waits for the text; on failure the screenshot and the page's text say what happened instead. */
  async function visible(text: RegExp, step: string) {
    await page
      .getByText(text)
      .first()
      .waitFor({ timeout: 20_000 })
      .catch(async (error: Error) => {
        await screenshot(page, `pages-390-keyboard-${step}-failed`);
        throw new Error(`${error.message}\nfocused: ${await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200))}\n${await page.locator("main").innerText()}`);
      });
  }

  test("the first Tab offers Skip to content, which moves focus past the navigation", async () => {
    await page.goto(`${base}/sites`);
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("content");
  });

  test("on a phone the navigation folds behind a Menu button that the keyboard opens and Escape closes", async () => {
    await page.goto(`${base}/overview`);
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.isVisible()).toBe(false);
    await tabTo(/^Menu$/);
    await page.keyboard.press("Enter");
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    expect(await nav.isVisible()).toBe(true);
    await screenshot(page, "pages-390-menu-open");
    await page.keyboard.press("Escape");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    await page.keyboard.press("Enter");
    await tabTo(/^Members$/);
    await page.keyboard.press("Enter");
    await page.waitForURL("**/members");
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    // The Members table's role column and Remove button are on screen, not cut off.
    const role = page.getByLabel(`Role of ${p.team.email}`);
    const box = await role.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
  });

  test("Copy works without the clipboard API: the text is copied through a selection, and the button says Copied", async () => {
    await page.goto(`${base}/api-reference`);
    await page.evaluate(() => {
      Object.defineProperty(navigator, "clipboard", { value: undefined, configurable: true });
      document.addEventListener("copy", (e) => {
        (window as unknown as { copied: string }).copied = (e.target as HTMLTextAreaElement).value;
      });
    });
    const button = page.getByRole("button", { name: "Copy OpenAPI document" });
    await button.click();
    await expect.poll(() => button.innerText()).toBe("Copied");
    expect(await page.evaluate(() => (window as unknown as { copied: string }).copied)).toBe(`${base}/api/v1/openapi.json`);
    expect(await page.getByRole("status").filter({ hasText: "OpenAPI document copied" }).count()).toBe(1);
  });

  test("the publish flow with the keyboard alone: create a version, publish it to staging", async () => {
    await page.goto(`${base}/containers/${p.containerId}/versions`);
    await tabTo(/^Note/);
    await page.keyboard.type("keyboard only");
    await tabTo(/^Create version v\d+$/);
    await page.keyboard.press("Enter");
    await visible(/Created v2/, "create");
    // v2's row: its Diff link, then its "Publish to…".
    await tabTo(/^Diff v2 against v1/);
    await tabTo(/^Publish to…$/, 3);
    await page.keyboard.press("Enter");
    const form = page.getByRole("form", { name: "Publish v2" });
    await form.waitFor();
    const select = form.getByLabel("Environment");
    for (let i = 0; i < 5 && !/staging/i.test(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text ?? "")); i++) {
      await page.keyboard.press("ArrowDown");
    }
    expect(await select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.text)).toMatch(/staging/i);
    await tabTo(/^Publish v2 to/);
    await page.keyboard.press("Enter");
    await visible(/staging now serves v2/i, "publish");
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Published" }).count()).toBeGreaterThan(0);
    await screenshot(page, "pages-390-published-by-keyboard");
    const live = expectStatus(await p.team.owner.get(`/environments/${p.staging.id}`), 200);
    const versions = expectStatus(await p.team.owner.get(`/containers/${p.containerId}/versions`), 200).data as Json[];
    expect(live.versionId).toBe(versions.find((v) => v.number === 2)?.id);
  });
});
