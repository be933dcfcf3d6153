// Importing a GTM container over real HTTP on PostgreSQL: the preview reports and diffs
// without writing; apply replaces (or merges into) the draft in one audited transaction;
// the imported draft becomes a version and is published like any other; bad files and
// forbidden callers change nothing.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, createToken, expectStatus, newTeam, siteBody, type Json, type Team } from "../helpers/api";

const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../fixtures/gtm/${name}`, import.meta.url), "utf8"));

describe.each(inject("servers"))("GTM import on $name", ({ url }) => {
  let team: Team;
  let api: Client;

  beforeAll(async () => {
    team = await newTeam(url);
    api = team.owner;
  });

  async function newContainer() {
    const site = expectStatus(await api.post("/sites", siteBody()), 201);
    return { id: site.container.id as string, envs: Object.fromEntries(site.container.environments.map((e: Json) => [e.kind, e])) as Record<string, Json> };
  }
  const draftOf = async (id: string) => expectStatus(await api.get(`/containers/${id}/draft`), 200);
  const importAudits = async (id: string) => (expectStatus(await api.get(`/audit?entityType=container&entityId=${id}`), 200).data as Json[]).filter((e) => e.action === "import");

  it("preview answers the report and the diff, and changes nothing", async () => {
    const { id } = await newContainer();
    const before = await draftOf(id);
    const preview = expectStatus(await api.post(`/containers/${id}/import-gtm?mode=preview`, fixture("shop-ui-export.json")), 201);
    expect(preview).toMatchObject({ mode: "preview", strategy: "replace", applied: false, gtm: { publicId: "GTM-SHOP123", tags: 31 } });
    expect(preview.summary).toEqual({
      imported: preview.report.filter((l: Json) => l.status === "imported").length,
      converted: preview.report.filter((l: Json) => l.status === "converted").length,
      not_importable: preview.report.filter((l: Json) => l.status === "not_importable").length,
    });
    expect(preview.report.filter((l: Json) => l.entity === "tag")).toHaveLength(31);
    expect(preview.after).toMatchObject({ destinations: 5, events: 9 });
    const added = preview.diff.filter((d: Json) => d.change === "added" && d.entityType === "destination").map((d: Json) => d.name);
    expect(added.sort()).toEqual(["GA4 G-SHOP12345", "Google Ads AW-987654321 LeAd0002", "Google Ads AW-987654321 PuRcHaSe01", "Meta 123456789012345", "TikTok CSHOPTIKTOK12345"]);
    expect(await draftOf(id)).toEqual(before);
    expect(await importAudits(id)).toEqual([]);
  });

  it("apply replaces the draft in one audited step; the draft then versions and publishes to staging", async () => {
    const { id, envs } = await newContainer();
    const applied = expectStatus(await api.post(`/containers/${id}/import-gtm?mode=apply&strategy=replace`, fixture("shop-ui-export.json")), 201);
    expect(applied).toMatchObject({ applied: true, after: { destinations: 5, events: 9 } });
    const draft = await draftOf(id);
    expect(draft.draft.destinations.map((d: Json) => d.name).sort()).toEqual(applied.diff.filter((d: Json) => d.entityType === "destination").map((d: Json) => d.name).sort());
    const purchase = draft.draft.events.find((e: Json) => e.name === "purchase");
    expect(purchase.triggerIds).toHaveLength(1);
    const [audit] = await importAudits(id);
    expect(audit.after).toMatchObject({ source: "gtm", gtmContainer: "GTM-SHOP123", strategy: "replace", destinations: 5 });

    // What the GTM tags could not say: Google Ads' account and conversion action.
    const problems = draft.problems.map((p: Json) => `${p.entityName}:${p.field}`);
    expect(problems).toEqual(expect.arrayContaining(["Google Ads AW-987654321 PuRcHaSe01:ids.customerId", "Google Ads AW-987654321 PuRcHaSe01:ids.conversionActionId"]));
    for (const d of draft.draft.destinations.filter((x: Json) => x.platform === "google_ads")) {
      const current = expectStatus(await api.get(`/destinations/${d.id}`), 200);
      expectStatus(await api.patch(`/destinations/${d.id}`, { revision: current.revision, definition: { ...current.definition, ids: { ...current.definition.ids, customerId: "123-456-7890", conversionActionId: "555" } } }), 200);
    }
    expect((await draftOf(id)).problems).toEqual([]);
    const version = expectStatus(await api.post(`/containers/${id}/versions`, { note: "from GTM" }), 201);
    expectStatus(await api.post(`/versions/${version.id}/publish`, { environmentId: envs.staging.id, note: "try the GTM import" }), 201);
    const script = await (await fetch(`${url}/c/${envs.staging.publicKey}.js`)).text();
    for (const id of ["G-SHOP12345", "123456789012345", "CSHOPTIKTOK12345", "AW-987654321"]) expect(script).toContain(id);
  });

  it("merge lays the GTM entities over the draft by name and keeps the rest", async () => {
    const { id } = await newContainer();
    const own = expectStatus(await api.post(`/containers/${id}/triggers`, { name: "Own trigger", definition: { type: "page_view" } }), 201);
    expectStatus(await api.post(`/containers/${id}/variables`, { name: "dl value", definition: { kind: "data_layer", path: "old.value" } }), 201);
    const merged = expectStatus(await api.post(`/containers/${id}/import-gtm?mode=apply&strategy=merge`, fixture("api-spelling-export.json")), 201);
    expect(merged.diff.find((d: Json) => d.name === "dl value")).toMatchObject({ change: "changed", sentences: expect.arrayContaining(["data layer path: old.value → ecommerce.value"]) });
    const draft = (await draftOf(id)).draft;
    expect(draft.triggers.find((t: Json) => t.name === "Own trigger")?.id).toBe(own.id);
    expect(draft.triggers.map((t: Json) => t.name)).toEqual(expect.arrayContaining(["purchase", "lead regex (once per page)", "outbound"]));
    expect(draft.destinations.map((d: Json) => d.platform).sort()).toEqual(["ga4", "google_ads"]);
  });

  it("bad files answer 4xx naming the problem, and the draft stays as it was", async () => {
    const { id } = await newContainer();
    expectStatus(await api.post(`/containers/${id}/import-gtm?mode=apply`, fixture("api-spelling-export.json")), 201);
    const before = await draftOf(id);
    const audits = (await importAudits(id)).length;
    const cases: [string, Promise<Json>, number, RegExp][] = [
      ["not JSON", api.post(`/containers/${id}/import-gtm?mode=apply`, undefined, { raw: "{ this is not json", headers: { "content-type": "application/json" } }), 400, /Malformed JSON/],
      ["not a GTM export", api.post(`/containers/${id}/import-gtm?mode=apply`, { format: "tagpipe.container", formatVersion: 1 }), 422, /not a GTM container export/],
      ["a server container", api.post(`/containers/${id}/import-gtm?mode=apply`, { exportFormatVersion: 2, containerVersion: { container: { usageContext: ["SERVER"] }, tag: [] } }), 422, /server container/],
      ["over 5 MB", api.post(`/containers/${id}/import-gtm?mode=apply`, { ...fixture("shop-ui-export.json"), padding: "x".repeat(5 * 1024 * 1024) }), 413, /exceeds 5120 KB/],
      ["an unknown mode", api.post(`/containers/${id}/import-gtm?mode=yolo`, fixture("shop-ui-export.json")), 422, /mode/],
      ["an entry that is not an object", api.post(`/containers/${id}/import-gtm?mode=apply`, { exportFormatVersion: 2, containerVersion: { tag: [42] } }), 422, /containerVersion\.tag\.0/],
    ];
    for (const [what, reply, status, message] of cases) {
      const body = expectStatus(await reply, status);
      expect(body.error.message, what).toMatch(message);
    }
    expect(await draftOf(id)).toEqual(before);
    expect(await importAudits(id)).toHaveLength(audits);
  });

  it("a hostile file is reported on, and what it imports is inert data", async () => {
    const { id } = await newContainer();
    const reply = expectStatus(await api.post(`/containers/${id}/import-gtm?mode=apply`, fixture("hostile-export.json")), 201);
    const refused = reply.report.filter((l: Json) => l.status === "not_importable").map((l: Json) => l.name);
    expect(refused).toEqual(expect.arrayContaining(["pixel and more", "computed params", "Meta from a lookalike template", "js"]));
    const draft = (await draftOf(id)).draft;
    // Names stay as written (data, escaped wherever shown); no code and no foreign URL got in.
    expect(draft.triggers.map((t: Json) => t.name)).toContain("</script><script>alert(document.cookie)</script>");
    expect(JSON.stringify([draft.destinations, draft.variables, draft.events])).not.toMatch(/evil\.example|fetch|eval/);
    for (const d of draft.destinations) for (const v of Object.values(d.ids)) expect(v).toMatch(/^[A-Za-z0-9-]+$/);
  });

  it("needs draft:write, and another team's container answers 404", async () => {
    const { id } = await newContainer();
    const viewer = new Client(url, (await createToken(team.session, "viewer")).secret);
    expect(expectStatus(await viewer.post(`/containers/${id}/import-gtm`, fixture("api-spelling-export.json")), 403).error.message).toContain("draft:write");
    const other = await newTeam(url);
    expectStatus(await other.owner.post(`/containers/${id}/import-gtm?mode=apply`, fixture("api-spelling-export.json")), 404);
    expect((await draftOf(id)).draft.triggers).toEqual([]);
  });
});
