// What the hardening pass fixed, each over real HTTP against real processes:
// - a publish (and a rollback) is served at once, by the process that published and by
//   another process on the same database (LISTEN/NOTIFY);
// - webhook URLs: https to public hosts only, unless TAGPIPE_ALLOW_PRIVATE_WEBHOOKS=1;
// - proxies: X-Forwarded-For read from the right with TAGPIPE_TRUST_PROXY hops, and
//   X-Forwarded-Host believed only from trusted proxies (the CSRF check);
// - a stranger's wrong passwords do not lock the account's owner out;
// - drafts refuse ids of another team's (or no) entity in their references;
// - deleting a site deletes its collected events and deliveries;
// - publishing to production with a loopback collector URL says so.
// The second server ("other") shares the harness's database, trusts one proxy, and keeps
// the webhook rules on.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { attemptSignIn, Client, expectStatus, hasSession, loopbackAddress, newTeam, uid, type Json, type Team } from "../helpers/api";
import { collect, createPipeline, eventually, expectOutcome, purchase, servedScript, type Pipeline } from "../helpers/pipeline";
import { queryDatabase } from "../helpers/postgres";
import { startServer, type RunningServer } from "../helpers/server";

const [server] = inject("servers");
let other: RunningServer;

beforeAll(async () => {
  other = await startServer({
    name: "hardening-other",
    backend: "postgres",
    databaseUrl: server.databaseUrl,
    distDir: inject("distDir"),
    env: { TAGPIPE_OPEN_SIGNUP: "1", TAGPIPE_TRUST_PROXY: "1", TAGPIPE_ALLOW_PRIVATE_WEBHOOKS: "0", TAGPIPE_WORKER: "0" },
  });
}, 120_000);

afterAll(async () => {
  await other?.stop();
});

describe("a publish is served at once", () => {
  let pipeline: Pipeline;

  beforeAll(async () => {
    pipeline = await createPipeline(server.url, [{ platform: "webhook", url: "http://127.0.0.1:9/hook", signingSecret: `whsec-${uid()}` }]);
  }, 60_000);

  it("by the process that published and by another one, right after the publish returns; a rollback too", async () => {
    const api = pipeline.team.owner;
    const key = pipeline.production.publicKey;
    // Both processes have the current script cached.
    const first = await servedScript(server.url, key);
    expect(await servedScript(other.url, key)).toBe(first);
    expect(await servedScript(server.url, key)).toBe(first);

    // A visible change: a new variable makes a different script.
    expectStatus(await api.post(`/containers/${pipeline.containerId}/variables`, { name: `page ${uid()}`, definition: { kind: "constant", value: uid() } }), 201);
    const v2 = expectStatus(await api.post(`/containers/${pipeline.containerId}/versions`, { note: "v2" }), 201);
    const published = expectStatus(await api.post(`/versions/${v2.id}/publish`, { environmentId: pipeline.production.id }), 201);
    expect(published.script.hash).not.toBe(first);
    expect(await servedScript(server.url, key)).toBe(published.script.hash);
    expect(await servedScript(other.url, key)).toBe(published.script.hash);

    const back = expectStatus(await api.post(`/versions/${pipeline.versionId}/publish`, { environmentId: pipeline.production.id }), 201);
    expect(back.rollback).toBe(true);
    expect(await servedScript(server.url, key)).toBe(first);
    expect(await servedScript(other.url, key)).toBe(first);
  });

  it("the publish answer warns when production's collector URL names this machine (no NEXTAUTH_URL, opened on 127.0.0.1)", async () => {
    const api = pipeline.team.owner;
    const again = expectStatus(await api.post(`/versions/${pipeline.versionId}/publish`, { environmentId: pipeline.production.id }), 201);
    expect(again.warning).toMatch(/only this machine can reach.*NEXTAUTH_URL/);
    const staging = expectStatus(await api.post(`/versions/${pipeline.versionId}/publish`, { environmentId: pipeline.staging.id }), 201);
    expect(staging.warning).toBeUndefined();
  });
});

describe("webhook URLs", () => {
  let team: Team;
  let containerId: string;

  beforeAll(async () => {
    team = await newTeam(other.url);
    const site = expectStatus(await team.owner.post("/sites", { name: `Shop ${uid()}`, hostnames: [`s-${uid()}.example.com`], defaultCurrency: "EUR" }), 201);
    containerId = site.container.id;
  });

  const destination = (url: string) => ({ name: `hook ${uid()}`, definition: { platform: "webhook", ids: { url } }, secrets: { signingSecret: "whsec-0123456789" } });

  it.each([
    ["http to a public host", "http://hooks.example.com/x", /https/],
    ["loopback", "https://127.0.0.1/x", /loopback, private/],
    ["a private address", "https://10.1.2.3/x", /loopback, private/],
    ["cloud metadata", "https://169.254.169.254/latest/meta-data", /loopback, private/],
    ["IPv6 loopback", "https://[::1]/x", /loopback, private/],
    ["localhost by name", "https://localhost/x", /public host/],
    ["an internal name", "https://metadata.google.internal/x", /public host/],
  ])("%s is refused when saved: 422 naming definition.ids.url", async (_case, url, says) => {
    const reply = await team.owner.post(`/containers/${containerId}/destinations`, destination(url));
    const fields = expectStatus(reply, 422).error.fields;
    expect(fields).toEqual([{ path: "definition.ids.url", message: expect.stringMatching(says) }]);
  });

  it("a public https URL is saved; changing it to a private one is refused", async () => {
    const created = expectStatus(await team.owner.post(`/containers/${containerId}/destinations`, destination("https://hooks.example.com/tagpipe")), 201);
    const reply = await team.owner.patch(`/destinations/${created.id}`, { revision: created.revision, definition: { platform: "webhook", ids: { url: "https://192.168.0.10/x" } } });
    expect(expectStatus(reply, 422).error.fields[0].path).toBe("definition.ids.url");
  });

  it("with TAGPIPE_ALLOW_PRIVATE_WEBHOOKS=1 (the harness's server) a local http receiver is allowed", async () => {
    const local = await newTeam(server.url);
    const site = expectStatus(await local.owner.post("/sites", { name: `Shop ${uid()}`, hostnames: [`s-${uid()}.example.com`], defaultCurrency: "EUR" }), 201);
    expectStatus(await local.owner.post(`/containers/${site.container.id}/destinations`, destination("http://127.0.0.1:9/hook")), 201);
  });
});

describe("behind a trusted proxy", () => {
  it("the collector takes the client's address from the right of X-Forwarded-For", async () => {
    const pipeline = await createPipeline(other.url, []);
    const event = purchase();
    const forged = "6.6.6.6";
    const client = "203.0.113.77";
    expectOutcome(await collect(other.url, { publicKey: pipeline.production.publicKey, origin: pipeline.origin }, [event], { "x-forwarded-for": `${forged}, ${client}` }), "accepted", 1);
    const [row] = await queryDatabase<{ ip: string }>(server.databaseUrl!, `SELECT "userData"->>'client_ip_address' AS ip FROM "CollectedEvent" WHERE "eventId" = $1`, [event.event_id]);
    expect(row.ip).toBe(client);
  });

  it("X-Forwarded-Host counts for the CSRF check only from a trusted proxy", async () => {
    // The harness's server trusts no proxy: a forwarded host naming the attacker's site does not make its Origin "same".
    const direct = await newTeam(server.url);
    const forged = await direct.session.post("/sites", { name: `Shop ${uid()}`, hostnames: [`s-${uid()}.example.com`], defaultCurrency: "EUR" }, { origin: "https://evil.example", headers: { "x-forwarded-host": "evil.example" } });
    expect(expectStatus(forged, 403).error.code).toBe("csrf");

    // Behind the trusted proxy, the host the proxy forwards is the one the browser addressed.
    const proxied = await newTeam(other.url);
    const ok = await proxied.session.post("/sites", { name: `Shop ${uid()}`, hostnames: [`s-${uid()}.example.com`], defaultCurrency: "EUR" }, { origin: "https://tags.example.com", headers: { "x-forwarded-host": "tags.example.com" } });
    expectStatus(ok, 201);
  });
});

describe("sign-in lockout", () => {
  it("five wrong passwords from a stranger's address do not refuse the owner's right password from theirs", async () => {
    const team = await newTeam(server.url);
    const stranger = loopbackAddress();
    for (let i = 0; i < 6; i++) {
      const attempt = await attemptSignIn(server.url, team.email, `wrong-${uid()}`, stranger);
      expect(hasSession(attempt.client)).toBe(false);
    }
    // The stranger's address now waits, even with the right password…
    expect(hasSession((await attemptSignIn(server.url, team.email, team.password, stranger)).client)).toBe(false);
    // …the owner, elsewhere, signs in.
    expect(hasSession((await attemptSignIn(server.url, team.email, team.password, loopbackAddress())).client)).toBe(true);
  });
});

describe("draft references", () => {
  let mine: { api: Client; containerId: string; planEventId: string };
  let theirs: { trigger: string; variable: string; event: string };

  beforeAll(async () => {
    const make = async () => {
      const team = await newTeam(server.url);
      const site = expectStatus(await team.owner.post("/sites", { name: `Shop ${uid()}`, hostnames: [`s-${uid()}.example.com`], defaultCurrency: "EUR" }), 201);
      const containerId = site.container.id as string;
      const plan = expectStatus(await team.owner.post("/plan/events", { preset: "purchase" }), 201);
      return { api: team.owner, containerId, planEventId: plan.id as string };
    };
    const [a, b] = [await make(), await make()];
    mine = a;
    const trigger = expectStatus(await b.api.post(`/containers/${b.containerId}/triggers`, { name: "theirs", definition: { type: "page_view" } }), 201);
    const variable = expectStatus(await b.api.post(`/containers/${b.containerId}/variables`, { name: "theirs", definition: { kind: "constant", value: "x" } }), 201);
    const event = expectStatus(await b.api.post(`/containers/${b.containerId}/events`, { planEventId: b.planEventId, mappings: {} }), 201);
    theirs = { trigger: trigger.id, variable: variable.id, event: event.id };
  });

  it.each(["another team's", "a missing"])("%s ids are refused with 422 naming each field, and nothing is saved", async (whose) => {
    const id = (theirs_: string) => (whose === "a missing" ? `missing-${uid()}` : theirs_);
    const { api, containerId } = mine;
    const cases: [string, unknown, string][] = [
      [`/containers/${containerId}/triggers`, { name: `t ${uid()}`, definition: { type: "page_view", blockingTriggerIds: [id(theirs.trigger)] } }, "definition.blockingTriggerIds.0"],
      [`/containers/${containerId}/triggers`, { name: `t ${uid()}`, definition: { type: "page_view", conditions: [{ source: "variable", key: id(theirs.variable), operator: "equals", value: "x" }] } }, "definition.conditions.0.key"],
      [`/containers/${containerId}/variables`, { name: `v ${uid()}`, definition: { kind: "lookup", inputVariableId: id(theirs.variable), entries: [{ key: "a", value: "b" }] } }, "definition.inputVariableId"],
      [`/containers/${containerId}/destinations`, { name: `d ${uid()}`, definition: { platform: "meta", ids: { pixelId: "1234567890" }, events: [{ eventId: id(theirs.event) }] } }, "definition.events.0.eventId"],
      [`/containers/${containerId}/events`, { planEventId: mine.planEventId, triggerIds: [id(theirs.trigger)] }, "triggerIds.0"],
      [`/containers/${containerId}/events`, { planEventId: mine.planEventId, mappings: { value: id(theirs.variable) } }, "mappings.value"],
    ];
    for (const [path, body, field] of cases) {
      const reply = await api.post(path, body);
      expect(reply.status, `${path} ${field}: ${reply.text.slice(0, 300)}`).toBe(422);
      expect(reply.body.error.fields.map((f: Json) => f.path)).toEqual([field]);
    }
    const draft = expectStatus(await api.get(`/containers/${containerId}/draft`), 200);
    expect(JSON.stringify(draft)).not.toContain(theirs.trigger);
    expect(JSON.stringify(draft)).not.toContain(theirs.variable);
    expect(JSON.stringify(draft)).not.toContain(theirs.event);
  });
});

describe("deleting a site", () => {
  it("deletes its collected events, deliveries and delivery requests; another site's stay", async () => {
    const hook = { platform: "webhook" as const, url: "http://127.0.0.1:9/hook", signingSecret: `whsec-${uid()}` };
    const doomed = await createPipeline(server.url, [hook]);
    const kept = await createPipeline(server.url, [hook], { team: doomed.team });
    for (const p of [doomed, kept]) {
      expectOutcome(await collect(server.url, { publicKey: p.production.publicKey, origin: p.origin }, [purchase(), purchase(), purchase()]), "accepted", 3);
    }
    const count = (table: string, column: string, ids: string[]) =>
      queryDatabase<{ n: number }>(server.databaseUrl!, `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = ANY($1::text[])`, [ids]).then((r) => r[0].n);
    const envs = (p: Pipeline) => [p.production.id, p.staging.id];
    const hooks = (p: Pipeline) => [p.destinations.webhook.id];
    // The forwarder has tried (and failed) to deliver: deliveries and requests exist.
    await eventually(async () => (await count("DeliveryRequest", "destinationId", hooks(doomed))) > 0, 20_000, "a delivery attempt");
    expect(await count("CollectedEvent", "environmentId", envs(doomed))).toBe(3);
    expect(await count("Delivery", "destinationId", hooks(doomed))).toBe(3);

    expectStatus(await doomed.team.owner.delete(`/sites/${doomed.siteId}`), 204);
    // Its script is gone at once; its data goes in the background (lib/config/purge-jobs.ts).
    expect((await fetch(new URL(`/c/${doomed.production.publicKey}.js`, server.url))).status).toBe(404);
    await eventually(async () => (await count("PurgeJob", "teamId", [doomed.team.teamId])) === 0, 60_000, "the background purge finished");
    expect(await count("CollectedEvent", "environmentId", envs(doomed))).toBe(0);
    expect(await count("Delivery", "destinationId", hooks(doomed))).toBe(0);
    expect(await count("DeliveryRequest", "destinationId", hooks(doomed))).toBe(0);
    expect(await count("HealthRollup", "siteId", [doomed.siteId])).toBe(0);
    expect(await count("CollectedEvent", "environmentId", envs(kept))).toBe(3);
    expect(await count("Delivery", "destinationId", hooks(kept))).toBe(3);
  });
});
