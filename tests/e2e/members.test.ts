// An owner invites a colleague as viewer; the colleague joins through the link, sees the
// dashboard read-only, and gains edit rights when the owner changes the role.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launch, screenshot, trackErrors } from "./browser";

const base = inject("e2eBaseUrl");
let browser: Browser;
let owner: Page;
let guestContext: BrowserContext;
let guest: Page;
const email = `viewer-${Date.now()}@example.com`;

async function signIn(page: Page, mail: string, password: string) {
  await page.goto(`${base}/signin`);
  await page.getByLabel("Email").fill(mail);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/overview");
}

beforeAll(async () => {
  browser = await launch();
  owner = await (await browser.newContext({ viewport: { width: 1366, height: 850 } })).newPage();
  guestContext = await browser.newContext({ viewport: { width: 1366, height: 850 } });
  guest = await guestContext.newPage();
  ownerErrors = trackErrors(owner);
  guestErrors = trackErrors(guest);
});
let ownerErrors: string[] = [];
let guestErrors: string[] = [];

afterAll(async () => {
  await browser?.close();
});

describe("members and roles", () => {
  let link = "";

  test("an owner creates an invitation link; a bad email is flagged beside the field", async () => {
    await signIn(owner, "demo@tagpipe.test", "tagpipe-demo");
    await owner.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Members" }).click();
    await owner.waitForURL("**/members");
    const form = owner.getByRole("form", { name: "Invite a member" });
    await form.getByLabel("Email").fill("not-an-email");
    await form.getByRole("button", { name: "Create invitation link" }).click();
    await expect.poll(() => form.getByText("must be an email address").isVisible()).toBe(true);

    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption("viewer");
    await form.getByRole("button", { name: "Create invitation link" }).click();
    const linkBox = owner.getByRole("textbox", { name: "Invitation link" });
    await expect.poll(() => linkBox.isVisible()).toBe(true);
    link = await linkBox.inputValue();
    expect(link).toMatch(new RegExp(`^${base}/invite/[A-Za-z0-9_-]{20,}$`));
    expect(await owner.getByText(`${email}`).count()).toBeGreaterThan(0);
    await screenshot(owner, "members-invite");
  });

  test("the invitee joins through the link and sees the dashboard read-only", async () => {
    await guest.goto(link);
    await expect.poll(() => guest.getByRole("heading", { name: "Join Demo Team" }).isVisible()).toBe(true);
    await guest.getByLabel("Your name").fill("Vera Viewer");
    await guest.getByLabel("Password").fill("short");
    await guest.getByRole("button", { name: "Join team" }).click();
    await expect.poll(() => guest.getByText("must be at least 10 characters").isVisible()).toBe(true);
    await screenshot(guest, "invite-error");
    await guest.getByLabel("Password").fill("vera-password-1");
    await guest.getByRole("button", { name: "Join team" }).click();
    await guest.waitForURL("**/overview");
    expect(await guest.getByText("viewer", { exact: true }).count()).toBeGreaterThan(0);
    expect(await guest.getByRole("link", { name: "New site" }).count()).toBe(0);
    // Owners-only pages are not in a viewer's navigation.
    expect(await guest.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API tokens" }).count()).toBe(0);
    await guest.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sites" }).click();
    await guest.getByRole("link", { name: "Demo Shop" }).click();
    await guest.waitForURL(/\/sites\/[a-z0-9]+$/);
    expect(await guest.getByRole("button", { name: "Save settings" }).count()).toBe(0);
    expect(await guest.getByRole("button", { name: "Delete site" }).count()).toBe(0);
    await screenshot(guest, "site-viewer");

    // The link works once.
    const again = await guestContext.newPage();
    await again.goto(link);
    expect(await again.getByRole("heading", { name: "This invitation is not valid" }).isVisible()).toBe(true);
    await again.close();
  });

  test("the owner makes the viewer an editor; the change shows in the audit log", async () => {
    await owner.reload();
    await owner.getByLabel(`Role of ${email}`).selectOption("editor");
    await expect.poll(async () => {
      await guest.goto(`${base}/sites`);
      return guest.getByRole("link", { name: "New site" }).count();
    }).toBe(1);
    await owner.goto(`${base}/audit`);
    const entry = owner.getByRole("listitem").filter({ hasText: `changed the role of member ${email}` });
    await expect.poll(() => entry.count()).toBe(1);
    // The entry says what changed in words, in the list itself.
    expect(await entry.innerText()).toMatch(/viewer[\s\S]*editor/);
  });

  test("the last owner cannot be demoted", async () => {
    await owner.goto(`${base}/members`);
    await owner.getByLabel("Role of demo@tagpipe.test").selectOption("viewer");
    await expect.poll(() => owner.getByText("A team needs at least one owner").isVisible()).toBe(true);
  });

  test("sign-out ends the session", async () => {
    await guest.getByRole("button", { name: "Sign out" }).click();
    await guest.waitForURL("**/signin");
    await guest.goto(`${base}/overview`);
    await guest.waitForURL("**/signin");
    const response = await guest.request.get(`${base}/api/v1/sites`);
    expect(response.status()).toBe(401);
  });

  test("no page threw an uncaught error", () => {
    expect([...ownerErrors, ...guestErrors]).toEqual([]);
  });
});
