// The marketer's Health journey in Chromium: purchases arrive (browser and server copies,
// one with a currency that is not ISO 4217), the marketer sees the signal on the
// Overview, opens the site's Health page, reads the chart and the figures, sees the
// quality problem with its offending event, and follows the link to the mapping that
// produced it. Screenshots at each step (tests/.artifacts/screenshots/health-*.png).
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";
import { collect, createPipeline, sendServerEvents, type Pipeline } from "../helpers/pipeline";

const base = inject("e2eBaseUrl");
let browser: Browser;
let page: Page;
let errors: string[];
let p: Pipeline;
const badCurrency = randomUUID();

function order(id: string, currency = "EUR", userData: Record<string, string> = {}) {
  return { event_id: id, name: "purchase", params: { value: 30, currency, order_id: `o-${id}`, content_ids: ["sku-9"] }, user_data: userData };
}

beforeAll(async () => {
  // A published pipeline without destinations (nothing to reach from here), and events.
  p = await createPipeline(base, []);
  const ids = Array.from({ length: 6 }, () => randomUUID());
  const browserReply = await collect(base, { publicKey: p.production.publicKey, origin: p.origin }, ids.map((id) => order(id)));
  expect(browserReply.status, browserReply.text).toBe(202);
  const serverReply = await sendServerEvents(base, p.production.serverKey, [...ids.slice(0, 4).map((id) => order(id, "EUR", { email: `${id}@example.com` })), order(badCurrency, "EURO")]);
  expect(serverReply.status, serverReply.text).toBe(202);
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  errors = trackErrors(page);
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill(p.team.email);
  await page.getByLabel("Password").fill(p.team.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/overview");
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The number shown in a key figure tile. */
const figure = (name: string) => page.locator(`[data-figure="${name}"] dd`).first().innerText();

describe("a marketer reads the signal's health", () => {
  test("the Overview shows the last 24 hours once the events are folded", async () => {
    await expect
      .poll(async () => {
        await page.reload();
        return figure("received");
      }, { timeout: 20_000, interval: 500 })
      .toBe("11");
    expect(await figure("duplicates")).toBe("4");
    await screenshot(page, "health-overview");
  });

  test("the site's Health page: the figures and the chart of this period against the previous", async () => {
    await page.getByRole("link", { name: "health", exact: true }).first().click();
    await page.waitForURL(`**/sites/${p.siteId}/health`);
    await page.getByRole("link", { name: "24 h" }).click();
    await page.waitForURL("**period=24h**");
    expect(await figure("received")).toBe("11");
    expect(await figure("accepted")).toBe("6");
    expect(await figure("rejected")).toBe("1");
    expect(await figure("duplicates")).toBe("4");
    // The chart is drawn: bars for this period's counts.
    const chart = page.getByRole("figure", { name: "Events received per bucket" });
    await expect.poll(() => chart.locator(".recharts-bar-rectangle").count()).toBeGreaterThan(0);
    await expect.poll(() => chart.getByText("previous received").count()).toBeGreaterThan(0);
    // Coverage: 4 of the 6 accepted purchases came from both sources.
    expect(await page.locator('[data-coverage="purchase"]').innerText()).toContain("66.7 %");
    await screenshot(page, "health-page");
  });

  test("a quality problem names its offending event and links to the mapping", async () => {
    const row = page.locator('[data-check="purchase:currency"]');
    await expect.poll(() => row.innerText()).toContain("1 failing");
    expect(await row.innerText()).toContain(badCurrency);
    expect(await row.innerText()).toContain("params.currency must be an ISO 4217 code");
    await row.scrollIntoViewIfNeeded();
    await screenshot(page, "health-quality");
    await page.getByRole("link", { name: "Open the mapping of purchase" }).click();
    await page.waitForURL(`**/containers/${p.containerId}/events?edit=**`);
    // The purchase event's editor is open at its parameter mapping.
    await expect.poll(() => page.getByRole("table", { name: "Parameter mapping" }).count()).toBe(1);
    expect(await page.getByRole("table", { name: "Parameter mapping" }).innerText()).toContain("currency");
    await screenshot(page, "health-mapping");
  });

  test("the Health page is usable at 390 px, and an empty site says so", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/sites/${p.siteId}/health?period=24h`);
    expect(await figure("received")).toBe("11");
    await screenshot(page, "health-page-390");
    const empty = await p.team.owner.post("/sites", { name: `Quiet ${Date.now()}`, hostnames: [`q${Date.now()}.example.com`], defaultCurrency: "EUR" });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`${base}/sites/${empty.body.id}/health`);
    await expect.poll(() => page.getByText("No events yet").count()).toBe(1);
    await screenshot(page, "health-empty");
    expect(errors).toEqual([]);
  });
});
