// The README's path for a new user, in real Chromium: sign in with the demo account,
// create a site with two regions (fixing a mistake the form points out), find the change
// in the audit log, create an API token and use it with curl.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";

const base = inject("e2eBaseUrl");
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1366, height: 850 } });
  errors = trackErrors(page);
});

afterAll(async () => {
  await browser?.close();
});

describe("a new user's first journey", () => {
  test("a wrong password is refused with a message; the demo sign-in works", async () => {
    await page.goto(`${base}/overview`);
    await page.waitForURL("**/signin");
    await page.getByLabel("Email").fill("demo@tagpipe.test");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByText("Wrong email or password").isVisible()).toBe(true);
    await screenshot(page, "signin-error");

    await page.getByLabel("Password").fill("tagpipe-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/overview");
    await expect.poll(() => page.getByRole("heading", { name: "Overview" }).isVisible()).toBe(true);
    await screenshot(page, "overview");
  });

  test("creates a site with two regions; a bad country is flagged beside its field", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sites" }).click();
    await page.waitForURL("**/sites");
    await page.getByRole("link", { name: "New site" }).first().click();
    await page.waitForURL("**/sites/new");

    const form = page.getByRole("form", { name: "New site" });
    await form.getByLabel("Site name").fill("Nordic Store");
    await form.getByLabel("Default currency").fill("sek");
    await form.getByLabel("Hostnames").fill("nordic.example.com, www.nordic.example.com");
    await form.getByRole("button", { name: "Add region" }).click();
    await form.getByRole("button", { name: "Add region" }).click();

    const codes = form.getByLabel("Code");
    const names = form.getByLabel("Name", { exact: true });
    const countries = form.getByLabel("Countries");
    await codes.nth(0).fill("se");
    await names.nth(0).fill("Sweden");
    await countries.nth(0).fill("SE, XX");
    await codes.nth(1).fill("no");
    await names.nth(1).fill("Norway");
    await countries.nth(1).fill("NO");
    await form.getByLabel("Currency", { exact: true }).nth(1).fill("NOK");
    await form.getByLabel("Consent before choice").nth(0).selectOption("denied");
    await form.getByRole("button", { name: "Create site" }).click();

    // The API's field path regions.0.countries.1 lands under region 1's Countries field.
    const countryError = form.getByText("entry 2: must be an ISO 3166-1 alpha-2 country code such as DE");
    await expect.poll(() => countryError.isVisible()).toBe(true);
    expect(await countries.nth(0).getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "new-site-error");

    await countries.nth(0).fill("SE");
    await form.getByRole("button", { name: "Create site" }).click();
    await page.waitForURL(/\/sites\/[a-z0-9]+$/);
    await expect.poll(() => page.getByRole("heading", { name: "Nordic Store" }).isVisible()).toBe(true);
    const regions = await page.locator("li", { hasText: "Sweden" }).first().innerText();
    expect(regions).toContain("consent denied by default");
    expect(await page.locator("li", { hasText: "Norway" }).first().innerText()).toContain("NOK");
    // Three environments came with the site, each with its own script URL.
    // (each in a read-only field beside its Copy button)
    const scriptUrls = await page.locator("input").evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value).filter((v) => /\/c\/tp_[A-Za-z0-9_-]+\.js$/.test(v)));
    expect(new Set(scriptUrls).size).toBe(3);
    await screenshot(page, "site-detail");
  });

  test("the audit log shows the change, by whom, in words", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
    await page.waitForURL("**/audit");
    const entry = page.getByRole("listitem").filter({ hasText: "created site Nordic Store" });
    await expect.poll(() => entry.count()).toBe(1);
    expect(await entry.innerText()).toContain("Demo Owner");
    expect(await entry.innerText()).toContain("hostnames: added nordic.example.com");

    await page.getByLabel("Kind of item").selectOption("region");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL("**/audit?entityType=region**");
    expect(await page.getByRole("listitem").filter({ hasText: "created site" }).count()).toBe(0);
    await screenshot(page, "audit-log");
  });

  test("creates an API token that works with curl, and is shown only once", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).click();
    await page.waitForURL("**/tokens");
    await page.getByLabel("Token name").fill("ci-deploy");
    await page.getByLabel("Role").selectOption("viewer");
    await page.getByRole("button", { name: "Create token" }).click();
    const secretBox = page.getByRole("textbox", { name: "New token secret" });
    await expect.poll(() => secretBox.isVisible()).toBe(true);
    const secret = await secretBox.inputValue();
    expect(secret).toMatch(/^tpk_/);
    await screenshot(page, "tokens");

    const out = execFileSync("curl", ["-s", "-H", `Authorization: Bearer ${secret}`, `${base}/api/v1/sites`], { encoding: "utf8" });
    const names = (JSON.parse(out) as { data: { name: string }[] }).data.map((s) => s.name);
    expect(names).toContain("Nordic Store");
    // A viewer token reads but cannot write.
    const denied = execFileSync(
      "curl",
      ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "DELETE", "-H", `Authorization: Bearer ${secret}`, `${base}/api/v1/sites/whatever`],
      { encoding: "utf8" },
    );
    expect(denied).toBe("403");

    await page.reload();
    expect(await page.content()).not.toContain(secret);
    expect(await page.getByRole("cell", { name: "ci-deploy" }).count()).toBe(1);
  });

  test("no page threw an uncaught error", () => {
    expect(errors).toEqual([]);
  });
});
