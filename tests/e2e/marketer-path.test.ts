// The marketer's path through the container editors, in Chromium, without the API: an
// event from a preset, a trigger with two conditions in the condition builder, the
// parameter mappings, a Meta destination; then a version, the diff, publish to staging
// and production, and a rollback.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";
import { expectStatus, newTeam } from "../helpers/api";

const base = inject("e2eBaseUrl");
let browser: Browser;
let page: Page;
let errors: string[];
let containerUrl = "";
const stamp = Date.now().toString(36);

beforeAll(async () => {
  // A team and a site of its own (the site made through the API: the site form has its
  // own journey). The demo team's tracking plan belongs to the plan-and-versions journey,
  // which expects it empty whichever order the files run in.
  const team = await newTeam(base);
  const owner = team.owner;
  const site = expectStatus(await owner.post("/sites", { name: `Marketer ${stamp}`, hostnames: [`m${stamp}.example.com`], defaultCurrency: "EUR", regions: [] }), 201);
  containerUrl = `${base}/containers/${site.container.id}`;
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  errors = trackErrors(page);
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill(team.email);
  await page.getByLabel("Password").fill(team.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/overview");
});

afterAll(async () => {
  await browser?.close();
});

/** Options read "production (now v1)": pick by the environment's name. */
async function chooseEnvironment(form: ReturnType<Page["getByRole"]>, name: string) {
  const select = form.getByLabel("Environment");
  const value = await select.locator("option", { hasText: new RegExp(`^${name} `) }).first().getAttribute("value");
  await select.selectOption(value!);
}

/** Publishes from the open form; production first shows what changes and asks to confirm. */
async function publishOrConfirm(form: ReturnType<Page["getByRole"]>, version: number, environment: string) {
  if (environment !== "production") return form.getByRole("button", { name: `Publish v${version} to ${environment}` }).click();
  await form.getByRole("button", { name: `Review: Publish v${version} to production` }).click();
  await page.getByRole("button", { name: `Yes, publish v${version} to production` }).click();
}

// A loaded machine answers slowly: each wait is for a positive signal, with a long deadline.
const poll = <T>(f: () => T | Promise<T>) => expect.poll(f, { timeout: 60_000 });

async function variable(name: string, path: string) {
  await page.getByRole("button", { name: "New variable" }).first().click();
  const form = page.getByRole("form", { name: "New variable" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Data layer path").fill(path);
  await form.getByRole("button", { name: "Create variable" }).click();
  await poll(() => page.getByText(name, { exact: true }).count()).toBe(1);
}

describe("the marketer's path", { timeout: 240_000 }, () => {
  test("the tracking plan gets purchase from its preset", async () => {
    await page.goto(`${base}/plan`);
    await page.getByRole("button", { name: "Add purchase" }).click();
    await poll(() => page.getByRole("button", { name: "Add purchase" }).count()).toBe(0);
    await poll(() => page.getByText("CompletePayment").count()).toBeGreaterThan(0);
  });

  test("variables for the GA4 ecommerce shape", async () => {
    await page.goto(`${containerUrl}/variables`);
    await variable("Order value", "ecommerce.value");
    await variable("Order currency", "ecommerce.currency");
    await variable("Order id", "ecommerce.transaction_id");
    await variable("Item ids", "ecommerce.items[].item_id");
    // A wrong path is flagged beside its field.
    await page.getByRole("button", { name: "New variable" }).first().click();
    const form = page.getByRole("form", { name: "New variable" });
    await form.getByLabel("Name", { exact: true }).fill("Broken");
    await form.getByLabel("Data layer path").fill("ecommerce..value");
    await form.getByRole("button", { name: "Create variable" }).click();
    await poll(() => form.getByText("must be a path such as ecommerce.items[].item_id").isVisible()).toBe(true);
    await form.getByRole("button", { name: "Cancel" }).click();
  });

  test("a trigger with two conditions, built in the condition builder", async () => {
    await page.goto(`${containerUrl}/triggers`);
    await page.getByRole("button", { name: "New trigger" }).first().click();
    const form = page.getByRole("form", { name: "New trigger" });
    await form.getByLabel("Name", { exact: true }).fill("Thank-you purchase");
    await form.getByLabel("Data layer event name").fill("purchase");
    await form.getByRole("button", { name: "Add condition" }).click();
    await form.getByLabel("Condition 1 operator").selectOption("regex");
    await form.getByLabel("Condition 1 value").fill("^/checkout/(thanks");
    await form.getByRole("button", { name: "Add condition" }).click();
    await form.getByLabel("Condition 2 source").selectOption("data_layer");
    await form.getByLabel("Condition 2 path").fill("ecommerce.value");
    await form.getByLabel("Condition 2 operator").selectOption("gt");
    await form.getByLabel("Condition 2 value").fill("0");
    await form.getByLabel("Fire limit").selectOption("once_per_event_id");
    // A pattern that does not compile is refused at save: the server's words beside the field, nothing created.
    await form.getByRole("button", { name: "Create trigger" }).click();
    await poll(() => form.getByText("Some fields need attention: see the messages beside them.").count()).toBe(1);
    const value = form.getByLabel("Condition 1 value");
    expect(await value.getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByText(/^The pattern does not compile \(.*\)$/).count()).toBe(1);
    await screenshot(page, "marketer-trigger-refused");
    expect(await page.getByText("Thank-you purchase", { exact: true }).count()).toBe(0);
    await value.fill("^/checkout/thanks");
    await poll(() => form.getByText(/The pattern does not compile/).count()).toBe(0);
    await form.getByRole("button", { name: "Create trigger" }).click();
    await poll(() => page.getByText("Thank-you purchase", { exact: true }).count()).toBe(1);
    await screenshot(page, "marketer-triggers");
  });

  test("the event's mappings show what is still missing", async () => {
    await page.goto(`${containerUrl}/events`);
    await page.getByRole("button", { name: "New event" }).first().click();
    const form = page.getByRole("form", { name: "Add an event" });
    await form.getByLabel("Event from the tracking plan").selectOption({ label: "purchase" });
    await form.getByLabel("Thank-you purchase").check();
    const mapping = form.getByRole("table", { name: "Parameter mapping" });
    await poll(() => form.getByText(/Missing required: value, currency, order_id, content_ids/).isVisible()).toBe(true);
    await mapping.getByLabel("value", { exact: true }).selectOption({ label: "Order value" });
    await mapping.getByLabel("currency", { exact: true }).selectOption({ label: "Order currency" });
    await mapping.getByLabel("order_id", { exact: true }).selectOption({ label: "Order id" });
    await poll(() => form.getByText("Missing required: content_ids").isVisible()).toBe(true);
    await mapping.getByLabel("content_ids", { exact: true }).selectOption({ label: "Item ids" });
    await poll(() => form.getByText("Every required parameter is mapped.").isVisible()).toBe(true);
    await form.getByRole("button", { name: "Add event" }).click();
    await poll(() => page.getByText("all required parameters mapped").count()).toBe(1);
    await screenshot(page, "marketer-events");
  });

  test("a Meta destination with its pixel id and a secret token that is never shown again", async () => {
    await page.goto(`${containerUrl}/destinations`);
    await page.getByRole("button", { name: "New destination" }).first().click();
    const form = page.getByRole("form", { name: "New destination" });
    await form.getByLabel("Name", { exact: true }).fill("Meta");
    await form.getByLabel("Pixel ID").fill("123456789012345");
    await form.getByLabel("Conversions API access token").fill("EAAB-very-secret-token");
    await form.getByLabel("purchase").check();
    await form.getByRole("button", { name: "Create destination" }).click();
    await poll(() => page.getByText("secrets set: accessToken").count()).toBe(1);
    await page.reload();
    expect(await page.content()).not.toContain("EAAB-very-secret-token");
  });

  test("the draft becomes v1, published to staging then production", async () => {
    await page.goto(`${containerUrl}/triggers`);
    await poll(() => page.getByText(/matches regex "\^\/checkout\/thanks"/).count()).toBe(1);

    await page.goto(`${containerUrl}/versions`);
    const create = page.getByRole("form", { name: "Create a version" });
    await create.getByLabel("Note").fill("First purchase tracking");
    await create.getByRole("button", { name: "Create version v1" }).click();
    await poll(() => page.getByRole("cell", { name: "First purchase tracking" }).count()).toBe(1);

    for (const environment of ["staging", "production"]) {
      await page.getByRole("button", { name: "Publish to…" }).first().click();
      const publish = page.getByRole("form", { name: "Publish v1" });
      await chooseEnvironment(publish, environment);
      await publishOrConfirm(publish, 1, environment);
      await poll(() => page.getByRole("form", { name: "Publish v1" }).count()).toBe(0);
    }
    await poll(async () => (await page.content()).includes("production")).toBe(true);
  });

  test("a rename shows in the diff as a rename; v2 goes to production and is rolled back to v1", async () => {
    await page.goto(`${containerUrl}/triggers`);
    await page.getByRole("button", { name: "Edit trigger Thank-you purchase" }).click();
    await page.getByRole("form", { name: "Edit trigger Thank-you purchase" }).getByLabel("Name", { exact: true }).fill("Purchase on thanks page");
    await page.getByRole("button", { name: "Save trigger" }).click();
    await poll(() => page.getByText("Purchase on thanks page", { exact: true }).count()).toBe(1);

    await page.goto(`${containerUrl}/versions`);
    // The default diff: the draft against what production serves.
    const changes = page.getByRole("list", { name: "Changes" });
    await poll(() => changes.textContent()).toMatch(/renamed from Thank-you purchase/);
    await screenshot(page, "marketer-diff");
    const create = page.getByRole("form", { name: "Create a version" });
    await create.getByLabel("Note").fill("Clearer trigger name");
    await create.getByRole("button", { name: "Create version v2" }).click();
    await poll(() => page.getByRole("cell", { name: "Clearer trigger name" }).count()).toBe(1);
    await page.getByRole("button", { name: "Publish to…" }).first().click();
    const publish = page.getByRole("form", { name: "Publish v2" });
    await chooseEnvironment(publish, "production");
    await publishOrConfirm(publish, 2, "production");
    await poll(() => page.getByRole("form", { name: "Publish v2" }).count()).toBe(0);

    const history = page.getByRole("list", { name: "production history" });
    await history.getByRole("button", { name: "Roll back to v1" }).click();
    await history.getByRole("button", { name: "Yes, roll production back to v1" }).click();
    await poll(() => history.textContent()).toMatch(/rollback/i);
    await screenshot(page, "marketer-rollback");
  });

  test("no page threw an uncaught error", () => {
    expect(errors).toEqual([]);
  });
});
