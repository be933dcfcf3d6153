// A marketer reconciles the shop's orders in Chromium: 97 of 100 orders reached Meta
// (sent server-side through the real collector and forwarder to the Meta stand-in), the
// marketer uploads the order CSV — with three bad rows — maps its columns, watches the
// progress bar, reads the per-row errors, reads "reached Meta: 97 of 100 orders" on the
// Reconciliation page, and opens a missing order to see why. Screenshots at each step
// (tests/.artifacts/screenshots/reconciliation-*.png).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";
import { startCollector, type Collector } from "../helpers/collector";
import { createPipeline, eventually, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

let standIns: StandIns;
let collector: Collector;
let p: Pipeline;
let browser: Browser;
let page: Page;
let errors: string[];
const tag = randomUUID().slice(0, 6);
const orderId = (i: number) => `${tag}-${String(i).padStart(3, "0")}`;
const file = path.join(os.tmpdir(), `orders-${tag}.csv`);
const placed = new Date(Date.now() - 10 * 60_000).toISOString();

beforeAll(async () => {
  standIns = await startStandIns();
  // A server of this file's own: the shared e2e server does not know the stand-ins.
  collector = await startCollector({ name: "e2e-reconciliation", backend: "postgres", distDir: process.env.TAGPIPE_DIST_DIR || ".next", standIns });
  p = await createPipeline(collector.url, [{ platform: "meta" }]);
  // 97 of the 100 orders send their purchase server-side; 98, 99 and 100 never arrive.
  const events = Array.from({ length: 97 }, (_, i) => ({
    event_id: randomUUID(),
    name: "purchase",
    params: { value: 25, currency: "EUR", order_id: orderId(i + 1), content_ids: ["sku-1"] },
    user_data: { email: `buyer${i}@example.com` },
  }));
  const reply = await sendServerEvents(collector.url, p.production.serverKey, events);
  expect(reply.status, reply.text).toBe(202);
  await eventually(async () => {
    const [row] = await collector.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Delivery" WHERE "teamId" = $1 AND status = 'delivered'`, [p.team.teamId]);
    return row.n === 97;
  }, 30_000, "97 deliveries to Meta");

  const lines = ["Order Number;Date;Total;Currency;Financial Status;Email"];
  for (let i = 1; i <= 100; i++) {
    lines.push(`${orderId(i)};${placed};25.00;EUR;paid;buyer${i - 1}@example.com`);
    if (i === 10) lines.push(`${tag}-bad-1;05/12/2026;25.00;EUR;paid;`);
    if (i === 50) lines.push(`${tag}-bad-2;${placed};twenty;EUR;paid;`);
    if (i === 90) lines.push(`${tag}-bad-3;${placed};25.00;EUR;lost in the mail;`);
  }
  fs.writeFileSync(file, lines.join("\n") + "\n");

  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  errors = trackErrors(page);
  await page.goto(`${collector.url}/signin`);
  await page.getByLabel("Email").fill(p.team.email);
  await page.getByLabel("Password").fill(p.team.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/overview");
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await collector?.stop();
  await standIns?.close();
  fs.rmSync(file, { force: true });
});

describe("a marketer reconciles orders with what Meta received", () => {
  test("uploads the order CSV: maps the columns, watches the progress, reads the bad rows", { timeout: 90_000 }, async () => {
    await page.getByRole("link", { name: "Reconciliation", exact: true }).click();
    await page.waitForURL("**/reconciliation");
    await screenshot(page, "reconciliation-index");
    const row = page.getByRole("row").filter({ hasText: "Shop" }).first();
    await row.getByRole("link", { name: "Import orders" }).click();
    await page.waitForURL(`**/sites/${p.siteId}/orders`);
    await page.getByLabel("Order file (CSV)").setInputFiles(file);
    // The header was read in the browser: semicolons detected, the columns guessed.
    await expect.poll(() => page.getByLabel("Delimiter").inputValue()).toBe(";");
    expect(await page.getByLabel(/^Order id/).inputValue()).toBe("Order Number");
    expect(await page.getByLabel(/^Created at/).inputValue()).toBe("Date");
    expect(await page.getByLabel(/^Value/).inputValue()).toBe("Total");
    expect(await page.getByLabel(/^Status/).inputValue()).toBe("Financial Status");
    expect(await page.getByLabel(/^Email/).inputValue()).toBe("Email");
    // The preview masks the email.
    expect(await page.locator("table").first().innerText()).not.toContain("@example.com");
    await screenshot(page, "reconciliation-mapping");

    await page.getByRole("button", { name: "Import orders" }).click();
    const bar = page.getByRole("progressbar", { name: "Import progress" });
    await expect.poll(() => bar.count()).toBe(1);
    await expect.poll(() => bar.getAttribute("aria-valuenow"), { timeout: 20_000 }).toBe("100");
    const result = page.getByTestId("import-result");
    await expect.poll(() => result.innerText(), { timeout: 20_000 }).toContain("Imported 103 rows: 100 new, 0 updated, 0 unchanged; 3 rows skipped with errors.");
    const report = await result.locator("table").innerText();
    expect(report).toContain("11\tDate\tcreated_at");
    expect(report).toContain("52\tTotal\tvalue");
    expect(report).toContain("93\tFinancial Status\tstatus");
    expect(await result.getByRole("link", { name: "Download the error report (CSV)" }).getAttribute("href")).toMatch(/^\/api\/v1\/order-imports\/.+\/errors$/);
    await screenshot(page, "reconciliation-imported");
  });

  test("reads that 97 of 100 orders reached Meta, and opens a missing one to see why", { timeout: 90_000 }, async () => {
    await page.getByRole("link", { name: "Reconciliation", exact: true }).last().click();
    await page.waitForURL(`**/sites/${p.siteId}/reconciliation`);
    const tile = page.locator('[data-destination="meta"]');
    await expect.poll(() => tile.innerText()).toMatch(/reached meta \S+: 97 of 100 orders/);
    expect(await tile.innerText()).toContain("97 %");
    const chart = page.getByRole("figure", { name: "Accuracy per destination per day" });
    await expect.poll(() => chart.locator(".recharts-line").count()).toBeGreaterThan(0);
    await screenshot(page, "reconciliation-summary");

    await tile.getByRole("link", { name: "3 missing" }).click();
    await page.waitForURL("**/reconciliation/orders?**outcome=missing**");
    const rows = page.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    expect(await page.locator("tbody").innerText()).toContain(orderId(100));
    await screenshot(page, "reconciliation-missing");

    await page.getByRole("link", { name: orderId(99) }).click();
    await page.waitForURL(`**/reconciliation/orders/${orderId(99)}**`);
    const meta = page.locator('[data-destination="meta"]');
    expect(await meta.innerText()).toContain("missing");
    expect(await meta.innerText()).toContain("no conversion with this order id arrived within the window");
    expect(await page.getByText("No conversion carrying this order id arrived").count()).toBe(1);
    await screenshot(page, "reconciliation-order");

    // A delivered order links to its event and its delivery.
    await page.goto(`${collector.url}/sites/${p.siteId}/reconciliation/orders/${orderId(1)}`);
    expect(await page.locator('[data-destination="meta"]').innerText()).toContain("delivered");
    await page.locator("tbody a").first().click();
    await page.waitForURL(`**/sites/${p.siteId}/stream/**/events/**`);
    await screenshot(page, "reconciliation-event");
  });

  test("uploads the product catalog on the Health page and reads the catalog check", { timeout: 90_000 }, async () => {
    const catalog = path.join(os.tmpdir(), `catalog-${tag}.csv`);
    fs.writeFileSync(catalog, "sku,price,currency\nsku-2,10.00,EUR\n");
    await page.goto(`${collector.url}/sites/${p.siteId}/health?period=24h`);
    // The Health page shows its cards once the fold counted the purchases.
    await expect.poll(async () => {
      await page.reload();
      return page.getByLabel("Catalog file (CSV)").count();
    }, { timeout: 30_000, interval: 1000 }).toBe(1);
    // Chosen again until the column step shows: a file chosen before React hydrated the
    // freshly reloaded page has no handler to read it.
    await expect.poll(async () => {
      await page.getByLabel("Catalog file (CSV)").setInputFiles(catalog);
      return page.getByLabel(/^Product id column/).count();
    }, { timeout: 30_000, interval: 1000 }).toBe(1);
    await expect.poll(() => page.getByLabel(/^Product id column/).inputValue()).toBe("sku");
    await page.getByRole("button", { name: "Replace the catalog" }).click();
    await expect.poll(() => page.getByText("Catalog replaced: 1 product.", { exact: true }).count(), { timeout: 20_000 }).toBe(1);
    // Every purchase carried sku-1, which the catalog lacks: 0 % found, sku-1 listed with its events.
    await expect.poll(() => page.locator('[data-figure="catalog-found"]').innerText(), { timeout: 20_000 }).toContain("0 %");
    expect(await page.locator('[data-unknown="sku-1"]').innerText()).toContain("97");
    await page.locator('[data-unknown="sku-1"]').scrollIntoViewIfNeeded();
    await screenshot(page, "reconciliation-catalog");
    // The card says what it read: the newest conversions with content ids among each environment's newest events.
    expect(await page.getByText(/newest 20,000 conversions with content ids among each environment's newest 100,000 events of the last day;/).count()).toBe(1);
    for (const width of [1440, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.locator('[data-unknown="sku-1"]').scrollIntoViewIfNeeded();
      await screenshot(page, `reconciliation-catalog-${width}`);
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    fs.rmSync(catalog, { force: true });
  });

  test("the pages are usable at 390 px", { timeout: 90_000 }, async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${collector.url}/sites/${p.siteId}/reconciliation`);
    await expect.poll(() => page.locator('[data-destination="meta"]').innerText()).toContain("97 of 100");
    await screenshot(page, "reconciliation-summary-390");
    await page.goto(`${collector.url}/sites/${p.siteId}/orders`);
    await screenshot(page, "reconciliation-orders-390");
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(errors).toEqual([]);
  });
});
