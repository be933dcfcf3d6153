// Sites, regions, containers and environments: the CRUD paths an integration uses,
// over real HTTP with an owner API token.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, newTeam, regionBody, siteBody, uid, type Client, type Json } from "../helpers/api";

const PUBLIC_KEY = /^tp_[A-Za-z0-9_-]{24}$/;

describe.each(inject("servers"))("configuration CRUD on $name", ({ url }) => {
  let api: Client;

  beforeAll(async () => {
    api = (await newTeam(url)).owner;
  });

  describe("sites", () => {
    it("creating a site creates its container and three environments with distinct unguessable keys", async () => {
      const name = `Shop ${uid()}`;
      const site = expectStatus(
        await api.post("/sites", {
          name,
          hostnames: ["Shop.Example.COM.", "*.example.org", "shop.example.com"],
          defaultCurrency: " usd ",
          regions: [
            { code: "EU", name: "Europe", countries: ["de", "FR", "de"], currency: "eur", consentDefault: "denied" },
            { code: "us", name: "United States", rules: [{ pathPrefix: "/us" }, { hostname: "us.example.com" }] },
          ],
        }),
        201,
      );
      expect(site).toMatchObject({ name, hostnames: ["shop.example.com", "*.example.org"], defaultCurrency: "USD" });
      expect(site.regions).toEqual([
        expect.objectContaining({ code: "eu", countries: ["DE", "FR"], currency: "EUR", consentDefault: "denied", rules: [] }),
        expect.objectContaining({ code: "us", countries: [], currency: null, consentDefault: "granted", rules: [{ pathPrefix: "/us" }, { hostname: "us.example.com" }] }),
      ]);
      expect(site.container).toMatchObject({ name, siteId: site.id });
      const envs = site.container.environments;
      expect(envs.map((e: Json) => [e.name, e.kind])).toEqual([
        ["production", "production"],
        ["staging", "staging"],
        ["development", "development"],
      ]);
      for (const env of envs) expect(env.publicKey).toMatch(PUBLIC_KEY);
      expect(new Set(envs.map((e: Json) => e.publicKey)).size).toBe(3);

      // A second site's keys differ from the first's.
      const other = expectStatus(await api.post("/sites", siteBody()), 201);
      const keys = [...envs, ...other.container.environments].map((e: Json) => e.publicKey);
      expect(new Set(keys).size).toBe(6);
    });

    it("lists, reads, updates and deletes a site with everything under it", async () => {
      const created = expectStatus(await api.post("/sites", siteBody({ regions: [regionBody()] })), 201);
      const list = expectStatus(await api.get("/sites"), 200);
      expect(list.data).toContainEqual(expect.objectContaining({ id: created.id, name: created.name, container: { id: created.container.id } }));

      const read = expectStatus(await api.get(`/sites/${created.id}`), 200);
      expect(read).toEqual(created);

      const updated = expectStatus(
        await api.patch(`/sites/${created.id}`, { name: "Renamed", hostnames: ["new.example.com"], defaultCurrency: "gbp" }),
        200,
      );
      expect(updated).toMatchObject({ id: created.id, name: "Renamed", hostnames: ["new.example.com"], defaultCurrency: "GBP" });
      expect(expectStatus(await api.get(`/sites/${created.id}`), 200)).toMatchObject({ name: "Renamed", defaultCurrency: "GBP" });

      expect((await api.delete(`/sites/${created.id}`)).status).toBe(204);
      expect((await api.get(`/sites/${created.id}`)).status).toBe(404);
      expect((await api.get(`/regions/${created.regions[0].id}`)).status).toBe(404);
      expect((await api.get(`/containers/${created.container.id}`)).status).toBe(404);
      for (const env of created.container.environments) expect((await api.get(`/environments/${env.id}`)).status).toBe(404);
      expect((await api.delete(`/sites/${created.id}`)).status).toBe(404);
    });

    it("refuses two regions with one code, naming the field, and writes nothing", async () => {
      const body = siteBody({ regions: [regionBody({ code: "eu" }), regionBody({ code: "EU" })] });
      const reply = expectStatus(await api.post("/sites", body), 409);
      expect(reply.error.fields).toEqual([expect.objectContaining({ path: "regions" })]);
      const list = expectStatus(await api.get("/sites"), 200);
      expect(list.data.map((s: Json) => s.name)).not.toContain(body.name);
    });
  });

  describe("regions", () => {
    let site: Json;
    beforeAll(async () => {
      site = expectStatus(await api.post("/sites", siteBody()), 201);
    });

    it("creates, lists, reads, updates and deletes a region", async () => {
      const region = expectStatus(
        await api.post(`/sites/${site.id}/regions`, { code: "ch", name: "Switzerland", countries: ["CH", "LI"], currency: "chf" }),
        201,
      );
      expect(region).toMatchObject({ siteId: site.id, code: "ch", countries: ["CH", "LI"], currency: "CHF", consentDefault: "granted" });
      expect(expectStatus(await api.get(`/sites/${site.id}/regions`), 200).data.map((r: Json) => r.id)).toContain(region.id);
      expect(expectStatus(await api.get(`/regions/${region.id}`), 200)).toEqual(region);

      const updated = expectStatus(
        await api.patch(`/regions/${region.id}`, { consentDefault: "denied", currency: null, rules: [{ hostname: "ch.example.com", pathPrefix: "/de-ch" }] }),
        200,
      );
      expect(updated).toMatchObject({ code: "ch", consentDefault: "denied", currency: null, rules: [{ hostname: "ch.example.com", pathPrefix: "/de-ch" }] });

      expect((await api.delete(`/regions/${region.id}`)).status).toBe(204);
      expect((await api.get(`/regions/${region.id}`)).status).toBe(404);
    });

    it("a duplicate region code answers 409 naming `code`", async () => {
      expectStatus(await api.post(`/sites/${site.id}/regions`, regionBody({ code: "dup" })), 201);
      const clash = expectStatus(await api.post(`/sites/${site.id}/regions`, regionBody({ code: "DUP" })), 409);
      expect(clash.error.code).toBe("conflict");
      expect(clash.error.fields).toEqual([expect.objectContaining({ path: "code" })]);

      const other = expectStatus(await api.post(`/sites/${site.id}/regions`, regionBody({ code: "other" })), 201);
      const renamed = expectStatus(await api.patch(`/regions/${other.id}`, { code: "dup" }), 409);
      expect(renamed.error.fields).toEqual([expect.objectContaining({ path: "code" })]);
      expect(expectStatus(await api.get(`/regions/${other.id}`), 200).code).toBe("other");

      // The same code on another site is fine.
      const second = expectStatus(await api.post("/sites", siteBody()), 201);
      expectStatus(await api.post(`/sites/${second.id}/regions`, regionBody({ code: "dup" })), 201);
    });
  });

  describe("containers", () => {
    it("lists, reads, renames, deletes and recreates a site's container", async () => {
      const site = expectStatus(await api.post("/sites", siteBody()), 201);
      const id = site.container.id;
      const list = expectStatus(await api.get("/containers"), 200);
      expect(list.data.find((c: Json) => c.id === id)).toMatchObject({ siteId: site.id, site: { name: site.name } });
      expect(expectStatus(await api.get(`/containers/${id}`), 200).environments).toHaveLength(3);

      expect(expectStatus(await api.patch(`/containers/${id}`, { name: "Web container" }), 200).name).toBe("Web container");

      const taken = expectStatus(await api.post("/containers", { siteId: site.id, name: "Second" }), 409);
      expect(taken.error.fields).toEqual([expect.objectContaining({ path: "siteId" })]);

      expect((await api.delete(`/containers/${id}`)).status).toBe(204);
      expect((await api.get(`/containers/${id}`)).status).toBe(404);
      expect(expectStatus(await api.get(`/sites/${site.id}`), 200).container).toBeNull();

      const recreated = expectStatus(await api.post("/containers", { siteId: site.id, name: "Again" }), 201);
      expect(recreated).toMatchObject({ siteId: site.id, name: "Again" });
      expect(recreated.environments.map((e: Json) => e.kind)).toEqual(["production", "staging", "development"]);
      const oldKeys = site.container.environments.map((e: Json) => e.publicKey);
      for (const env of recreated.environments) expect(oldKeys).not.toContain(env.publicKey);
    });
  });

  describe("environments", () => {
    let site: Json;
    const env = (kind: string) => site.container.environments.find((e: Json) => e.kind === kind);
    beforeAll(async () => {
      site = expectStatus(await api.post("/sites", siteBody()), 201);
    });

    it("adds, lists, renames and deletes a custom environment", async () => {
      const containerId = site.container.id;
      const created = expectStatus(await api.post(`/containers/${containerId}/environments`, { name: "QA" }), 201);
      expect(created).toMatchObject({ containerId, name: "qa", kind: "custom" });
      expect(created.publicKey).toMatch(PUBLIC_KEY);
      const list = expectStatus(await api.get(`/containers/${containerId}/environments`), 200);
      expect(list.data.map((e: Json) => e.name)).toEqual(["production", "staging", "development", "qa"]);

      const clash = expectStatus(await api.post(`/containers/${containerId}/environments`, { name: "qa" }), 409);
      expect(clash.error.fields).toEqual([expect.objectContaining({ path: "name" })]);
      const second = expectStatus(await api.post(`/containers/${containerId}/environments`, { name: "production", kind: "production" }), 422);
      expect(second.error.fields).toEqual([expect.objectContaining({ path: "kind" })]);

      expect(expectStatus(await api.patch(`/environments/${created.id}`, { name: "preview" }), 200).name).toBe("preview");
      const renameProduction = expectStatus(await api.patch(`/environments/${env("production").id}`, { name: "live" }), 422);
      expect(renameProduction.error.fields).toEqual([expect.objectContaining({ path: "name" })]);

      expect((await api.delete(`/environments/${created.id}`)).status).toBe(204);
      expect((await api.get(`/environments/${created.id}`)).status).toBe(404);
      expect((await api.delete(`/environments/${env("staging").id}`)).status).toBe(204);
    });

    it("the production environment cannot be deleted", async () => {
      const production = env("production");
      const reply = expectStatus(await api.delete(`/environments/${production.id}`), 409);
      expect(reply.error.message).toMatch(/production/i);
      expect(expectStatus(await api.get(`/environments/${production.id}`), 200)).toMatchObject({ id: production.id, publicKey: production.publicKey });
    });

    it("rotating the key gives a new public key and keeps the rest", async () => {
      const development = env("development");
      const rotated = expectStatus(await api.patch(`/environments/${development.id}`, { rotateKey: true }), 200);
      expect(rotated.publicKey).toMatch(PUBLIC_KEY);
      expect(rotated.publicKey).not.toBe(development.publicKey);
      expect(rotated).toMatchObject({ id: development.id, name: "development", kind: "development", containerId: development.containerId });
      expect(expectStatus(await api.get(`/environments/${development.id}`), 200).publicKey).toBe(rotated.publicKey);
    });
  });
});
