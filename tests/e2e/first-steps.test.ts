// The README's first steps, done entirely in the dashboard in real Chromium: sign in, a
// site, purchase from the tracking plan, a trigger (a pattern that does not compile is
// said beside the field as it is typed), the purchase event mapped from the built-in
// variables in one click — no variable created first — plus one created from inside a
// dropdown, a Meta destination (a malformed pixel id flagged as typed), the draft's problem
// in words with a link that focuses the field, a version published to staging, the server
// key created on the Install page, and a storefront purchase seen in the live stream.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot, signInPage, trackErrors } from "./browser";
import { addMember, newTeam, type Team } from "../helpers/api";

const base = inject("e2eBaseUrl");
const stamp = Date.now().toString(36);
const siteName = `First Steps ${stamp}`;
let browser: Browser;
let page: Page;
let errors: string[];
let team: Team;
let shop: http.Server;
let shopUrl = "";
let stagingKey = "";
let containerUrl = "";
let installUrl = "";

beforeAll(async () => {
  team = await newTeam(base);
  // The storefront: its thank-you page loads the staging container and pushes a GA4 purchase.
  shop = http.createServer((req, res) => {
    const tid = new URL(req.url ?? "/", "http://x").searchParams.get("order") ?? "0";
    res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><html><head><title>Thanks</title>
<script src="${base}/c/${stagingKey}.js"></script></head><body><h1>Thank you</h1>
<script>dataLayer.push({ event: "purchase", ecommerce: { transaction_id: ${JSON.stringify(tid)}, value: 59.9, currency: "EUR", items: [{ item_id: "sku-1", quantity: 1 }] }, user_data: { email: "ada@example.com" } });</script>
</body></html>`);
  });
  await new Promise<void>((resolve) => shop.listen(0, "127.0.0.1", resolve));
  shopUrl = `http://127.0.0.1:${(shop.address() as AddressInfo).port}`;
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(90_000);
  errors = trackErrors(page);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => shop?.close(resolve));
});

/** Options read "staging (now v1)": pick by the environment's name. */
async function chooseEnvironment(form: ReturnType<Page["getByRole"]>, name: string) {
  const select = form.getByLabel("Environment");
  const value = await select.locator("option", { hasText: new RegExp(`^${name}\\b`) }).first().getAttribute("value");
  await select.selectOption(value!);
}

// A loaded machine answers slowly: every wait is for a positive signal, with a long deadline.
const poll = <T>(f: () => T | Promise<T>) => expect.poll(f, { timeout: 60_000 });
const visible = (locator: ReturnType<Page["getByText"]>) => poll(() => locator.isVisible()).toBe(true);

// Each step waits on a real server: slow on a loaded machine.
describe("the README's first steps, in the dashboard only", { timeout: 240_000 }, () => {
  test("sign in, create a site, add purchase to the tracking plan", async () => {
    await page.goto(`${base}/signin`);
    await page.getByLabel("Email").fill(team.email);
    await page.getByLabel("Password").fill(team.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL("**/overview");

    // Full page loads, not the sidebar's client-side navigation: on a loaded machine a
    // client transition can outlast any sensible wait.
    await page.goto(`${base}/sites/new`);
    const form = page.getByRole("form", { name: "New site" });
    await form.getByLabel("Site name").fill(siteName);
    await form.getByLabel("Default currency").fill("EUR");
    await form.getByLabel("Hostnames").fill("127.0.0.1");
    await form.getByRole("button", { name: "Create site" }).click();
    await page.waitForURL(/\/sites\/[a-z0-9]+$/);

    await page.goto(`${base}/plan`);
    await page.getByRole("button", { name: "Add purchase" }).click();
    await poll(() => page.getByRole("button", { name: "Add purchase" }).count()).toBe(0);

    await page.goto(`${base}/containers`);
    containerUrl = new URL((await page.getByRole("link", { name: siteName }).getAttribute("href"))!, base).href;
  });

  test("a trigger: a pattern that does not compile is said beside the field while typing", async () => {
    await page.goto(`${containerUrl}/triggers`);
    await page.getByRole("button", { name: "New trigger" }).first().click();
    const form = page.getByRole("form", { name: "New trigger" });
    await form.getByLabel("Name", { exact: true }).fill("Purchase");
    await form.getByLabel("Data layer event name").fill("purchase");
    await form.getByRole("button", { name: "Add condition" }).click();
    await form.getByLabel("Condition 1 operator").selectOption("regex");
    const value = form.getByLabel("Condition 1 value");
    await value.fill("^/checkout/(thanks");
    await visible(form.getByText(/^The pattern does not compile \(.*\)$/));
    expect(await value.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "first-steps-trigger-live-error");
    await value.fill("^/checkout/thanks");
    await poll(() => form.getByText(/The pattern does not compile/).count()).toBe(0);
    await form.getByRole("button", { name: "Create trigger" }).click();
    await visible(page.getByText('page path matches regex "^/checkout/thanks"'));
  });

  test("the purchase event, mapped from the built-ins in one click, no variable created first", async () => {
    await page.goto(`${containerUrl}/events`);
    await page.getByRole("button", { name: "New event" }).first().click();
    const form = page.getByRole("form", { name: "Add an event" });
    await form.getByLabel("Event from the tracking plan").selectOption({ label: "purchase" });
    await form.getByLabel("Purchase").check();
    const mapping = form.getByRole("table", { name: "Parameter mapping" });
    const value = mapping.getByLabel("value", { exact: true });
    // Offered by type fit: the built-in made for value first; text is offered last, flagged.
    const options = await value.locator("option").allTextContents();
    expect(options[1]).toBe("Ecommerce value · built-in");
    expect(options.indexOf("Page URL · built-in — text, not a number")).toBeGreaterThan(options.indexOf("Ecommerce tax · built-in"));
    expect(options.some((o) => o.startsWith("User email"))).toBe(false);
    await value.selectOption({ label: "Page URL · built-in — text, not a number" });
    await visible(form.getByText("Page URL is text: value needs a number, so events would be flagged invalid."));
    await value.selectOption({ label: "— not mapped —" });

    await form.getByRole("button", { name: "Map from GA4 ecommerce" }).click();
    await visible(form.getByText("Every required parameter is mapped."));
    expect(await value.inputValue()).toBe("builtin:ecommerce_value");
    expect(await mapping.getByLabel("order_id", { exact: true }).inputValue()).toBe("builtin:ecommerce_transaction_id");
    expect(await mapping.getByLabel("user data: email", { exact: true }).inputValue()).toBe("builtin:user_email");

    // A variable of one's own, created from inside the dropdown: selected once saved.
    await mapping.getByLabel("content_type", { exact: true }).selectOption({ label: "＋ Create a variable…" });
    const dialog = page.getByRole("dialog", { name: "Create a variable for content_type" });
    await dialog.getByLabel("Name", { exact: true }).fill("Product type");
    await dialog.getByLabel("Data layer path").fill("ecommerce..type");
    await visible(dialog.getByText("Must be a path such as ecommerce.items[].item_id"));
    await dialog.getByLabel("Data layer path").fill("ecommerce.content_type");
    await screenshot(page, "first-steps-create-variable");
    await dialog.getByRole("button", { name: "Create variable" }).click();
    await poll(() => dialog.count()).toBe(0);
    const contentType = mapping.getByLabel("content_type", { exact: true });
    await poll(async () => contentType.locator("option:checked").textContent()).toBe("Product type");
    // The event form is still open, nothing was submitted by the dialog's form.
    expect(await form.isVisible()).toBe(true);
    await screenshot(page, "first-steps-event-mapping");

    await form.getByRole("button", { name: "Add event" }).click();
    await visible(page.getByText("all required parameters mapped"));
  });

  test("a Meta destination: a malformed pixel id is flagged as typed; left empty, the draft's problem names it and its link focuses it", async () => {
    await page.goto(`${containerUrl}/destinations`);
    await page.getByRole("button", { name: "New destination" }).first().click();
    const form = page.getByRole("form", { name: "New destination" });
    await form.getByLabel("Name", { exact: true }).fill("Meta");
    await form.getByLabel("Pixel ID").fill("pixel-abc");
    await visible(form.getByText("Pixel ID looks wrong: expected digits, from Events Manager"));
    await screenshot(page, "first-steps-destination-live-error");
    await form.getByLabel("Pixel ID").fill("");
    await form.getByLabel("Conversions API access token").fill("EAAB-first-steps-token");
    await form.getByLabel("purchase").check();
    await form.getByRole("button", { name: "Create destination" }).click();
    await visible(page.getByText("secrets set: accessToken"));

    // The badge says it in words.
    const tab = page.getByRole("navigation", { name: "Container" }).getByRole("link", { name: /Versions & publish/ });
    await poll(() => tab.textContent()).toBe("Versions & publish, 1 problem");
    await tab.click();
    const problems = page.getByRole("list", { name: "Problems in the draft" });
    await visible(problems.getByText("Pixel ID is missing (digits, from Events Manager)"));
    expect(await problems.innerText()).not.toContain("ids.pixelId");
    await screenshot(page, "first-steps-versions-problems");
    await problems.getByRole("link", { name: "Fix Pixel ID" }).click();
    await page.waitForURL(/\/destinations\?edit=.+&field=ids\.pixelId$/);
    const pixel = page.getByRole("form", { name: "Edit destination Meta" }).getByLabel("Pixel ID");
    await poll(() => pixel.evaluate((el) => el === document.activeElement)).toBe(true);
    await pixel.fill("123456789012345");
    await page.getByRole("button", { name: "Save destination" }).click();
    await poll(() => tab.textContent()).toBe("Versions & publish");
  });

  test("each audit entry opens its item, at the field an update changed, scrolled to and focused", async () => {
    await page.goto(`${base}/audit`);
    const entries = page.getByRole("list", { name: "Audit entries" });
    const changed = entries.getByRole("link", { name: /^changed destination .* \/ Meta$/ }).first();
    expect(await changed.getAttribute("href")).toMatch(/\/destinations\?edit=[^&]+&field=ids\.pixelId$/);
    await changed.click();
    await page.waitForURL(/\/destinations\?edit=.+&field=ids\.pixelId$/);
    const pixel = page.getByRole("form", { name: "Edit destination Meta" }).getByLabel("Pixel ID");
    await poll(() => pixel.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await pixel.inputValue()).toBe("123456789012345");
    const box = (await pixel.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(900);
    await screenshot(page, "first-steps-audit-opens-item");

    // A created item opens at its first field.
    await page.goto(`${base}/audit`);
    await entries.getByRole("link", { name: /^created trigger .* \/ Purchase$/ }).first().click();
    await page.waitForURL(/\/triggers\?edit=[^&]+$/);
    const name = page.getByRole("form", { name: "Edit trigger Purchase" }).getByLabel("Name", { exact: true });
    await poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);

    // A viewer, who has no editor to open, lands on the item itself: marked and focused.
    const viewer = await addMember(team, "viewer");
    const readerContext = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const reader = await readerContext.newPage();
    await signInPage(reader, base, viewer.email, viewer.password);
    await reader.goto(`${base}/audit`);
    await reader.getByRole("list", { name: "Audit entries" }).getByRole("link", { name: /^changed destination .* \/ Meta$/ }).first().click();
    await reader.waitForURL(/\/destinations\?edit=/);
    const item = reader.locator('li[aria-current="true"]');
    await poll(() => item.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await item.innerText()).split("\n")[0]).toBe("Meta");
    expect(await reader.getByRole("form", { name: "Edit destination Meta" }).count()).toBe(0);
    await screenshot(reader, "first-steps-audit-opens-item-viewer");
    await readerContext.close();
  });

  test("a version published to staging; the server key created on the Install page", async () => {
    await page.goto(`${containerUrl}/versions`);
    const create = page.getByRole("form", { name: "Create a version" });
    await create.getByLabel("Note").fill("First purchase tracking");
    await create.getByRole("button", { name: "Create version v1" }).click();
    await poll(() => page.getByRole("cell", { name: "First purchase tracking" }).count()).toBe(1);
    await page.getByRole("button", { name: "Publish to…" }).first().click();
    const publish = page.getByRole("form", { name: "Publish v1" });
    await chooseEnvironment(publish, "staging");
    await publish.getByRole("button", { name: "Publish v1 to staging" }).click();
    await poll(() => page.getByRole("form", { name: "Publish v1" }).count()).toBe(0);

    await page.goto(`${base}/stream`);
    const install = page.getByRole("link", { name: `Install ${siteName} staging` });
    await install.waitFor().catch(async (e) => {
      throw new Error(`${e}\n${await page.locator("main").innerText()}`);
    });
    await page.goto(new URL((await install.getAttribute("href"))!, base).href);
    await page.getByRole("heading", { name: "Install · staging" }).waitFor();
    installUrl = page.url();
    stagingKey = /\/c\/([A-Za-z0-9_-]+)\.js/.exec(await page.locator("main").innerText())![1];
    await page.getByRole("button", { name: "Create server key" }).click();
    const key = page.getByLabel("Server key", { exact: true });
    await key.waitFor();
    expect((await key.innerText()).trim()).toMatch(/^tps_/);
  });

  test("a purchase on the storefront is seen in staging's live stream, its parameters from the built-ins", async () => {
    const order = `fs-${stamp}`;
    const shopper = await browser.newPage();
    const beacon = shopper.waitForResponse((r) => r.url().includes("/api/collect") && r.request().method() === "POST", { timeout: 20_000 });
    await shopper.goto(`${shopUrl}/checkout/thanks?order=${order}`);
    await shopper.evaluate(() => (window as unknown as { tagpipe: { flush(): void } }).tagpipe.flush());
    expect((await beacon).status()).toBeLessThan(300);
    await shopper.close();

    await page.goto(installUrl.replace("/install/", "/stream/"));
    const row = page.locator(`tr[data-event-id="order-${order}"]`);
    await row.waitFor({ timeout: 20_000 });
    await row.getByRole("link", { name: "purchase" }).click();
    await page.getByRole("heading", { name: "purchase (test)" }).waitFor();
    const detail = await page.locator("main").innerText();
    expect(detail).toContain("59.9");
    expect(detail).toContain("sku-1");
    expect(detail).not.toContain("ada@example.com");
    await screenshot(page, "first-steps-event-seen");
    expect(errors).toEqual([]);
  });
});
