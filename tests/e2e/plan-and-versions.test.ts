// The marketer's path through the tracking plan and a container's versions, in real
// Chromium: add purchase from its preset, define a custom event (fixing what the form
// points out), hit a stale-edit conflict from a second tab; import a draft into the Demo
// Shop container, see its problems, fix them, create v1, publish it to staging then
// production; rename a trigger and see the rename in the diff, create and publish v2,
// roll production back to v1; finally see the site in the plan's consistency view.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";

const base = inject("e2eBaseUrl");
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let containerId = "";

type Row = { id: string; name: string; revision: number; definition: Record<string, unknown> };

/** The REST API with the browser's session cookie; the Origin header passes the CSRF check. */
async function rest<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await page.request.fetch(`${base}/api/v1${path}`, {
    method,
    headers: { origin: base, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return (response.status() === 204 ? null : await response.json()) as T;
}

async function list(kind: string): Promise<Row[]> {
  return (await rest<{ data: Row[] }>("GET", `/containers/${containerId}/${kind}`)).data;
}

/** The version history's row of one version. */
const versionRow = (name: string, on: Page = page) => on.getByRole("row").filter({ has: on.getByRole("cell", { name, exact: true }) });

const visible = (locator: ReturnType<Page["getByText"]>) => expect.poll(() => locator.isVisible(), { timeout: 15_000 }).toBe(true);

const BROKEN_FILE = { format: "tagpipe.container", formatVersion: 1, triggers: [{ name: "Buy click", type: "click" }], variables: [{ name: "Total", kind: "data_layer" }] };

// Valid, but not yet publishable: order_id (required by the plan) is not mapped and the
// Meta destination has no pixel id.
const DRAFT_FILE = {
  format: "tagpipe.container",
  formatVersion: 1,
  events: [
    {
      event: "purchase",
      description: "Thank-you page",
      triggers: ["Purchase event"],
      mappings: { value: "Order value", currency: "Currency", content_ids: "Item IDs" },
      platformNames: { meta: "PurchaseShop" },
    },
  ],
  triggers: [
    {
      name: "Purchase event",
      type: "data_layer_event",
      eventName: "purchase",
      conditions: [
        { source: "page_path", operator: "starts_with", value: "/checkout" },
        { source: "data_layer", key: "ecommerce.value", operator: "gt", value: "0" },
      ],
      blockingTriggers: ["Internal traffic"],
    },
    { name: "Internal traffic", type: "page_view", conditions: [{ source: "hostname", operator: "equals", value: "localhost" }] },
  ],
  variables: [
    { name: "Order value", kind: "data_layer", path: "ecommerce.value", coerce: "number" },
    { name: "Currency", kind: "data_layer", path: "ecommerce.currency" },
    { name: "Order ID", kind: "data_layer", path: "ecommerce.transaction_id" },
    { name: "Item IDs", kind: "data_layer", path: "ecommerce.items[].item_id", coerce: "list" },
  ],
  destinations: [{ name: "Meta", platform: "meta", ids: {}, events: [{ event: "purchase" }], regions: ["eu"] }],
};

beforeAll(async () => {
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1366, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
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

describe("tracking plan", () => {
  test("the empty plan explains itself; purchase is added from its preset", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Tracking plan" }).click();
    await page.waitForURL("**/plan");
    await visible(page.getByText("The tracking plan is empty"));
    await screenshot(page, "plan-empty");

    await page.getByRole("button", { name: "Add purchase" }).click();
    const purchase = page.getByRole("listitem", { name: "Plan event purchase" });
    await visible(purchase);
    const text = await purchase.innerText();
    for (const expected of ["order_id", "required", "CompletePayment", "Purchase", "not used yet"]) expect(text).toContain(expected);
    // A preset in the plan is no longer offered.
    expect(await page.getByRole("button", { name: "Add purchase" }).count()).toBe(0);
    await page.getByRole("button", { name: "Add add_to_cart" }).click();
    await visible(page.getByRole("listitem", { name: "Plan event add_to_cart" }));
  });

  test("a custom event: each mistake is shown beside its field", async () => {
    await page.getByRole("button", { name: "New custom event" }).click();
    const form = page.getByRole("form", { name: "New plan event" });
    await form.getByLabel("Event name").fill("request_quote");
    await form.getByLabel("Description").fill("A B2B visitor asks for a quote.");
    await form.getByRole("button", { name: "Add parameter" }).click();
    await form.getByRole("button", { name: "Add parameter" }).click();
    await form.getByLabel("Parameter 1", { exact: true }).fill("value");
    await form.getByLabel("Type of parameter 1").selectOption("number");
    await form.getByLabel("Parameter 1 is required").check();
    await form.getByLabel("Parameter 2", { exact: true }).fill("Company Name");
    await form.getByLabel("GA4").fill("request-quote");
    await form.getByLabel("Meta").fill("Lead");
    await form.getByRole("button", { name: "Add to the plan" }).click();

    await visible(form.getByText("must be snake_case: lower-case letters, digits and _"));
    expect(await form.getByLabel("Parameter 2", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Parameter 1", { exact: true }).getAttribute("aria-invalid")).toBeNull();
    expect(await form.getByLabel("GA4").getAttribute("aria-invalid")).toBe("true");
    await visible(form.getByText("must be letters, digits and _ (GA4 rule)"));
    await screenshot(page, "plan-event-errors");

    await form.getByLabel("Parameter 2", { exact: true }).fill("company_name");
    await form.getByLabel("GA4").fill("request_quote");
    await form.getByRole("button", { name: "Add to the plan" }).click();
    const custom = page.getByRole("listitem", { name: "Plan event request_quote" });
    await visible(custom);
    expect(await custom.innerText()).toContain("company_name");
  });

  test("two tabs edit purchase: the second save is refused as stale and offers a reload", async () => {
    const other = await context.newPage();
    const otherErrors = trackErrors(other);
    await other.goto(`${base}/plan`);
    await page.getByRole("button", { name: "Edit purchase" }).click();
    await other.getByRole("button", { name: "Edit purchase" }).click();

    const mine = page.getByRole("form", { name: "Edit plan event purchase" });
    await mine.getByLabel("Description").fill("An order is paid: the thank-you page.");
    await mine.getByRole("button", { name: "Save event" }).click();
    await visible(page.getByText("An order is paid: the thank-you page."));

    const theirs = other.getByRole("form", { name: "Edit plan event purchase" });
    await theirs.getByLabel("Description").fill("Something else entirely");
    await theirs.getByRole("button", { name: "Save event" }).click();
    await visible(theirs.getByText(/changed by someone else since you loaded it/));
    await screenshot(other, "plan-stale-edit");

    await theirs.getByRole("button", { name: "Reload" }).click();
    await visible(other.getByText("An order is paid: the thank-you page."));
    expect(await other.getByText("Something else entirely").count()).toBe(0);
    expect(otherErrors).toEqual([]);
    await other.close();
  });

  test("the consistency view lists the site for each event", async () => {
    const section = page.getByRole("region", { name: "purchase", exact: true });
    await visible(section);
    expect(await section.innerText()).toContain("used by no site");
    expect(await section.getByRole("row", { name: /Demo Shop/ }).innerText()).toContain("not used");
  });
});

describe("a container's draft, versions and publishing", () => {
  test("the overview lists import problems by place in the file, then imports a draft", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Containers" }).click();
    await page.waitForURL("**/containers");
    await page.getByRole("link", { name: "Demo Shop" }).click();
    await page.waitForURL(/\/containers\/[^/]+$/);
    containerId = new URL(page.url()).pathname.split("/")[2];
    await visible(page.getByText("No problems: the draft can become a version."));

    const form = page.getByRole("form", { name: "Import a container file" });
    await form.getByLabel("Or paste the file's JSON").fill("{ not json");
    await form.getByRole("button", { name: "Import and replace the draft" }).click();
    await visible(form.getByText(/This is not valid JSON/));

    await form.getByLabel("Or paste the file's JSON").fill(JSON.stringify(BROKEN_FILE, null, 2));
    await form.getByRole("button", { name: "Import and replace the draft" }).click();
    const problems = form.getByRole("list", { name: "Problems in the file" });
    await visible(problems);
    const listed = await problems.innerText();
    expect(listed).toContain("triggers.0.selector");
    expect(listed).toContain("give a CSS selector");
    expect(listed).toContain("variables.0.path");
    await screenshot(page, "container-import-errors");

    await form.getByLabel("Or paste the file's JSON").fill(JSON.stringify(DRAFT_FILE));
    await form.getByRole("button", { name: "Import and replace the draft" }).click();
    await visible(page.getByText("Imported 1 event, 2 triggers, 4 variables and 1 destination into the draft."));
    const draftProblems = page.getByRole("list", { name: "Problems in the draft" });
    await visible(draftProblems);
    const text = await draftProblems.innerText();
    expect(text).toContain("Parameter order_id is required by the tracking plan");
    expect(text).toContain("Pixel ID is missing");
    expect(await draftProblems.getByRole("link", { name: "Meta" }).getAttribute("href")).toMatch(new RegExp(`^/containers/${containerId}/destinations\\?edit=[^&]+&field=ids\\.pixelId$`));
    await screenshot(page, "container-overview");
  });

  test("export downloads the draft as <container>-draft.json", async () => {
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export JSON" }).click()]);
    expect(download.suggestedFilename()).toBe("demo-shop-draft.json");
    const file = JSON.parse(fs.readFileSync((await download.path())!, "utf8"));
    expect(file.format).toBe("tagpipe.container");
    expect(file.triggers.map((t: { name: string }) => t.name).sort()).toEqual(["Internal traffic", "Purchase event"]);
  });

  test("the versions page lists the problems; once fixed, v1 is created and published to staging, then production", async () => {
    await page.getByRole("navigation", { name: "Container" }).getByRole("link", { name: /Versions & publish/ }).click();
    await page.waitForURL("**/versions");
    const problems = page.getByRole("list", { name: "Problems in the draft" });
    await visible(problems);
    expect(await problems.innerText()).toContain("is required by the tracking plan but not mapped to a variable");
    const create = page.getByRole("button", { name: "Create version v1" });
    expect(await create.isDisabled()).toBe(true);
    await visible(page.getByText("Fix the 2 problems above first"));
    // Before any publish the default diff is everything the draft adds.
    await visible(page.getByRole("listitem", { name: "Trigger Purchase event added" }));
    await screenshot(page, "versions-problems");

    const [destination] = await list("destinations");
    await rest("PATCH", `/destinations/${destination.id}`, { revision: destination.revision, definition: { ...destination.definition, ids: { pixelId: "123456789012" } } });
    const [event] = await list("events");
    const orderId = (await list("variables")).find((v) => v.name === "Order ID")!;
    const mappings = event.definition.mappings as Record<string, string>;
    await rest("PATCH", `/events/${event.id}`, { revision: event.revision, mappings: { ...mappings, order_id: orderId.id } });

    await page.reload();
    expect(await page.getByRole("list", { name: "Problems in the draft" }).count()).toBe(0);
    await page.getByRole("form", { name: "Create a version" }).getByLabel("Note").fill("Purchases to Meta");
    await page.getByRole("button", { name: "Create version v1" }).click();
    await visible(page.getByText("Created v1. Publish it from the history below."));

    for (const env of ["staging", "production"]) {
      await versionRow("v1").getByRole("button", { name: "Publish to…" }).click();
      const publish = page.getByRole("form", { name: "Publish v1" });
      await publish.getByLabel("Environment").selectOption({ label: `${env} (nothing published)` });
      await publish.getByLabel("Note").fill(`checked ${env}`);
      if (env === "production") {
        // Production shows what changes there and asks to confirm.
        await publish.getByRole("button", { name: "Review: Publish v1 to production" }).click();
        await visible(page.getByRole("region", { name: "Confirm: Publish v1 to production" }));
        await page.getByRole("button", { name: "Yes, publish v1 to production" }).click();
      } else {
        await publish.getByRole("button", { name: `Publish v1 to ${env}` }).click();
      }
      await visible(page.getByText(`Published: ${env} now serves v1.`));
    }
    // The success message shows at once; the row follows when the page refreshes.
    await expect.poll(() => versionRow("v1").innerText()).toMatch(/production[\s\S]*staging|staging[\s\S]*production/);
    await visible(page.getByText("No differences"));
    await screenshot(page, "versions-v1-published");
  });

  test("a renamed trigger shows as a rename in the diff; v2 is created and published", async () => {
    const trigger = (await list("triggers")).find((t) => t.name === "Purchase event")!;
    await rest("PATCH", `/triggers/${trigger.id}`, { revision: trigger.revision, name: "Order completed" });
    await page.reload();

    // The default view: the draft against what production serves.
    const renamed = page.getByRole("listitem", { name: "Trigger Order completed renamed" });
    await visible(renamed);
    expect(await renamed.innerText()).toContain("renamed from Purchase event");
    await visible(page.getByText(/from production \(v1\) to draft/).first());
    // The event refers to the trigger by id: it did not change.
    expect(await page.getByRole("listitem", { name: "Event purchase changed" }).count()).toBe(0);
    await screenshot(page, "versions-diff-rename");

    await page.getByRole("form", { name: "Create a version" }).getByLabel("Note").fill("Clearer trigger name");
    await page.getByRole("button", { name: "Create version v2" }).click();
    await visible(page.getByText("Created v2. Publish it from the history below."));
    await versionRow("v2").getByRole("button", { name: "Publish to…" }).click();
    const publish = page.getByRole("form", { name: "Publish v2" });
    await publish.getByLabel("Environment").selectOption({ label: "production (now v1)" });
    await publish.getByRole("button", { name: "Review: Publish v2 to production" }).click();
    await page.getByRole("button", { name: "Yes, publish v2 to production" }).click();
    await visible(page.getByText("Published: production now serves v2."));

    // "Diff" on v2 compares it with the version before it: the rename.
    await page.getByRole("link", { name: "Diff v2 against v1" }).click();
    await page.waitForURL(/to=/);
    const back = page.getByRole("listitem", { name: "Trigger Order completed renamed" });
    await visible(back);
    expect(await back.innerText()).toContain("renamed from Purchase event to Order completed");
  });

  test("production is rolled back to v1 in one click, and the history says so", async () => {
    const production = page.getByRole("region", { name: "production", exact: true });
    await production.getByRole("button", { name: "Roll back to v1" }).click();
    await production.getByRole("button", { name: "Yes, roll production back to v1" }).click();
    await visible(production.getByText("v1 live"));
    const history = production.getByRole("list", { name: "production history" });
    const newest = history.getByRole("listitem").first();
    expect(await newest.innerText()).toContain("rollback");
    expect(await newest.innerText()).toContain("v1");
    expect(await history.getByRole("listitem").count()).toBe(3);
    await expect.poll(() => versionRow("v1").innerText()).toContain("production");
    await screenshot(page, "versions-rollback");

    // A side that does not exist (a stale link) is explained, not a crash.
    await page.goto(`${base}/containers/${containerId}/versions?from=nope&to=draft`);
    await visible(page.getByText("Version not found: pick the two sides again."));
  });

  test("the plan's consistency view shows how the site uses purchase; a used event cannot be deleted", async () => {
    await page.goto(`${base}/plan`);
    const section = page.getByRole("region", { name: "purchase", exact: true });
    await visible(section);
    expect(await section.innerText()).toContain("sites differ");
    const row = await section.getByRole("row", { name: /Demo Shop/ }).innerText();
    expect(row).toContain("enabled");
    expect(row).toContain("PurchaseShop");
    expect(row).toContain("us: Meta off");
    expect(await page.getByRole("listitem", { name: "Plan event purchase" }).innerText()).toContain("used by 1 container");

    const purchase = page.getByRole("listitem", { name: "Plan event purchase" });
    await purchase.getByRole("button", { name: "Delete" }).click();
    await purchase.getByRole("button", { name: "Delete purchase" }).click();
    await visible(purchase.getByText(/purchase is used by Demo Shop: remove it from those containers first/));
    await page.getByRole("heading", { name: "Consistency across sites" }).scrollIntoViewIfNeeded();
    await screenshot(page, "plan-consistency");
  });

  test("an editor creates versions but sees publishing disabled; a viewer reads the plan only", async () => {
    async function member(role: "editor" | "viewer") {
      const invite = await rest<{ link: string }>("POST", "/invites", { email: `${role}-${Date.now()}@example.com`, role });
      const { email } = await rest<{ email: string }>("POST", "/invites/accept", { token: invite.link.split("/").pop(), name: `Test ${role}`, password: "a-long-password" });
      const other = await (await browser.newContext({ viewport: { width: 1366, height: 800 } })).newPage();
      const otherErrors = trackErrors(other);
      await other.goto(`${base}/signin`);
      await other.getByLabel("Email").fill(email);
      await other.getByLabel("Password").fill("a-long-password");
      await other.getByRole("button", { name: "Sign in" }).click();
      await other.waitForURL("**/overview");
      return { other, otherErrors };
    }

    const { other: editor, otherErrors: editorErrors } = await member("editor");
    await editor.goto(`${base}/containers/${containerId}/versions`);
    const publish = versionRow("v1", editor).getByRole("button", { name: "Publish to…" });
    await visible(publish);
    expect(await publish.isDisabled()).toBe(true);
    expect(await publish.getAttribute("title")).toContain("Publishers publish");
    await visible(editor.getByText("publishers publish them"));
    expect(await editor.getByRole("button", { name: /Roll back|again/ }).count()).toBe(0);
    expect(await editor.getByRole("button", { name: "Create version v3" }).isDisabled()).toBe(false);
    await screenshot(editor, "versions-editor");
    expect(editorErrors).toEqual([]);

    const { other: viewer, otherErrors: viewerErrors } = await member("viewer");
    await viewer.goto(`${base}/plan`);
    await visible(viewer.getByRole("listitem", { name: "Plan event purchase" }));
    expect(await viewer.getByRole("button", { name: /^(Edit|Delete|Add|New custom event)/ }).count()).toBe(0);
    await viewer.goto(`${base}/containers/${containerId}`);
    await visible(viewer.getByText("Importing replaces the draft, so it needs an editor"));
    expect(viewerErrors).toEqual([]);
    await editor.context().close();
    await viewer.context().close();
  });

  test("no page threw an uncaught error", () => {
    expect(errors).toEqual([]);
  });
});
