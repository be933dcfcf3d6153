// An owner sets how long the team's collected data is kept (a bad value is flagged beside
// the field), then deletes the team, typing its name to confirm, and is signed out of it.
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launch, screenshot, trackErrors, signInPage } from "./browser";
import { Client, createToken, expectStatus, signIn, signUp } from "../helpers/api";

const base = inject("e2eBaseUrl");
let browser: Browser;
let page: Page;
let errors: string[] = [];
let owner: Client;
let team: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  // A team of its own: this journey deletes it.
  team = await signUp(base);
  browser = await launch();
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  errors = trackErrors(page);
  await signInPage(page, base, team.email, team.password);
});

afterAll(async () => {
  await browser?.close();
});

describe("team settings", () => {
  test("the retention window: 0 is refused beside the field, 30 is saved", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await page.waitForURL("**/settings");
    const form = page.getByRole("form", { name: "Data retention" });
    const days = form.getByLabel("Keep collected data for (days)");
    expect(await days.getAttribute("placeholder")).toBe("90");
    await days.fill("0");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByText("must be at least 1 day").isVisible()).toBe(true);
    expect(await days.getAttribute("aria-invalid")).toBe("true");
    await screenshot(page, "settings-retention-error");

    await days.fill("30");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByText("Saved.").isVisible()).toBe(true);
    await page.reload();
    expect(await page.getByRole("form", { name: "Data retention" }).getByLabel("Keep collected data for (days)").inputValue()).toBe("30");
    await screenshot(page, "settings");
  });

  test("the team's name and the approval rule are set here too, each form on its own, with the keyboard", async () => {
    const nameForm = page.getByRole("form", { name: "Team name" });
    const name = nameForm.getByLabel("Team name");
    await name.fill("");
    await nameForm.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => name.getAttribute("aria-invalid")).toBe("true");
    team.teamName = `${team.teamName} renamed`;
    await name.fill(team.teamName);
    await name.press("Enter");
    await expect.poll(() => nameForm.getByText("Saved.").isVisible()).toBe(true);

    // Keyboard only: Tab from the retention field's Save to the approval checkbox, Space, Tab, Enter.
    const approval = page.getByRole("form", { name: "Publishing" });
    const box = approval.getByLabel("Production needs approval");
    expect(await box.isChecked()).toBe(false);
    await page.getByRole("form", { name: "Data retention" }).getByRole("button", { name: "Save" }).focus();
    await page.keyboard.press("Tab");
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Space");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await expect.poll(() => approval.getByText("Saved: production now needs approval.").isVisible()).toBe(true);
    // Saving one form leaves the others' values alone.
    const saved = expectStatus(await (await signIn(base, team.email, team.password)).get("/team"), 200);
    expect(saved).toMatchObject({ name: team.teamName, retentionDays: 30, productionNeedsApproval: true });
    await screenshot(page, "settings-approval");
  });

  test("deleting the team: enabled only once its name is typed; signs the owner out of it", async () => {
    // An API token of the team, to see it stop working.
    const token = await createToken(await signIn(base, team.email, team.password), "viewer");
    owner = new Client(base, token.secret);
    expectStatus(await owner.get("/team"), 200);

    const form = page.getByRole("form", { name: "Delete team" });
    const button = form.getByRole("button", { name: "Delete this team" });
    expect(await button.isDisabled()).toBe(true);
    await form.getByLabel(/Type the team's name/).fill("something else");
    expect(await button.isDisabled()).toBe(true);
    await form.getByLabel(/Type the team's name/).fill(team.teamName);
    expect(await button.isDisabled()).toBe(false);
    await screenshot(page, "settings-delete-team");
    await button.click();
    await page.waitForURL("**/signin**");
    expect((await owner.get("/team")).status).toBe(401);
    expect(errors).toEqual([]);
  });
});
