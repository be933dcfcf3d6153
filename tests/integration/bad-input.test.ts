// Bad input answers a clear 4xx that names the field, and writes nothing: malformed or
// empty JSON (400), a body that is not JSON (415), too large (413), unknown or invalid
// fields (422). Never a 5xx (tests/integration/setup.ts checks every response).
import { beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, newTeam, regionBody, siteBody, type Client, type Json } from "../helpers/api";

describe.each(inject("servers"))("bad input on $name", ({ url }) => {
  let api: Client;
  let session: Client;
  let site: Json;

  beforeAll(async () => {
    const team = await newTeam(url);
    api = team.owner;
    session = team.session;
    site = expectStatus(await api.post("/sites", siteBody()), 201);
  });

  async function siteNames(): Promise<string[]> {
    return expectStatus(await api.get("/sites"), 200).data.map((s: Json) => s.name);
  }

  describe("the body", () => {
    it.each([
      { case: "malformed JSON", raw: '{"name": "Shop",', status: 400, code: "invalid_json" },
      { case: "an empty body", raw: "", status: 400, code: "invalid_json" },
      { case: "whitespace only", raw: "  \n ", status: 400, code: "invalid_json" },
    ])("$case → $status", async ({ raw, status, code }) => {
      const reply = await api.post("/sites", undefined, { raw, headers: { "content-type": "application/json" } });
      expect(expectStatus(reply, status).error.code).toBe(code);
    });

    it.each([
      { case: "text/plain", type: "text/plain" },
      { case: "form-encoded", type: "application/x-www-form-urlencoded" },
      { case: "no content type", type: null },
    ])("a JSON body sent as $case → 415", async ({ type }) => {
      const body = siteBody();
      const reply = await api.post("/sites", undefined, { raw: JSON.stringify(body), headers: type ? { "content-type": type } : {} });
      expect(expectStatus(reply, 415).error.code).toBe("unsupported_media_type");
      expect(await siteNames()).not.toContain(body.name);
    });

    it("a body over 64 KB → 413, whether declared or streamed", async () => {
      const body = siteBody({ filler: "x".repeat(70 * 1024) });
      const declared = await api.post("/sites", undefined, { raw: JSON.stringify(body), headers: { "content-type": "application/json" } });
      expect(expectStatus(declared, 413).error.code).toBe("payload_too_large");

      // No Content-Length: the server must count while reading.
      const bytes = new TextEncoder().encode(JSON.stringify(body));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.subarray(i, i + 8192));
          controller.close();
        },
      });
      const streamed = await api.fetch("/api/v1/sites", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${api.token}` },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(streamed.status).toBe(413);
      expect(((await streamed.json()) as Json).error.code).toBe("payload_too_large");
      expect(await siteNames()).not.toContain(body.name);
    });

    it("a body just under 64 KB is read", async () => {
      const body = siteBody();
      const raw = JSON.stringify(body) + " ".repeat(63 * 1024);
      expectStatus(await api.post("/sites", undefined, { raw, headers: { "content-type": "application/json" } }), 201);
    });

    it.each([
      { case: "null", raw: "null" },
      { case: "an array", raw: "[]" },
      { case: "a string", raw: '"site"' },
    ])("JSON that is $case instead of an object → 422", async ({ raw }) => {
      const reply = await api.post("/sites", undefined, { raw, headers: { "content-type": "application/json" } });
      expect(expectStatus(reply, 422).error.code).toBe("validation_failed");
    });
  });

  describe("fields", () => {
    // [what is sent, the field path the answer must name]
    it.each([
      { case: "an unknown field", body: () => siteBody({ color: "red" }), path: "color" },
      { case: "an unknown field in a region", body: () => siteBody({ regions: [regionBody({ colour: 1 })] }), path: "regions.0.colour" },
      { case: "an unknown field in a rule", body: () => siteBody({ regions: [regionBody({ rules: [{ pathPrefix: "/x", q: 1 }] })] }), path: "regions.0.rules.0.q" },
      { case: "an invalid currency", body: () => siteBody({ defaultCurrency: "EURO" }), path: "defaultCurrency" },
      { case: "a made-up currency", body: () => siteBody({ defaultCurrency: "ABC" }), path: "defaultCurrency" },
      { case: "a hostname with a scheme", body: () => siteBody({ hostnames: ["https://shop.example.com"] }), path: "hostnames.0" },
      { case: "a hostname with a port", body: () => siteBody({ hostnames: ["ok.example.com", "shop.example.com:8080"] }), path: "hostnames.1" },
      { case: "a hostname with a path", body: () => siteBody({ hostnames: ["shop.example.com/de"] }), path: "hostnames.0" },
      { case: "no hostnames", body: () => siteBody({ hostnames: [] }), path: "hostnames" },
      { case: "an unknown country", body: () => siteBody({ regions: [regionBody({ countries: ["DE", "ZZ"] })] }), path: "regions.0.countries.1" },
      { case: "a three-letter country", body: () => siteBody({ regions: [regionBody({ countries: ["DEU"] })] }), path: "regions.0.countries.0" },
      { case: "a region currency", body: () => siteBody({ regions: [regionBody({ currency: "XYZ1" })] }), path: "regions.0.currency" },
      { case: "a rule with neither hostname nor path", body: () => siteBody({ regions: [regionBody({ rules: [{}] })] }), path: "regions.0.rules.0" },
      { case: "a path prefix without /", body: () => siteBody({ regions: [regionBody({ rules: [{ pathPrefix: "us" }] })] }), path: "regions.0.rules.0.pathPrefix" },
      { case: "a name of the wrong type", body: () => siteBody({ name: 42 }), path: "name" },
      { case: "a blank name", body: () => siteBody({ name: "   " }), path: "name" },
      { case: "a name too long", body: () => siteBody({ name: "n".repeat(101) }), path: "name" },
    ])("$case → 422 naming $path", async ({ body, path }) => {
      const sent = body();
      const reply = expectStatus(await api.post("/sites", sent), 422);
      expect(reply.error.code).toBe("validation_failed");
      expect(reply.error.fields.map((f: Json) => f.path)).toContain(path);
      expect(reply.error.message).toContain(path);
      if (typeof sent.name === "string") expect(await siteNames()).not.toContain(sent.name);
    });

    it("a missing body field names every missing field", async () => {
      const reply = expectStatus(await api.post("/sites", {}), 422);
      expect(reply.error.fields.map((f: Json) => f.path).sort()).toEqual(["defaultCurrency", "hostnames", "name"]);
    });

    it.each([
      { case: "region code", path: `/sites/:site/regions`, body: regionBody({ code: "Not valid!" }), field: "code" },
      { case: "region country", path: `/sites/:site/regions`, body: regionBody({ countries: ["EU"] }), field: "countries.0" },
      { case: "environment kind", path: `/containers/:container/environments`, body: { name: "qa", kind: "live" }, field: "kind" },
      { case: "environment rotateKey", path: `/environments/:env`, body: { rotateKey: false }, field: "rotateKey", method: "PATCH" },
      { case: "token role", path: "/tokens", body: { name: "x", role: "admin" }, field: "role" },
      { case: "token expiry", path: "/tokens", body: { name: "x", role: "viewer", expiresInDays: 0 }, field: "expiresInDays" },
      { case: "invite email", path: "/invites", body: { email: "not-an-email", role: "viewer" }, field: "email" },
      { case: "member role", path: "/members/:member", body: { role: "superuser" }, field: "role", method: "PATCH" },
      { case: "team name", path: "/team", body: { name: "" }, field: "name", method: "PATCH" },
    ])("invalid $case → 422 naming $field", async ({ path, body, field, method }) => {
      const members = expectStatus(await api.get("/members"), 200);
      const resolved = path
        .replace(":site", site.id)
        .replace(":container", site.container.id)
        .replace(":env", site.container.environments[1].id)
        .replace(":member", members.data[0].id);
      const reply = expectStatus(await api.call(method ?? "POST", resolved, body), 422);
      expect(reply.error.fields.map((f: Json) => f.path)).toContain(field);
    });

    it("a session-cookie request gets the same validation answers", async () => {
      const reply = expectStatus(await session.post("/sites", siteBody({ defaultCurrency: "??" })), 422);
      expect(reply.error.fields).toEqual([expect.objectContaining({ path: "defaultCurrency" })]);
    });
  });

  describe("query strings and ids", () => {
    it.each([
      { query: "limit=0", field: "limit" },
      { query: "limit=1000", field: "limit" },
      { query: "limit=ten", field: "limit" },
      { query: "from=yesterday", field: "from" },
      { query: "to=2026-13-45", field: "to" },
      { query: "page=0", field: "page" },
      { query: "sort=asc", field: "sort" },
    ])("/audit?$query → 422 naming $field", async ({ query, field }) => {
      const reply = expectStatus(await api.get(`/audit?${query}`), 422);
      expect(reply.error.fields.map((f: Json) => f.path)).toContain(field);
    });

    it.each([
      { case: "SQL", id: encodeURIComponent("' OR '1'='1") },
      { case: "a very long id", id: "c".repeat(300) },
      { case: "unicode", id: encodeURIComponent("Ω≈ç√") },
    ])("an id that is $case → 404", async ({ id }) => {
      for (const path of [`/sites/${id}`, `/regions/${id}`, `/containers/${id}`, `/environments/${id}`]) {
        expect(expectStatus(await api.get(path), 404).error.code).toBe("not_found");
      }
      expect((await api.delete(`/tokens/${id}`)).status).toBe(404);
    });
  });
});
