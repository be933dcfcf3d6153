// The /api/v1 wrapper without a server: field problems, JSON body reading (415, 400, 413
// declared and streamed), validation answers (422 naming each field), status codes, and
// the mapping of domain errors. Only public routes here: authenticated ones need a
// database and are covered by the integration tests.
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { MAX_BODY_BYTES, errorResponse, json, mapError, route } from "@/lib/api/handler";
import { fieldProblems } from "@/lib/schemas/problems";
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, UnauthorizedError, ValidationError } from "@/lib/errors";
import { siteCreate } from "@/lib/schemas/resources";

const noParams = { params: Promise.resolve({}) };

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new Request("http://tagpipe.test/api/v1/thing", { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

async function read(response: Response) {
  return { status: response.status, body: response.status === 204 ? null : await response.json() };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("fieldProblems", () => {
  it("gives each issue a dot path and a message", () => {
    const result = siteCreate.safeParse({
      name: "",
      hostnames: ["ok.example.com", "https://bad"],
      defaultCurrency: "EURO",
      regions: [{ code: "eu", name: "EU", countries: ["DE", "ZZ"] }],
    });
    const problems = fieldProblems(result.error!);
    expect(problems.map((p) => p.path)).toEqual(["name", "hostnames.1", "defaultCurrency", "regions.0.countries.1"]);
    expect(problems.find((p) => p.path === "defaultCurrency")!.message).toMatch(/ISO 4217/);
    expect(problems.find((p) => p.path === "name")!.message).toBe("is required");
  });

  it("names each unknown key with its full path", () => {
    const result = siteCreate.safeParse({
      name: "Shop",
      hostnames: ["shop.example.com"],
      defaultCurrency: "EUR",
      colour: "red",
      size: 1,
      regions: [{ code: "eu", name: "EU", rules: [{ pathPrefix: "/eu", q: 1 }] }],
    });
    expect(fieldProblems(result.error!)).toEqual(
      expect.arrayContaining([
        { path: "colour", message: "is not a known field" },
        { path: "size", message: "is not a known field" },
        { path: "regions.0.rules.0.q", message: "is not a known field" },
      ]),
    );
  });

  it("uses an empty path for the root", () => {
    const result = z.strictObject({ a: z.string() }).safeParse(null);
    expect(fieldProblems(result.error!)).toEqual([{ path: "", message: expect.any(String) }]);
  });
});

describe("route(): public routes", () => {
  const body = z.strictObject({ name: z.string().min(1, "is required"), count: z.number().int().optional() });
  const echo = route({ permission: null, body }, async ({ body }) => ({ got: body }));

  it("answers 201 with the handler's result for a POST", async () => {
    expect(await read(await echo(post(JSON.stringify({ name: "x", count: 2 })), noParams))).toEqual({ status: 201, body: { got: { name: "x", count: 2 } } });
  });

  it("answers 200 for a GET and 204 when the handler returns nothing", async () => {
    const get = route({ permission: null }, async () => ({ ok: true }));
    expect((await get(new Request("http://tagpipe.test/x"), noParams)).status).toBe(200);
    const del = route({ permission: null }, async () => undefined);
    const response = await del(new Request("http://tagpipe.test/x", { method: "DELETE" }), noParams);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
  });

  it("answers JSON that is never cached", async () => {
    const response = await echo(post(JSON.stringify({ name: "x" })), noParams);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it.each([
    ["text/plain", 415, "unsupported_media_type"],
    ["application/x-www-form-urlencoded", 415, "unsupported_media_type"],
    ["APPLICATION/JSON; charset=utf-8", 201, undefined],
  ])("content type %s → %i", async (type, status, code) => {
    const { status: got, body: answer } = await read(await echo(post(JSON.stringify({ name: "x" }), { "content-type": type }), noParams));
    expect(got).toBe(status);
    if (code) expect(answer.error.code).toBe(code);
  });

  it("no content type → 415", async () => {
    const request = new Request("http://tagpipe.test/x", { method: "POST", body: new Uint8Array(Buffer.from('{"name":"x"}')) });
    expect(request.headers.get("content-type")).toBeNull();
    expect((await echo(request, noParams)).status).toBe(415);
  });

  it.each([
    ["malformed JSON", '{"name":'],
    ["an empty body", ""],
    ["whitespace", " \n\t "],
  ])("%s → 400 invalid_json", async (_, raw) => {
    const { status, body: answer } = await read(await echo(post(raw), noParams));
    expect(status).toBe(400);
    expect(answer.error.code).toBe("invalid_json");
  });

  it("a declared Content-Length over 64 KB → 413 without reading the body", async () => {
    const request = post("{}", { "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1) });
    const { status, body: answer } = await read(await echo(request, noParams));
    expect(status).toBe(413);
    expect(answer.error).toEqual({ code: "payload_too_large", message: "The body exceeds 64 KB" });
  });

  it("a streamed body over 64 KB → 413, and the stream is cancelled", async () => {
    let pulled = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
        if (pulled > 100) controller.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    const { status } = await read(await echo(post(stream), noParams));
    expect(status).toBe(413);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it("a body of exactly 64 KB is read", async () => {
    const text = JSON.stringify({ name: "x" });
    const padded = text + " ".repeat(MAX_BODY_BYTES - text.length);
    expect(Buffer.byteLength(padded)).toBe(MAX_BODY_BYTES);
    expect((await echo(post(padded), noParams)).status).toBe(201);
  });

  it("invalid fields → 422 with a message and fields naming each", async () => {
    const { status, body: answer } = await read(await echo(post(JSON.stringify({ name: "", count: 1.5, extra: true })), noParams));
    expect(status).toBe(422);
    expect(answer.error.code).toBe("validation_failed");
    expect(answer.error.fields).toEqual(
      expect.arrayContaining([
        { path: "name", message: "is required" },
        { path: "count", message: expect.any(String) },
        { path: "extra", message: "is not a known field" },
      ]),
    );
    expect(answer.error.message).toContain("name: is required");
    expect(answer.error.message).toContain("extra: is not a known field");
  });

  it("a root-level problem is named 'body' in the message", async () => {
    const { status, body: answer } = await read(await echo(post("[1]"), noParams));
    expect(status).toBe(422);
    expect(answer.error.message).toMatch(/^body: /);
  });

  it("validates the query string, naming the parameter", async () => {
    const list = route({ permission: null, query: z.strictObject({ limit: z.coerce.number().int().max(10).default(5) }) }, async ({ query }) => query);
    expect(await read(await list(new Request("http://tagpipe.test/x?limit=7"), noParams))).toEqual({ status: 200, body: { limit: 7 } });
    expect(await read(await list(new Request("http://tagpipe.test/x"), noParams))).toEqual({ status: 200, body: { limit: 5 } });
    const bad = await read(await list(new Request("http://tagpipe.test/x?limit=70&x=1"), noParams));
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields.map((f: { path: string }) => f.path).sort()).toEqual(["limit", "x"]);
  });

  it("hands the route params to the handler, joining catch-all segments", async () => {
    const show = route({ permission: null }, async ({ params }) => params);
    const response = await show(new Request("http://tagpipe.test/x"), { params: Promise.resolve({ id: "abc", rest: ["a", "b"] }) });
    expect(await response.json()).toEqual({ id: "abc", rest: "a/b" });
  });

  it("a Response returned by the handler is passed through", async () => {
    const custom = route({ permission: null }, async () => new Response("hi", { status: 202 }));
    const response = await custom(new Request("http://tagpipe.test/x"), noParams);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("hi");
  });
});

describe("mapError", () => {
  it.each([
    [new ValidationError([{ path: "code", message: "is bad" }]), 422, "validation_failed"],
    [new NotFoundError("Site"), 404, "not_found"],
    [new ForbiddenError(), 403, "forbidden"],
    [new UnauthorizedError(), 401, "unauthorized"],
    [new ConflictError("taken", [{ path: "code", message: "taken" }]), 409, "conflict"],
  ])("%s → %i", async (error, status, code) => {
    const response = mapError(error);
    expect(response.status).toBe(status);
    const answer = await response.json();
    expect(answer.error.code).toBe(code);
    expect(answer.error.message).toBe(error.message);
    expect(answer.error.fields ?? []).toEqual(error.fields);
  });

  it("rate limiting → 429 with Retry-After", async () => {
    const response = mapError(new RateLimitedError("slow down", 42));
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("42");
  });

  it("anything else → 500 that reveals nothing, logged by name and message only", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const response = mapError(new TypeError("secret detail at /srv/db"));
    expect(response.status).toBe(500);
    const answer = await response.json();
    expect(answer.error.code).toBe("internal");
    expect(JSON.stringify(answer)).not.toContain("secret detail");
    expect(log).toHaveBeenCalledWith("[api] unexpected error:", "TypeError: secret detail at /srv/db");
  });

  it("a handler that throws is mapped, not thrown", async () => {
    const failing = route({ permission: null }, async () => {
      throw new NotFoundError("Region");
    });
    expect(await read(await failing(new Request("http://tagpipe.test/x"), noParams))).toEqual({
      status: 404,
      body: { error: { code: "not_found", message: "Region not found" } },
    });
  });
});

describe("json and errorResponse", () => {
  it("leave out empty fields and keep extra headers", async () => {
    const response = errorResponse(418, "teapot", "short and stout", [], { "x-extra": "1" });
    expect(response.headers.get("x-extra")).toBe("1");
    expect(await response.json()).toEqual({ error: { code: "teapot", message: "short and stout" } });
    expect(await json({ a: 1 }, 202).json()).toEqual({ a: 1 });
  });
});
