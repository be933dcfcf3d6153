// The OpenAPI document generated from the zod schemas: every operation, the schemas as
// components, strict objects, the roles per operation, and no dangling references.
import { describe, expect, it } from "vitest";
import { OPERATIONS, openApiDocument } from "@/lib/api/openapi";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const doc = openApiDocument("https://tagpipe.example") as Json;

describe("openApiDocument", () => {
  it("documents the backend collector door, authenticated by a server key, with its strict event schema", () => {
    const doc = openApiDocument("https://tags.example.com") as unknown as {
      paths: Record<string, Record<string, { security: unknown; responses: Record<string, unknown>; requestBody: { content: { "application/json": { schema: { $ref: string } } } } }>>;
      components: { schemas: Record<string, { additionalProperties?: boolean; required?: string[] }>; securitySchemes: Record<string, unknown> };
    };
    const post = doc.paths["/events"].post;
    expect(post.security).toEqual([{ serverKey: [] }]);
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(["202", "401", "413", "422"]));
    expect(post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/ServerEvents");
    expect(doc.components.schemas.ServerEvents).toMatchObject({ additionalProperties: false, required: ["events"] });
    expect(doc.components.securitySchemes.serverKey).toBeDefined();
  });

  it("is an OpenAPI 3.0 document for this server", () => {
    expect(doc.openapi).toBe("3.0.3");
    expect(doc.info).toMatchObject({ title: "Tagpipe API", version: "1" });
    expect(doc.servers).toEqual([{ url: "https://tagpipe.example/api/v1" }]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(["bearer", "serverKey", "session"]);
  });

  it("has each operation exactly once, with its success status", () => {
    const keys = OPERATIONS.map((op) => `${op.method} ${op.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods as Json).map((m) => `${m} ${path}`));
    // Plus the collector's backend door, which server.ts answers outside OPERATIONS.
    expect(documented.sort()).toEqual([...keys, "post /events"].sort());
    for (const op of OPERATIONS) {
      const responses = doc.paths[op.path][op.method].responses;
      const success = op.noContent ? "204" : op.created ? "201" : "200";
      expect(Object.keys(responses).filter((s) => s.startsWith("2")), `${op.method} ${op.path}`).toEqual([success]);
      expect(responses["422"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Error" });
    }
  });

  it("documents the status route() answers: 201 for a POST, 204 for a DELETE, 200 otherwise", () => {
    for (const op of OPERATIONS) {
      const name = `${op.method} ${op.path}`;
      if (op.method === "post") expect(op.created, name).toBe(true);
      else expect(op.created ?? false, name).toBe(false);
      expect(op.noContent ?? false, name).toBe(op.method === "delete");
    }
  });

  it("says which roles may call each operation", () => {
    expect(doc.paths["/sites/{id}"].delete.description).toBe("Needs the `site:delete` permission (roles: owner, publisher).");
    expect(doc.paths["/sites"].get.description).toBe("Needs the `site:read` permission (roles: owner, publisher, editor, viewer).");
    expect(doc.paths["/tokens"].post.description).toBe("Needs the `token:manage` permission (roles: owner).");
    expect(doc.paths["/signup"].post).toMatchObject({ description: "Public.", security: [] });
  });

  it("describes path and query parameters", () => {
    expect(doc.paths["/sites/{id}"].get.parameters).toEqual([{ name: "id", in: "path", required: true, schema: { type: "string" } }]);
    const audit = doc.paths["/audit"].get.parameters as Json[];
    expect(audit.map((p) => p.name).sort()).toEqual(["actor", "entityId", "entityType", "from", "limit", "page", "q", "to"]);
    expect(audit.every((p) => p.in === "query" && p.required === false)).toBe(true);
    expect(audit.find((p) => p.name === "limit")!.schema).toMatchObject({ type: "integer", minimum: 1, maximum: 200, default: 50 });
  });

  it("hoists named schemas into components, strict and with their required fields", () => {
    const schemas = doc.components.schemas;
    for (const name of ["SiteCreate", "SiteUpdate", "RegionCreate", "RegionUpdate", "ContainerCreate", "EnvironmentCreate", "TokenCreate", "InviteCreate", "Signup", "Error"]) {
      expect(schemas, name).toHaveProperty(name);
    }
    expect(schemas.SiteCreate).toMatchObject({ type: "object", additionalProperties: false });
    expect(schemas.SiteCreate.required.sort()).toEqual(["defaultCurrency", "hostnames", "name"]);
    expect(schemas.SiteCreate.properties.defaultCurrency).toMatchObject({ type: "string", description: "ISO 4217 currency code", example: "EUR" });
    expect(schemas.SiteCreate.properties.hostnames).toMatchObject({ type: "array", minItems: 1 });
    expect(schemas.SiteCreate.properties.regions.items).toEqual({ $ref: "#/components/schemas/RegionCreate" });
    expect(schemas.RegionCreate.additionalProperties).toBe(false);
    expect(schemas.SiteUpdate.required ?? []).toEqual([]);
    expect(doc.paths["/sites"].post.requestBody).toEqual({
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/SiteCreate" } } },
    });
  });

  it("leaves no JSON-Schema-only references behind, and every $ref resolves", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/#\/(definitions|\$defs)\//);
    expect(text).not.toContain('"$schema"');
    const refs = [...text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref);
  });
});
