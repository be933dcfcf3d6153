// The audit log: every change, by a person (dashboard session) or an API token, writes
// one entry with who, what, and the entity before → after; the log filters by entity
// and by actor.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, createToken, expectStatus, newTeam, regionBody, siteBody, uid, type Json, type Team } from "../helpers/api";

describe.each(inject("servers"))("audit log on $name", ({ url }) => {
  let team: Team;
  let person: Client;
  let bot: Client;
  let botId: string;
  let botLabel: string;

  /** The newest entry about `entityId`. */
  async function last(entityId: string): Promise<Json> {
    const log = expectStatus(await team.owner.get(`/audit?entityId=${entityId}&limit=1`), 200);
    expect(log.data).toHaveLength(1);
    return log.data[0];
  }
  const byPerson = () => ({ actorLabel: team.name, actorUserId: team.userId, actorTokenId: null });
  const byBot = () => ({ actorLabel: botLabel, actorUserId: null, actorTokenId: botId });

  beforeAll(async () => {
    team = await newTeam(url);
    person = team.session;
    const token = await createToken(person, "owner", { name: `ci-${uid()}` });
    bot = new Client(url, token.secret);
    botId = token.id;
    botLabel = `token ${token.name}`;
  });

  it("records a site's creation, update and deletion with before and after", async () => {
    const body = siteBody({ regions: [regionBody({ code: "eu" })] });
    const site = expectStatus(await person.post("/sites", body), 201);
    expect(await last(site.id)).toMatchObject({
      ...byPerson(),
      action: "create",
      entityType: "site",
      entityId: site.id,
      entityLabel: body.name,
      before: null,
      after: { name: body.name, hostnames: body.hostnames, defaultCurrency: "EUR", regions: ["eu"] },
    });

    expectStatus(await bot.patch(`/sites/${site.id}`, { name: "Renamed", defaultCurrency: "USD" }), 200);
    expect(await last(site.id)).toMatchObject({
      ...byBot(),
      action: "update",
      entityLabel: "Renamed",
      before: { name: body.name, defaultCurrency: "EUR" },
      after: { name: "Renamed", defaultCurrency: "USD", hostnames: body.hostnames },
    });

    expect((await bot.delete(`/sites/${site.id}`)).status).toBe(204);
    const deleted = await last(site.id);
    expect(deleted).toMatchObject({ ...byBot(), action: "delete", before: { name: "Renamed", regions: ["eu"] } });
    expect(deleted.after).toBeNull();

    const history = expectStatus(await team.owner.get(`/audit?entityId=${site.id}`), 200);
    expect(history.data.map((e: Json) => e.action)).toEqual(["delete", "update", "create"]);
  });

  it("records region and environment changes", async () => {
    const site = expectStatus(await person.post("/sites", siteBody()), 201);
    const region = expectStatus(await person.post(`/sites/${site.id}/regions`, regionBody({ code: "uk", countries: ["GB"] })), 201);
    expect(await last(region.id)).toMatchObject({
      ...byPerson(),
      action: "create",
      entityType: "region",
      entityLabel: `${site.name} / uk`,
      after: { code: "uk", countries: ["GB"], consentDefault: "granted" },
    });
    expectStatus(await bot.patch(`/regions/${region.id}`, { consentDefault: "denied" }), 200);
    expect(await last(region.id)).toMatchObject({ ...byBot(), action: "update", before: { consentDefault: "granted" }, after: { consentDefault: "denied" } });
    expect((await person.delete(`/regions/${region.id}`)).status).toBe(204);
    expect(await last(region.id)).toMatchObject({ ...byPerson(), action: "delete", before: { code: "uk" }, after: null });

    const containerId = site.container.id;
    const env = expectStatus(await bot.post(`/containers/${containerId}/environments`, { name: "qa" }), 201);
    expect(await last(env.id)).toMatchObject({ ...byBot(), action: "create", entityType: "environment", after: { name: "qa", kind: "custom" } });
    expectStatus(await person.patch(`/environments/${env.id}`, { rotateKey: true }), 200);
    const rotated = await last(env.id);
    expect(rotated).toMatchObject({ ...byPerson(), action: "rotate_key", after: { keyRotated: true } });
    expect(JSON.stringify(rotated)).not.toContain(env.publicKey);
    expect((await person.delete(`/environments/${env.id}`)).status).toBe(204);
    expect(await last(env.id)).toMatchObject({ ...byPerson(), action: "delete", before: { name: "qa" } });

    expectStatus(await bot.patch(`/containers/${containerId}`, { name: "Renamed container" }), 200);
    expect(await last(containerId)).toMatchObject({ ...byBot(), action: "update", entityType: "container", before: { name: site.name }, after: { name: "Renamed container" } });
  });

  it("records tokens, invitations, members and the team", async () => {
    const token = await createToken(person, "viewer", { name: "reporting" });
    const created = await last(token.id);
    expect(created).toMatchObject({ ...byPerson(), action: "create", entityType: "api_token", after: { name: "reporting", role: "viewer", prefix: token.prefix } });
    expect(JSON.stringify(created)).not.toContain(token.secret);
    expect((await bot.delete(`/tokens/${token.id}`)).status).toBe(204);
    expect(await last(token.id)).toMatchObject({ ...byBot(), action: "revoke", before: { name: "reporting", role: "viewer" } });

    const email = `joiner-${uid()}@example.test`;
    const invite = expectStatus(await person.post("/invites", { email, role: "viewer" }), 201);
    expect(await last(invite.id)).toMatchObject({ ...byPerson(), action: "invite", entityType: "invite", entityLabel: email, after: { email, role: "viewer" } });

    expectStatus(await new Client(url).post("/invites/accept", { token: invite.link.split("/").pop(), name: "Joiner", password: `pw-${uid()}-long` }), 201);
    const members = expectStatus(await team.owner.get("/members"), 200);
    const member = members.data.find((m: Json) => m.user.email === email);
    expect(await last(member.id)).toMatchObject({ actorLabel: "Joiner", actorUserId: member.user.id, action: "join", entityType: "member", after: { email, role: "viewer" } });

    expectStatus(await bot.patch(`/members/${member.id}`, { role: "editor" }), 200);
    expect(await last(member.id)).toMatchObject({ ...byBot(), action: "change_role", entityLabel: email, before: { role: "viewer" }, after: { role: "editor" } });
    expect((await person.delete(`/members/${member.id}`)).status).toBe(204);
    expect(await last(member.id)).toMatchObject({ ...byPerson(), action: "remove", before: { email, role: "editor" } });

    const withdrawn = expectStatus(await bot.post("/invites", { email: `later-${uid()}@example.test`, role: "editor" }), 201);
    expect(await last(withdrawn.id)).toMatchObject({ ...byBot(), action: "invite" });
    expect((await person.delete(`/invites/${withdrawn.id}`)).status).toBe(204);
    expect(await last(withdrawn.id)).toMatchObject({ ...byPerson(), action: "revoke", entityType: "invite" });

    expectStatus(await bot.patch("/team", { name: "Renamed team" }), 200);
    expect(await last(team.teamId)).toMatchObject({ ...byBot(), action: "update", entityType: "team", before: { name: team.teamName }, after: { name: "Renamed team" } });
  });

  it("filters by entity type and by actor, newest first", async () => {
    const site = expectStatus(await person.post("/sites", siteBody()), 201);
    expectStatus(await bot.patch(`/sites/${site.id}`, { name: "Filtered" }), 200);

    const sites = expectStatus(await team.owner.get("/audit?entityType=site&limit=200"), 200);
    expect(sites.data.length).toBeGreaterThanOrEqual(2);
    expect(sites.data.every((e: Json) => e.entityType === "site")).toBe(true);
    expect(sites.data.slice(0, 2).map((e: Json) => [e.entityId, e.action])).toEqual([
      [site.id, "update"],
      [site.id, "create"],
    ]);
    const times = sites.data.map((e: Json) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));

    const fromBot = expectStatus(await team.owner.get(`/audit?actor=${botId}&limit=200`), 200);
    expect(fromBot.data.length).toBeGreaterThan(0);
    expect(fromBot.data.every((e: Json) => e.actorTokenId === botId && e.actorLabel === botLabel)).toBe(true);
    expect(fromBot.data[0]).toMatchObject({ entityId: site.id, action: "update" });

    const fromPerson = expectStatus(await team.owner.get(`/audit?actor=${team.userId}&limit=200`), 200);
    expect(fromPerson.data.length).toBeGreaterThan(0);
    expect(fromPerson.data.every((e: Json) => e.actorUserId === team.userId && e.actorLabel === team.name)).toBe(true);
    expect(fromPerson.data[0]).toMatchObject({ entityId: site.id, action: "create" });

    const botSites = expectStatus(await team.owner.get(`/audit?actor=${botId}&entityType=site&limit=200`), 200);
    expect(botSites.data.every((e: Json) => e.actorTokenId === botId && e.entityType === "site")).toBe(true);
    expect(botSites.data.length).toBeLessThan(fromBot.data.length);

    const page = expectStatus(await team.owner.get("/audit?limit=2"), 200);
    expect(page.data).toHaveLength(2);
    const older = expectStatus(await team.owner.get(`/audit?limit=200&to=${encodeURIComponent(page.data[1].createdAt)}`), 200);
    expect(older.data.every((e: Json) => Date.parse(e.createdAt) < Date.parse(page.data[1].createdAt))).toBe(true);

    expect(expectStatus(await team.owner.get("/audit?entityType=nothing-like-this"), 200).data).toEqual([]);
  });

  it("pages, words and a date range narrow the log; each entry says what changed in words and links to its item", async () => {
    const site = expectStatus(await person.post("/sites", siteBody()), 201);
    const containerId = site.container.id;
    const word = `Zebra${uid()}`;
    const created = [];
    for (let i = 0; i < 5; i++) {
      created.push(expectStatus(await person.post(`/containers/${containerId}/triggers`, { name: `${word} ${i}`, definition: { type: "page_view" } }), 201));
    }
    const t = created[0];
    expectStatus(
      await person.patch(`/triggers/${t.id}`, { revision: t.revision, definition: { type: "page_view", conditions: [{ source: "page_path", operator: "starts_with", value: "/thanks" }] } }),
      200,
    );

    const first = expectStatus(await team.owner.get(`/audit?q=${word.toLowerCase()}&limit=2`), 200);
    expect(first).toMatchObject({ page: 1, limit: 2, total: 6, pages: 3 });
    expect(first.data[0]).toMatchObject({ action: "update", entityId: t.id, summary: `changed trigger ${site.container.name} / ${word} 0`, changes: ["condition 1 added: page path starts with /thanks"], href: `/containers/${containerId}/triggers?edit=${t.id}&field=conditions.0.value` });
    const third = expectStatus(await team.owner.get(`/audit?q=${word}&limit=2&page=3`), 200);
    expect(third.data.map((e: Json) => e.entityLabel)).toEqual([`${site.container.name} / ${word} 1`, `${site.container.name} / ${word} 0`]);
    const all = [...first.data, ...expectStatus(await team.owner.get(`/audit?q=${word}&limit=2&page=2`), 200).data, ...third.data];
    expect(new Set(all.map((e: Json) => e.id)).size).toBe(6);
    expect(expectStatus(await team.owner.get(`/audit?q=${word}&page=9`), 200).data).toEqual([]);

    // Dates: today holds them all; a range that ends yesterday holds none.
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(expectStatus(await team.owner.get(`/audit?q=${word}&from=${today}&to=${today}`), 200).total).toBe(6);
    expect(expectStatus(await team.owner.get(`/audit?q=${word}&to=${yesterday}`), 200).total).toBe(0);
    expect(expectStatus(await team.owner.get(`/audit?q=${word}&from=${encodeURIComponent(all[0].createdAt)}`), 200).data[0].id).toBe(all[0].id);
    expect(expectStatus(await team.owner.get(`/audit?from=${today}&to=${yesterday}`), 422).error.fields[0].path).toBe("to");

    // A deleted item has nothing to link to.
    expect((await person.delete(`/triggers/${created[4].id}`)).status).toBe(204);
    const [deleted] = expectStatus(await team.owner.get(`/audit?entityId=${created[4].id}&limit=1`), 200).data;
    expect(deleted).toMatchObject({ action: "delete", changes: [], href: null });
  });

  it("a destination's secret replaced and a test code changed read as sentences; no secret reaches the log", async () => {
    const site = expectStatus(await person.post("/sites", siteBody()), 201);
    const d = expectStatus(
      await person.post(`/containers/${site.container.id}/destinations`, { name: "Meta", definition: { platform: "meta", ids: { pixelId: "1234567890" }, testEventCode: "TEST1" }, secrets: { accessToken: "EAAB-first-secret" } }),
      201,
    );
    const after = expectStatus(await person.patch(`/destinations/${d.id}`, { revision: d.revision, definition: { ...d.definition, testEventCode: "TEST2" }, secrets: { accessToken: "EAAB-second-secret" } }), 200);
    const [entry] = expectStatus(await team.owner.get(`/audit?entityId=${d.id}&limit=1`), 200).data;
    expect(entry.changes).toEqual(["test event code: TEST1 → TEST2", "Conversions API access token replaced"]);
    expect(after.revision).toBe(d.revision + 1);
    const log = JSON.stringify(expectStatus(await team.owner.get(`/audit?entityId=${d.id}`), 200));
    expect(log).not.toMatch(/EAAB-/);
  });
});
