// NUL and unpaired surrogates, wherever the API takes a string: every operation of the
// OpenAPI document, every string field of its bodies and queries, and its path ids. Each
// answers 4xx — 422 naming the field, 404 for an id in the path — and nothing is stored.
// (PostgreSQL cannot store NUL: those were 500s; a lone surrogate was stored as U+FFFD.)
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, expectStatus, newTeam, signUp, siteBody, uid, type Json, type Team } from "../helpers/api";

const BAD = [
  { name: "NUL", value: "a\u0000b", encoded: "a%00b" },
  { name: "a lone surrogate", value: "a\ud800b", encoded: "a%ED%A0%80b" },
];

type Schema = Json;
type Components = Record<string, Schema>;

/** Every path to a string in a JSON schema (array items as 0, free-form maps as "k"). */
function stringPaths(schema: Schema, components: Components, prefix: string[] = [], depth = 0): string[][] {
  if (!schema || depth > 8) return [];
  if (schema.$ref) return stringPaths(components[schema.$ref.split("/").pop()], components, prefix, depth + 1);
  const branches = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  const found: string[][] = branches.flatMap((b: Schema) => stringPaths(b, components, prefix, depth + 1));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes("string") || (Array.isArray(schema.enum) && typeof schema.enum[0] === "string")) found.push(prefix);
  if (types.includes("array") || schema.items) found.push(...stringPaths(schema.items, components, [...prefix, "0"], depth + 1));
  for (const [key, field] of Object.entries(schema.properties ?? {})) found.push(...stringPaths(field, components, [...prefix, key], depth + 1));
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
    found.push(...stringPaths(schema.additionalProperties, components, [...prefix, "k"], depth + 1));
  }
  const unique = new Map(found.map((p) => [p.join("."), p]));
  return [...unique.values()];
}

/** The smallest JSON holding `value` at `path`. */
function placed(path: string[], value: string): Json {
  if (!path.length) return value;
  const [head, ...rest] = path;
  return head === "0" ? [placed(rest, value)] : { [head]: placed(rest, value) };
}

describe.each(inject("servers").slice(0, 1))("bad characters on $name", ({ url }) => {
  let team: Team;
  let api: Client;
  let document: Json;
  let site: Json;

  /** What the team has stored, read through every list the API offers it. */
  async function stored(): Promise<string> {
    const lists = ["/sites", "/containers", "/plan/events", "/tokens", "/invites", "/members", "/audit", "/team", `/sites/${site.id}/regions`, `/sites/${site.id}/alert-channels`, `/containers/${site.container.id}/draft`];
    const answers = await Promise.all(lists.map(async (path) => [path, expectStatus(await api.get(path), 200)]));
    return JSON.stringify(answers);
  }

  beforeAll(async () => {
    team = await newTeam(url);
    api = team.owner;
    site = expectStatus(await api.post("/sites", siteBody()), 201);
    const served = await new Client(url).fetch("/api/v1/openapi.json");
    expect(served.status).toBe(200);
    document = await served.json();
  });

  it("the document lists every operation the sweep walks", () => {
    const operations = Object.values(document.paths as Record<string, Json>).flatMap((methods) => Object.keys(methods));
    // Every operation of lib/api/openapi.ts OPERATIONS, and POST /events (the collector's door).
    expect(operations.length).toBeGreaterThan(90);
  });

  it("every string field of every request body: 422 naming the field, nothing stored", async () => {
    const before = await stored();
    const components = document.components.schemas as Components;
    let sent = 0;
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      if (path === "/events") continue; // the collector's door: its own hostile-input suite (collector-hostile)
      for (const [method, operation] of Object.entries(methods)) {
        const schema = operation.requestBody?.content?.["application/json"]?.schema;
        if (!schema) continue;
        const concrete = path.replace("{id}", "unknown-id").replace("{kind}", "volume_drop");
        const fields = stringPaths(schema, components);
        for (const field of fields) {
          for (const bad of BAD) {
            const body = placed(field, bad.value);
            const reply = await api.call(method.toUpperCase(), concrete, body);
            const label = `${method.toUpperCase()} ${path} ${field.join(".") || "(body)"} with ${bad.name}`;
            expect(reply.status, `${label}: ${reply.text.slice(0, 300)}`).toBe(422);
            expect(
              reply.body.error.fields.map((f: Json) => f.path),
              label,
            ).toContain(field.join("."));
            sent += 1;
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(200);
    expect(await stored()).toBe(before);
  });

  it("every query parameter: 422 naming it", async () => {
    let sent = 0;
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const queries = (operation.parameters ?? []).filter((p: Json) => p.in === "query");
        const concrete = path.replace("{id}", site.id).replace("{kind}", "volume_drop");
        for (const parameter of queries) {
          for (const bad of BAD) {
            const reply = await api.call(method.toUpperCase(), `${concrete}?${parameter.name}=${bad.encoded}`);
            const label = `${method.toUpperCase()} ${path}?${parameter.name} with ${bad.name}`;
            expect(reply.status, `${label}: ${reply.text.slice(0, 300)}`).toBe(422);
            expect(reply.body.error.fields.map((f: Json) => f.path), label).toContain(parameter.name);
            sent += 1;
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(20);
  });

  it("every id in a path: 4xx (404 where the route sees it)", async () => {
    const before = await stored();
    let sent = 0;
    for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
      if (!path.includes("{")) continue;
      for (const method of Object.keys(methods)) {
        for (const bad of BAD) {
          for (const concrete of [path.replace("{id}", bad.encoded).replace("{kind}", "volume_drop"), path.replace("{id}", site.id).replace("{kind}", bad.encoded)]) {
            if (concrete === path.replace("{id}", site.id).replace("{kind}", "volume_drop")) continue;
            const body = method === "get" || method === "delete" ? undefined : {};
            const reply = await api.call(method.toUpperCase(), concrete, body);
            const label = `${method.toUpperCase()} ${concrete}`;
            expect(reply.status, `${label}: ${reply.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
            expect(reply.status, label).toBeLessThan(500);
            if (reply.status !== 400) expect(reply.status, `${label}: ${reply.text.slice(0, 300)}`).toBe(404);
            sent += 1;
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(60);
    expect(await stored()).toBe(before);
  });

  describe.each(BAD)("$name in otherwise valid input", ({ value, encoded }) => {
    it("a site name: 422 naming `name`, no site", async () => {
      const marker = uid();
      const reply = await api.post("/sites", siteBody({ name: `Shop ${marker} ${value}` }));
      expect(expectStatus(reply, 422).error.fields).toEqual([{ path: "name", message: expect.stringMatching(/NUL|surrogate/) }]);
      const names = expectStatus(await api.get("/sites"), 200).data.map((s: Json) => s.name);
      expect(names.filter((n: string) => n.includes(marker))).toEqual([]);
    });

    it("a hostname inside a list: 422 naming `hostnames.1`", async () => {
      const reply = await api.post("/sites", siteBody({ hostnames: [`ok-${uid()}.example.com`, `x${value}.example.com`] }));
      expect(expectStatus(reply, 422).error.fields.map((f: Json) => f.path)).toEqual(["hostnames.1"]);
    });

    it("sign-up (no session needed): 422, no account", async () => {
      const email = `nul-${uid()}@example.test`;
      const reply = await new Client(url).post("/signup", { email, password: `pw-${uid()}-long-enough`, name: `N ${value}`, teamName: `Team ${uid()}` });
      expect(expectStatus(reply, 422).error.fields.map((f: Json) => f.path)).toEqual(["name"]);
      // The email is still free: signing up with it now works.
      await signUp(url, { email });
    });

    it("a rename (PATCH): 422, the name unchanged", async () => {
      const reply = await api.patch(`/sites/${site.id}`, { name: `Renamed ${value}` });
      expect(expectStatus(reply, 422).error.fields.map((f: Json) => f.path)).toEqual(["name"]);
      expect(expectStatus(await api.get(`/sites/${site.id}`), 200).name).toBe(site.name);
    });

    it("a query string: 422 naming the parameter", async () => {
      const reply = await api.get(`/audit?entityType=${encoded}`);
      expect(expectStatus(reply, 422).error.fields.map((f: Json) => f.path)).toEqual(["entityType"]);
    });

    it("an id in the path: 404", async () => {
      expectStatus(await api.get(`/sites/${encoded}`), 404);
      expectStatus(await api.patch(`/sites/${encoded}`, { name: "x" }), 404);
    });
  });
});
