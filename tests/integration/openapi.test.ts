// GET /api/v1/openapi.json: a public OpenAPI 3 document covering every API operation,
// generated from the same zod schemas the routes validate with.
import { describe, expect, inject, it } from "vitest";
import { OPERATIONS } from "@/lib/api/openapi";
import { Client, expectStatus } from "../helpers/api";

describe.each(inject("servers"))("openapi.json on $name", ({ url }) => {
  it("is a public OpenAPI 3 document with every operation and the strict schemas", async () => {
    const reply = await new Client(url).get("/openapi.json");
    const doc = expectStatus(reply, 200);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.servers[0].url).toBe(`${url}/api/v1`);

    for (const op of OPERATIONS) {
      const operation = doc.paths[op.path]?.[op.method];
      expect(operation, `${op.method.toUpperCase()} ${op.path}`).toBeDefined();
      expect(operation.summary).toBe(op.summary);
      const success = op.noContent ? "204" : op.created ? "201" : "200";
      expect(Object.keys(operation.responses)).toContain(success);
      if (op.path.includes("{id}")) expect(operation.parameters).toContainEqual(expect.objectContaining({ name: "id", in: "path", required: true }));
      if (op.body) expect(operation.requestBody.content["application/json"].schema).toBeDefined();
      expect(operation.security).toEqual(op.permission ? [{ bearer: [] }, { session: [] }] : []);
    }
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods as object).map((m) => `${m} ${path}`));
    // Plus the collector's backend door, answered by server.ts outside OPERATIONS.
    expect(documented.sort()).toEqual([...OPERATIONS.map((op) => `${op.method} ${op.path}`), "post /events"].sort());

    const siteCreate = doc.components.schemas.SiteCreate;
    expect(siteCreate.type).toBe("object");
    expect(siteCreate.additionalProperties).toBe(false);
    expect(siteCreate.required).toEqual(expect.arrayContaining(["name", "hostnames", "defaultCurrency"]));
    expect(doc.paths["/sites"].post.requestBody.content["application/json"].schema.$ref).toBe("#/components/schemas/SiteCreate");
    expect(doc.components.schemas.RegionCreate.additionalProperties).toBe(false);
    expect(doc.components.schemas.Error).toBeDefined();
    // Every $ref resolves inside the document.
    for (const ref of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      expect(doc.components.schemas, ref[1]).toHaveProperty(ref[1]);
    }
  });
});
