// Cross-team isolation: team B, with full (owner) rights in its own team, gets exactly
// the answer for team A's ids that it gets for ids that do not exist (same status, same
// body), so ids cannot be probed across teams, and team A's data is left untouched.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, addMember, createToken, expectStatus, newTeam, regionBody, siteBody, uid, type Json, type Team } from "../helpers/api";

type Ids = {
  site: string;
  region: string;
  container: string;
  environment: string;
  member: string;
  invite: string;
  token: string;
  planEvent: string;
  event: string;
  trigger: string;
  variable: string;
  destination: string;
  version: string;
};
type Probe = { name: string; method: string; path: (ids: Ids) => string; body?: (ids: Ids) => unknown };

const PROBES: Probe[] = [
  { name: "get site", method: "GET", path: (i) => `/sites/${i.site}` },
  { name: "update site", method: "PATCH", path: (i) => `/sites/${i.site}`, body: () => ({ name: "Hijacked" }) },
  { name: "delete site", method: "DELETE", path: (i) => `/sites/${i.site}` },
  { name: "list a site's regions", method: "GET", path: (i) => `/sites/${i.site}/regions` },
  { name: "a site's tracking-plan document", method: "GET", path: (i) => `/sites/${i.site}/tracking-plan` },
  { name: "a site's tracking plan as Markdown", method: "GET", path: (i) => `/sites/${i.site}/tracking-plan/markdown` },
  { name: "add a region to a site", method: "POST", path: (i) => `/sites/${i.site}/regions`, body: () => regionBody() },
  { name: "get region", method: "GET", path: (i) => `/regions/${i.region}` },
  { name: "update region", method: "PATCH", path: (i) => `/regions/${i.region}`, body: () => ({ name: "Hijacked" }) },
  { name: "delete region", method: "DELETE", path: (i) => `/regions/${i.region}` },
  { name: "create a container for a site", method: "POST", path: () => "/containers", body: (i) => ({ siteId: i.site, name: "Hijacked" }) },
  { name: "get container", method: "GET", path: (i) => `/containers/${i.container}` },
  { name: "rename container", method: "PATCH", path: (i) => `/containers/${i.container}`, body: () => ({ name: "Hijacked" }) },
  { name: "delete container", method: "DELETE", path: (i) => `/containers/${i.container}` },
  { name: "list environments", method: "GET", path: (i) => `/containers/${i.container}/environments` },
  { name: "add environment", method: "POST", path: (i) => `/containers/${i.container}/environments`, body: () => ({ name: "hijacked" }) },
  { name: "get environment", method: "GET", path: (i) => `/environments/${i.environment}` },
  { name: "rotate environment key", method: "PATCH", path: (i) => `/environments/${i.environment}`, body: () => ({ rotateKey: true }) },
  { name: "delete environment", method: "DELETE", path: (i) => `/environments/${i.environment}` },
  { name: "change member role", method: "PATCH", path: (i) => `/members/${i.member}`, body: () => ({ role: "owner" }) },
  { name: "remove member", method: "DELETE", path: (i) => `/members/${i.member}` },
  { name: "withdraw invite", method: "DELETE", path: (i) => `/invites/${i.invite}` },
  { name: "revoke token", method: "DELETE", path: (i) => `/tokens/${i.token}` },
  { name: "get plan event", method: "GET", path: (i) => `/plan/events/${i.planEvent}` },
  { name: "update plan event", method: "PATCH", path: (i) => `/plan/events/${i.planEvent}`, body: () => ({ revision: 1, description: "Hijacked" }) },
  { name: "delete plan event", method: "DELETE", path: (i) => `/plan/events/${i.planEvent}` },
  { name: "use a plan event", method: "POST", path: (i) => `/containers/${i.container}/events`, body: (i) => ({ planEventId: i.planEvent }) },
  { name: "list container events", method: "GET", path: (i) => `/containers/${i.container}/events` },
  { name: "get container event", method: "GET", path: (i) => `/events/${i.event}` },
  { name: "update container event", method: "PATCH", path: (i) => `/events/${i.event}`, body: () => ({ revision: 1, enabled: false }) },
  { name: "delete container event", method: "DELETE", path: (i) => `/events/${i.event}` },
  { name: "list triggers", method: "GET", path: (i) => `/containers/${i.container}/triggers` },
  { name: "add trigger", method: "POST", path: (i) => `/containers/${i.container}/triggers`, body: () => ({ name: "Hijacked", definition: { type: "page_view" } }) },
  { name: "get trigger", method: "GET", path: (i) => `/triggers/${i.trigger}` },
  { name: "update trigger", method: "PATCH", path: (i) => `/triggers/${i.trigger}`, body: () => ({ revision: 1, name: "Hijacked" }) },
  { name: "delete trigger", method: "DELETE", path: (i) => `/triggers/${i.trigger}` },
  { name: "list variables", method: "GET", path: (i) => `/containers/${i.container}/variables` },
  { name: "get variable", method: "GET", path: (i) => `/variables/${i.variable}` },
  { name: "update variable", method: "PATCH", path: (i) => `/variables/${i.variable}`, body: () => ({ revision: 1, name: "Hijacked" }) },
  { name: "delete variable", method: "DELETE", path: (i) => `/variables/${i.variable}` },
  { name: "list destinations", method: "GET", path: (i) => `/containers/${i.container}/destinations` },
  { name: "get destination", method: "GET", path: (i) => `/destinations/${i.destination}` },
  { name: "update destination", method: "PATCH", path: (i) => `/destinations/${i.destination}`, body: () => ({ revision: 1, name: "Hijacked" }) },
  { name: "delete destination", method: "DELETE", path: (i) => `/destinations/${i.destination}` },
  { name: "get draft", method: "GET", path: (i) => `/containers/${i.container}/draft` },
  { name: "list versions", method: "GET", path: (i) => `/containers/${i.container}/versions` },
  { name: "create version", method: "POST", path: (i) => `/containers/${i.container}/versions`, body: () => ({ note: "Hijacked" }) },
  { name: "diff", method: "GET", path: (i) => `/containers/${i.container}/diff?from=draft` },
  { name: "export", method: "GET", path: (i) => `/containers/${i.container}/export` },
  { name: "import", method: "POST", path: (i) => `/containers/${i.container}/import`, body: () => ({ format: "tagpipe.container", formatVersion: 1 }) },
  { name: "get version", method: "GET", path: (i) => `/versions/${i.version}` },
  { name: "publish version", method: "POST", path: (i) => `/versions/${i.version}/publish`, body: (i) => ({ environmentId: i.environment }) },
  { name: "environment history", method: "GET", path: (i) => `/environments/${i.environment}/history` },
];

// With B's own ids inside A's, or A's inside B's, the answer is still "not found".
const MIXED: Probe[] = [
  { name: "diff B's container against A's version", method: "GET", path: (i) => `/containers/${i.container}/diff?from=${i.version}` },
  { name: "publish A's version to B's environment", method: "POST", path: (i) => `/versions/${i.version}/publish`, body: (i) => ({ environmentId: i.environment }) },
];

describe.each(inject("servers"))("cross-team access on $name", ({ url }) => {
  let a: Team;
  let b: Team;
  let ids: Ids;
  let missing: Ids;
  let aSite: Json;
  let aTokenSecret: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([newTeam(url), newTeam(url)]);
    aSite = expectStatus(await a.owner.post("/sites", siteBody({ regions: [regionBody()] })), 201);
    const member = await addMember(a, "editor");
    const invite = expectStatus(await a.owner.post("/invites", { email: `pending-${uid()}@example.test`, role: "viewer" }), 201);
    const token = await createToken(a.owner, "viewer");
    aTokenSecret = token.secret;
    const container = aSite.container.id;
    const planEvent = expectStatus(await a.owner.post("/plan/events", { name: `ev_${uid()}` }), 201);
    const event = expectStatus(await a.owner.post(`/containers/${container}/events`, { planEventId: planEvent.id }), 201);
    const trigger = expectStatus(await a.owner.post(`/containers/${container}/triggers`, { name: "Page", definition: { type: "page_view" } }), 201);
    const variable = expectStatus(await a.owner.post(`/containers/${container}/variables`, { name: "Const", definition: { kind: "constant", value: "1" } }), 201);
    const destination = expectStatus(
      await a.owner.post(`/containers/${container}/destinations`, { name: "Hook", definition: { platform: "webhook", ids: { url: "https://hooks.example.test/a" } }, secrets: { signingSecret: "whsec-a" } }),
      201,
    );
    const version = expectStatus(await a.owner.post(`/containers/${container}/versions`, { note: "A's" }), 201);
    ids = {
      site: aSite.id,
      region: aSite.regions[0].id,
      container: aSite.container.id,
      environment: aSite.container.environments.find((e: Json) => e.kind === "staging").id,
      member: member.memberId,
      invite: invite.id,
      token: token.id,
      planEvent: planEvent.id,
      event: event.id,
      trigger: trigger.id,
      variable: variable.id,
      destination: destination.id,
      version: version.id,
    };
    // Shaped like real ids (cuid), but nobody's.
    const fake = () => `c${uid()}`.padEnd(25, "0").slice(0, 25);
    missing = Object.fromEntries(Object.keys(ids).map((k) => [k, fake()])) as Ids;
  });

  describe.each([
    { as: "B's owner token", client: () => b.owner },
    { as: "B's owner session", client: () => b.session },
  ])("as $as", ({ client }) => {
    it.each(PROBES)("$name: A's id answers like a missing id", async (probe) => {
      const call = (target: Ids) => client().call(probe.method, probe.path(target), probe.body?.(target));
      const foreign = await call(ids);
      const unknown = await call(missing);
      expect(foreign.status).toBe(404);
      expect(foreign.status).toBe(unknown.status);
      expect(foreign.body).toEqual(unknown.body);
      expect(foreign.body.error.code).toBe("not_found");
    });
  });

  it.each(MIXED)("$name: answers like missing ids", async (probe) => {
    const bSite = expectStatus(await b.owner.post("/sites", siteBody()), 201);
    const bIds = { ...missing, container: bSite.container.id, environment: bSite.container.environments[1].id };
    // A's version with B's container or environment, against a missing version with them.
    const foreign = await b.owner.call(probe.method, probe.path({ ...bIds, version: ids.version }), probe.body?.({ ...bIds, version: ids.version }));
    const unknown = await b.owner.call(probe.method, probe.path(bIds), probe.body?.(bIds));
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
    // A's version published to B's environment, or B's container diffed with it: still nothing of A's.
    expect(expectStatus(await b.owner.get(`/environments/${bIds.environment}/history`), 200).data).toEqual([]);
  });

  it("B's audit log and lists show nothing of A", async () => {
    const log = expectStatus(await b.owner.get(`/audit?entityId=${ids.site}`), 200);
    expect(log.data).toEqual([]);
    const all = expectStatus(await b.owner.get("/audit?limit=200"), 200);
    expect(JSON.stringify(all.data)).not.toContain(ids.site);
    for (const path of ["/sites", "/containers", "/members", "/invites", "/tokens"]) {
      const text = (await b.owner.get(path)).text;
      for (const id of Object.values(ids)) expect(text, `${path} lists ${id}`).not.toContain(id);
    }
  });

  it("left A's data as it was", async () => {
    const site = expectStatus(await a.owner.get(`/sites/${ids.site}`), 200);
    expect(site.name).toBe(aSite.name);
    expect(site.regions.map((r: Json) => [r.id, r.name])).toEqual(aSite.regions.map((r: Json) => [r.id, r.name]));
    expect(site.container.name).toBe(aSite.container.name);
    expect(site.container.environments.map((e: Json) => [e.id, e.publicKey])).toEqual(
      aSite.container.environments.map((e: Json) => [e.id, e.publicKey]),
    );
    const members = expectStatus(await a.owner.get("/members"), 200);
    expect(members.data.find((m: Json) => m.id === ids.member)?.role).toBe("editor");
    const invites = expectStatus(await a.owner.get("/invites"), 200);
    expect(invites.data.map((i: Json) => i.id)).toContain(ids.invite);
    expect((await new Client(url, aTokenSecret).get("/team")).status).toBe(200);
    for (const path of [`/plan/events/${ids.planEvent}`, `/events/${ids.event}`, `/triggers/${ids.trigger}`, `/variables/${ids.variable}`, `/destinations/${ids.destination}`]) {
      expect(expectStatus(await a.owner.get(path), 200).revision, path).toBe(1);
    }
    expect(expectStatus(await a.owner.get(`/containers/${ids.container}/versions`), 200).data).toHaveLength(1);
    expect(expectStatus(await a.owner.get(`/environments/${ids.environment}/history`), 200).data).toEqual([]);
    // Nothing in A's log was done by B.
    const log = expectStatus(await a.owner.get("/audit?limit=200"), 200);
    expect(log.data.length).toBeGreaterThan(0);
    const byB = log.data.filter((e: Json) => e.actorUserId === b.userId || e.actorTokenId === b.ownerTokenId || e.actorLabel === b.name);
    expect(byB).toEqual([]);
  });
});
