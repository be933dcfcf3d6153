// Cross-team isolation: team B, with full (owner) rights in its own team, gets exactly
// the answer for team A's ids that it gets for ids that do not exist (same status, same
// body), so ids cannot be probed across teams, and team A's data is left untouched.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, addMember, createToken, expectStatus, newTeam, regionBody, siteBody, uid, type Json, type Team } from "../helpers/api";

type Ids = { site: string; region: string; container: string; environment: string; member: string; invite: string; token: string };
type Probe = { name: string; method: string; path: (ids: Ids) => string; body?: (ids: Ids) => unknown };

const PROBES: Probe[] = [
  { name: "get site", method: "GET", path: (i) => `/sites/${i.site}` },
  { name: "update site", method: "PATCH", path: (i) => `/sites/${i.site}`, body: () => ({ name: "Hijacked" }) },
  { name: "delete site", method: "DELETE", path: (i) => `/sites/${i.site}` },
  { name: "list a site's regions", method: "GET", path: (i) => `/sites/${i.site}/regions` },
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
    ids = {
      site: aSite.id,
      region: aSite.regions[0].id,
      container: aSite.container.id,
      environment: aSite.container.environments.find((e: Json) => e.kind === "staging").id,
      member: member.memberId,
      invite: invite.id,
      token: token.id,
    };
    // Shaped like real ids (cuid), but nobody's.
    const fake = () => `c${uid()}`.padEnd(25, "0").slice(0, 25);
    missing = { site: fake(), region: fake(), container: fake(), environment: fake(), member: fake(), invite: fake(), token: fake() };
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
    // Nothing in A's log was done by B.
    const log = expectStatus(await a.owner.get("/audit?limit=200"), 200);
    expect(log.data.length).toBeGreaterThan(0);
    const byB = log.data.filter((e: Json) => e.actorUserId === b.userId || e.actorTokenId === b.ownerTokenId || e.actorLabel === b.name);
    expect(byB).toEqual([]);
  });
});
