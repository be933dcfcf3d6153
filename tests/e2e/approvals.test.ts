// Safe publishing in real Chromium, by two people at 1440×900: the publish form starts on
// staging; production shows what changes there, in sentences, and asks to confirm. Then an
// owner requires approval; an editor asks to publish v2 with a note; a publisher sees the
// notification, reviews the changes beside the request and rejects it with a comment; the
// editor is told, asks again, and this time the publisher approves — production serves v2.
// The audit log says all of it in words, and its filters find it.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot, trackErrors, signInPage } from "./browser";
import { addMember, expectStatus, newTeam, uid, type Json, type Team } from "../helpers/api";

const base = inject("e2eBaseUrl");
const VIEWPORT = { width: 1440, height: 900 };

let browser: Browser;
let team: Team;
let owner: Page;
let editor: Page;
let publisher: Page;
const errors: string[][] = [];
let containerId = "";
let metaId = "";
let editorName = "";
let publisherName = "";

const signIn = (p: Page, email: string, password: string) => signInPage(p, base, email, password);

async function page(email: string, password: string): Promise<Page> {
  const p = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
  errors.push(trackErrors(p));
  await signIn(p, email, password);
  return p;
}

const visible = (locator: ReturnType<Page["getByText"]>) => expect.poll(() => locator.first().isVisible(), { timeout: 15_000 }).toBe(true);
const versionRow = (p: Page, name: string) => p.getByRole("row").filter({ has: p.getByRole("cell", { name, exact: true }) });
const productionVersion = async () => expectStatus(await team.owner.get(`/containers/${containerId}/environments`), 200).data.find((e: Json) => e.kind === "production").versionId;

beforeAll(async () => {
  team = await newTeam(base);
  const site = expectStatus(await team.owner.post("/sites", { name: `Approval Shop ${uid()}`, hostnames: [`approve-${uid()}.example.com`], defaultCurrency: "EUR" }), 201);
  containerId = site.container.id;
  const trigger = expectStatus(
    await team.owner.post(`/containers/${containerId}/triggers`, {
      name: "Purchase on thank-you",
      definition: { type: "data_layer_event", eventName: "purchase", conditions: [{ source: "page_path", operator: "starts_with", value: "/thanks" }, { source: "data_layer", key: "ecommerce.value", operator: "gt", value: "0" }] },
    }),
    201,
  );
  metaId = expectStatus(
    await team.owner.post(`/containers/${containerId}/destinations`, { name: "Meta", definition: { platform: "meta", ids: { pixelId: "1234567890" }, testEventCode: "TEST1" }, secrets: { accessToken: "EAAB-first" } }),
    201,
  ).id;
  void trigger;
  const ed = await addMember(team, "editor");
  const pub = await addMember(team, "publisher");
  editorName = ed.name;
  publisherName = pub.name;
  browser = await launch();
  owner = await page(team.email, team.password);
  editor = await page(ed.email, ed.password);
  publisher = await page(pub.email, pub.password);
});

afterAll(async () => {
  await browser?.close();
});

/** Changes the draft: a condition's value, the test code and the access token (as the API would from the forms). */
async function changeDraft(value: string, code: string) {
  const [t] = expectStatus(await team.owner.get(`/containers/${containerId}/triggers`), 200).data;
  const conditions = [...t.definition.conditions];
  conditions[1] = { ...conditions[1], value };
  expectStatus(await team.owner.patch(`/triggers/${t.id}`, { revision: t.revision, definition: { ...t.definition, conditions } }), 200);
  const d = expectStatus(await team.owner.get(`/destinations/${metaId}`), 200);
  expectStatus(await team.owner.patch(`/destinations/${metaId}`, { revision: d.revision, definition: { ...d.definition, testEventCode: code }, secrets: { accessToken: `EAAB-${code}` } }), 200);
}

describe("safe publishing and approvals", () => {
  test("the publish form starts on staging; production shows the change summary and asks to confirm", async () => {
    await owner.goto(`${base}/containers/${containerId}/versions`);
    const create = owner.getByRole("form", { name: "Create a version" });
    await create.getByLabel("Note").fill("First tracking");
    await create.getByRole("button", { name: "Create version v1" }).click();
    await visible(owner.getByText("Created v1. Publish it from the history below."));

    await versionRow(owner, "v1").getByRole("button", { name: "Publish to…" }).click();
    const form = owner.getByRole("form", { name: "Publish v1" });
    const environment = form.getByLabel("Environment");
    expect(await environment.locator("option:checked").innerText()).toMatch(/^staging /);
    await form.getByRole("button", { name: "Publish v1 to staging" }).click();
    await visible(owner.getByText("Published: staging now serves v1."));

    await versionRow(owner, "v1").getByRole("button", { name: "Publish to…" }).click();
    // Not live in staging any more as a choice: the form moves on to the next non-production one.
    await form.getByLabel("Environment").selectOption({ label: "production (nothing published)" });
    await form.getByLabel("Note").fill("checked on staging");
    await form.getByRole("button", { name: "Review: Publish v1 to production" }).click();
    const confirm = owner.getByRole("region", { name: "Confirm: Publish v1 to production" });
    await visible(confirm);
    const summary = await confirm.innerText();
    expect(summary).toContain("Trigger");
    expect(summary).toContain("Purchase on thank-you");
    expect(await productionVersion()).toBeNull();
    await screenshot(owner, "approvals-publish-confirm");
    await confirm.getByRole("button", { name: "Yes, publish v1 to production" }).click();
    await visible(owner.getByText("Published: production now serves v1."));
    expect(await productionVersion()).not.toBeNull();
  });

  test("an owner requires approval in Settings (Members links there)", async () => {
    await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    await owner.waitForURL("**/members");
    await owner.getByRole("link", { name: /approvals and deleting the team are in Settings/ }).click();
    await owner.waitForURL("**/settings");
    const form = owner.getByRole("form", { name: "Publishing" });
    await form.getByLabel("Production needs approval").check();
    await form.getByRole("button", { name: "Save" }).click();
    await visible(owner.getByText("Saved: production now needs approval."));
    expect(expectStatus(await team.owner.get("/team"), 200).productionNeedsApproval).toBe(true);
    await screenshot(owner, "approvals-team-setting");
  });

  test("the diff of v2 says what changed in sentences; the editor asks to publish it with a note", async () => {
    await changeDraft("10", "TEST2");
    expectStatus(await team.owner.post(`/containers/${containerId}/versions`, { note: "Higher threshold" }), 201);

    await editor.goto(`${base}/containers/${containerId}/versions`);
    // The Diff of v2 compares it with v1, the version before it.
    await editor.getByRole("link", { name: "Diff v2 against v1" }).click();
    await editor.waitForURL(/to=/);
    const changes = editor.getByRole("list", { name: "Changes" });
    await expect.poll(() => changes.innerText()).toContain("condition 2 — data layer ecommerce.value greater than 0 → greater than 10");
    const text = await changes.innerText();
    expect(text).toContain("test event code: TEST1 → TEST2");
    expect(text).not.toMatch(/EAAB|conditions\.1|null/);
    await screenshot(editor, "approvals-diff-sentences");

    await versionRow(editor, "v2").getByRole("button", { name: "Ask to publish…" }).click();
    const form = editor.getByRole("form", { name: "Publish v2" });
    await form.getByLabel("Note for the reviewer").fill("checked on staging");
    await form.getByRole("button", { name: "Review: Ask for approval to publish v2 to production" }).click();
    const confirm = editor.getByRole("region", { name: "Confirm: Ask for approval to publish v2 to production" });
    await visible(confirm);
    expect(await confirm.innerText()).toContain("test event code: TEST1 → TEST2");
    await confirm.getByRole("button", { name: "Ask for approval" }).click();
    await visible(editor.getByText(/Asked for approval: v2 to production waits/));
    await visible(editor.getByRole("list", { name: "Publish requests" }).getByText("pending"));
    await screenshot(editor, "approvals-requested");
  });

  test("the publisher is notified, reviews the request beside its diff, and rejects it with a comment", async () => {
    await publisher.goto(`${base}/overview`);
    const bell = publisher.getByRole("link", { name: /^Notifications, \d+ unread$/ });
    await visible(bell);
    await bell.click();
    await publisher.waitForURL("**/notifications");
    await visible(publisher.getByRole("list", { name: "Notifications" }));
    await screenshot(publisher, "approvals-notifications");
    await publisher.getByRole("link", { name: new RegExp(`${editorName} asks to publish .* v2 to production`) }).click();
    await publisher.waitForURL(/request=/);
    const panel = publisher.getByRole("region", { name: "Publish request" });
    await visible(panel);
    expect(await panel.innerText()).toContain("checked on staging");
    await visible(publisher.getByRole("list", { name: "Changes" }).getByText("test event code: TEST1 → TEST2"));
    await screenshot(publisher, "approvals-review");

    await panel.getByRole("button", { name: "Reject" }).click();
    await visible(panel.getByText("say why it is rejected, so the requester can fix it"));
    await panel.getByLabel(/Comment/).fill("Keep TEST1 until Monday");
    await panel.getByRole("button", { name: "Reject" }).click();
    await visible(panel.getByText(/rejected/));
    const v1 = await productionVersion();
    const versions = expectStatus(await team.owner.get(`/containers/${containerId}/versions`), 200).data;
    expect(v1).toBe(versions.find((v: Json) => v.number === 1).id);
  });

  test("the editor cannot decide their own request; asked again, the publisher approves and production serves v2", async () => {
    await editor.goto(`${base}/notifications`);
    await visible(editor.getByText(new RegExp(`${publisherName} rejected .* v2 to production: “Keep TEST1 until Monday”`)));

    await editor.goto(`${base}/containers/${containerId}/versions`);
    await versionRow(editor, "v2").getByRole("button", { name: "Ask to publish…" }).click();
    await editor.getByRole("form", { name: "Publish v2" }).getByLabel("Note for the reviewer").fill("Monday now");
    await editor.getByRole("button", { name: "Review: Ask for approval to publish v2 to production" }).click();
    await editor.getByRole("button", { name: "Ask for approval" }).click();
    await visible(editor.getByText(/Asked for approval: v2 to production waits/));
    await editor.getByRole("link", { name: "Review of v2 to production" }).first().click();
    await editor.waitForURL(/request=/);
    const own = editor.getByRole("region", { name: "Publish request" });
    await visible(own.getByText("You asked for this publish"));
    expect(await own.getByRole("button", { name: /Approve/ }).count()).toBe(0);

    await publisher.goto(`${base}/notifications`);
    await publisher.getByRole("link", { name: /asks to publish .* v2 to production: “Monday now”/ }).click();
    await publisher.waitForURL(/request=/);
    const panel = publisher.getByRole("region", { name: "Publish request" });
    await panel.getByLabel(/Comment/).fill("Go");
    await panel.getByRole("button", { name: "Approve and publish v2 to production" }).click();
    await visible(panel.getByText(/approved/));
    const versions = expectStatus(await team.owner.get(`/containers/${containerId}/versions`), 200).data;
    await expect.poll(productionVersion).toBe(versions.find((v: Json) => v.number === 2).id);
    await screenshot(publisher, "approvals-approved");
  });

  test("the audit log tells the story in words; its search and dates find it", async () => {
    await owner.goto(`${base}/audit`);
    await owner.getByLabel("Search").fill("publish request");
    await owner.getByRole("button", { name: "Filter" }).click();
    await owner.waitForURL(/q=publish/);
    const entries = owner.getByRole("list", { name: "Audit entries" });
    await visible(entries.getByText(`${publisherName}`).first());
    await owner.goto(`${base}/audit?${new URLSearchParams({ entityType: "publish_request" })}`);
    const text = await owner.getByRole("list", { name: "Audit entries" }).innerText();
    expect(text).toMatch(/approved publishing to .* \/ production/);
    expect(text).toMatch(/rejected publishing to .* \/ production/);
    expect(text).toContain("comment: “Keep TEST1 until Monday”");
    await owner.goto(`${base}/audit?${new URLSearchParams({ entityType: "destination" })}`);
    const destination = await owner.getByRole("list", { name: "Audit entries" }).innerText();
    expect(destination).toContain("test event code: TEST1 → TEST2");
    expect(destination).toContain("Conversions API access token replaced");
    expect(destination).not.toMatch(/EAAB/);
    await owner.getByRole("link", { name: /changed destination .* \/ Meta/ }).first().click();
    await owner.waitForURL(new RegExp(`/destinations\\?edit=${metaId}`));

    const today = new Date().toISOString().slice(0, 10);
    await owner.goto(`${base}/audit?from=${today}&to=${today}`);
    await visible(owner.getByText(/of \d+ entries/));
    await screenshot(owner, "approvals-audit-log");
    await owner.goto(`${base}/audit?from=${today}&to=2020-01-01`);
    await visible(owner.getByText("must be after from"));
  });

  test("no page threw an uncaught error", () => {
    expect(errors.flat()).toEqual([]);
  });
});
