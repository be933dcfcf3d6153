// The owner opens Alerts from the navigation, raises a rule's threshold (a bad value is
// flagged beside its field), and adds a signed webhook channel (an http URL is refused
// beside the URL; the secret is never shown again).
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";

const base = inject("e2eBaseUrl");
let browser: Browser;
let page: Page;
let errors: string[] = [];

beforeAll(async () => {
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  errors = trackErrors(page);
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill("demo@tagpipe.test");
  await page.getByLabel("Password").fill("tagpipe-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/overview");
});

afterAll(async () => {
  await browser?.close();
});

describe("alerts", () => {
  test("from the nav to a site's alerts; a rule's threshold changed, with the error beside the field", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await page.waitForURL("**/alerts");
    await page.getByRole("link", { name: "Demo Shop" }).click();
    await page.waitForURL("**/sites/*/alerts");
    await expect.poll(() => page.getByRole("heading", { name: "Alerts · Demo Shop" }).isVisible()).toBe(true);

    const rule = page.getByRole("form", { name: "Volume drop" });
    await rule.getByLabel("Minimum volume").fill("0");
    await rule.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => rule.getByText("must be at least 1").isVisible()).toBe(true);
    await rule.getByLabel("Minimum volume").fill("30");
    await rule.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => rule.getByText("Saved").isVisible()).toBe(true);
    await expect.poll(() => rule.getByText("changed for this site").isVisible()).toBe(true);
  });

  test("a webhook channel: http refused beside the URL, then added with its secret never shown", async () => {
    await page.getByRole("button", { name: "Add channel" }).click();
    const form = page.getByRole("form", { name: "New channel" });
    await form.getByLabel("Name").fill("On-call Slack");
    await form.getByLabel("URL").fill("http://hooks.example.com/tagpipe");
    await form.getByLabel("Signing secret").fill("e2e-signing-secret-0123456789");
    await form.getByRole("button", { name: "Add channel" }).click();
    await expect.poll(() => form.getByText("must be an https URL").isVisible()).toBe(true);
    await form.getByLabel("URL").fill("https://hooks.example.com/tagpipe");
    await form.getByRole("button", { name: "Add channel" }).click();
    await expect.poll(() => page.getByText("https://hooks.example.com/tagpipe").isVisible()).toBe(true);
    expect(await page.getByText("secret set").first().isVisible()).toBe(true);
    expect(await page.content()).not.toContain("e2e-signing-secret-0123456789");
    await screenshot(page, "alerts-site");
    expect(errors).toEqual([]);
  });
});
