// The browser runtime's pure pieces: conditions, variables and coercion, mapping and
// validation, event ids; and the compiler's escaping of configuration into the script.
import { describe, expect, test } from "vitest";
import { compare } from "../../../runtime/conditions";
import { coerce, resolve, type Scope } from "../../../runtime/variables";
import { eventIdFor, mapEvent, validate } from "../../../runtime/params";
import { pick } from "../../../runtime/util";
import { configLiteral, injectConfig } from "../../../lib/compiler/inject";
import { compileConfig } from "../../../lib/compiler/compile-config";
import type { RuntimeCondition, RuntimeConfig, RuntimeEvent, RuntimeVariable } from "../../../lib/compiler/runtime-config";
import { validSnapshot } from "../../fixtures/snapshot";

const cond = (op: string, value: string, extra: Partial<RuntimeCondition> = {}): RuntimeCondition => ({ source: "page_path", op, value, not: false, i: false, ...extra });

describe("conditions", () => {
  test.each([
    ["equals", "/a", "/a", true],
    ["equals", "/a", "/A", false],
    ["contains", "thanks", "/checkout/thanks", true],
    ["starts_with", "/checkout", "/checkout/thanks", true],
    ["ends_with", "/thanks", "/checkout/thanks", true],
    ["regex", "^/(cart|checkout)/", "/checkout/x", true],
    ["regex", "^/(cart|checkout)/", "/shop", false],
    ["lt", "10", "9.5", true],
    ["lte", "10", "10", true],
    ["gt", "10", "10", false],
    ["gte", "0", "0", true],
    ["gt", "10", "abc", false],
  ])("%s %s against %s → %s", (op, value, actual, expected) => {
    expect(compare(cond(op, value), actual).ok).toBe(expected);
  });

  test("ignore case and negation", () => {
    expect(compare(cond("equals", "/A", { i: true }), "/a").ok).toBe(true);
    expect(compare(cond("regex", "THANKS", { i: true }), "/thanks").ok).toBe(true);
    expect(compare(cond("contains", "test", { not: true }), "/prod").ok).toBe(true);
    expect(compare(cond("contains", "test", { not: true }), "/test").ok).toBe(false);
  });

  test("a regex that does not compile never passes, even negated, and says why", () => {
    const o = compare(cond("regex", "(unclosed", { not: true }), "anything");
    expect(o.ok).toBe(false);
    expect(o.error).toMatch(/bad regex/);
  });

  test("lists compare by their joined value; missing values are empty", () => {
    expect(compare(cond("contains", "b"), ["a", "b"]).ok).toBe(true);
    expect(compare(cond("equals", ""), undefined).ok).toBe(true);
  });
});

describe("variables", () => {
  const scope = (push: unknown, state: unknown = {}, url = "https://shop.example.com/p?utm_source=fb&x=1"): Scope => ({ push, state, url: new URL(url) });
  const v = (def: Partial<RuntimeVariable>): RuntimeVariable => ({ id: "v", name: "v", kind: "data_layer", coerce: "auto", ...def });

  test("data-layer paths, the GA4 items shape, and the accumulated state", () => {
    const push = { ecommerce: { value: "12.50", items: [{ item_id: "a" }, { item_id: "b" }, { sku: "no id" }] } };
    expect(pick(push, "ecommerce.items[].item_id")).toEqual(["a", "b"]);
    expect(resolve(v({ path: "ecommerce.value", coerce: "number" }), scope(push), new Map())).toBe(12.5);
    expect(resolve(v({ path: "user.email" }), scope(push, { user: { email: "x@y.z" } }), new Map())).toBe("x@y.z");
  });

  test("URL query, constant, lookup table, defaults", () => {
    const source = v({ id: "src", kind: "url_query", key: "utm_source" });
    const lookup = v({ id: "lk", kind: "lookup", input: "src", entries: [["fb", "meta"], ["tt", "tiktok"]], default: "other" });
    const vars = new Map([["src", source], ["lk", lookup]]);
    expect(resolve(source, scope({}), vars)).toBe("fb");
    expect(resolve(lookup, scope({}), vars)).toBe("meta");
    expect(resolve(lookup, scope({}, {}, "https://shop.example.com/?utm_source=mail"), vars)).toBe("other");
    expect(resolve(v({ kind: "constant", value: "EUR" }), scope({}), vars)).toBe("EUR");
    expect(resolve(v({ path: "missing", default: "7", coerce: "number" }), scope({}), vars)).toBe(7);
  });

  test("coercion", () => {
    expect(coerce("€1,234.50", "number")).toBe(1234.5);
    expect(coerce("abc", "number")).toBeUndefined();
    expect(coerce(["a", "b"], "string")).toBe("a,b");
    expect(coerce("a, b,,c", "list")).toEqual(["a", "b", "c"]);
    expect(coerce(12, "list")).toEqual(["12"]);
    expect(coerce("", "string")).toBeUndefined();
  });
});

describe("mapping, validation and event ids", () => {
  const purchase: RuntimeEvent = {
    id: "e1",
    name: "purchase",
    triggers: [],
    mappings: { value: "v", currency: "c", order_id: "o", content_ids: "i", "user_data.email": "m" },
    required: ["value", "currency", "order_id"],
    types: { value: "number", currency: "string", order_id: "string" },
    platformNames: {},
  };
  const values = (o: Record<string, unknown>) => (id: string) => o[id];

  test("a valid purchase maps its parameters and user data", () => {
    const m = mapEvent(purchase, values({ v: 10, c: "eur", o: "A-1", i: ["x"], m: "a@b.c" }), "USD");
    expect(m).toEqual({ params: { value: 10, currency: "EUR", order_id: "A-1", content_ids: ["x"] }, user: { email: "a@b.c" }, errors: [] });
  });

  test("the region's currency fills a missing one", () => {
    expect(mapEvent(purchase, values({ v: 10, o: "A-1", i: ["x"] }), "SEK").params.currency).toBe("SEK");
  });

  test("invalid values are reported, each by name", () => {
    expect(validate(purchase, { value: -1, currency: "euro", content_ids: [] })).toEqual([
      "order_id is required",
      "value must be a finite number >= 0",
      "currency must be an ISO 4217 code",
      "content_ids must be a non-empty list of ids",
      "order_id is required for purchase",
    ]);
    expect(validate(purchase, { value: Infinity, currency: "EUR", order_id: "1" })).toEqual(["value must be a finite number >= 0"]);
  });

  test("a purchase's event id derives from its order; others are random", () => {
    expect(eventIdFor("purchase", { order_id: 1001 }, () => "r")).toBe("order-1001");
    expect(eventIdFor("purchase", {}, () => "r")).toBe("r");
    expect(eventIdFor("add_to_cart", { order_id: "1" }, () => "r")).toBe("r");
  });
});

describe("configuration in the script", () => {
  test("a configuration string cannot end the script element or break the literal", () => {
    const nasty = `</script><script>alert(1)</script>"'\\ \u2028\u2029 <b>`;
    const config = { v: 1, site: { hostnames: [nasty] } } as unknown as RuntimeConfig;
    const literal = configLiteral(config);
    expect(literal).not.toMatch(/<\/script/i);
    expect(literal).not.toMatch(/[\u2028\u2029<]/);
    // Evaluated as the script would: a string literal whose JSON round-trips exactly.
    const script = injectConfig("window.__c = JSON.parse(__TAGPIPE_CONFIG__);", config);
    const sandbox: { window: { __c?: RuntimeConfig } } = { window: {} };
    new Function("window", script)(sandbox.window);
    expect(sandbox.window.__c).toEqual(config);
  });

  test("the placeholder must appear exactly once", () => {
    expect(() => injectConfig("no placeholder", {} as RuntimeConfig)).toThrow();
    expect(() => injectConfig("__TAGPIPE_CONFIG__ __TAGPIPE_CONFIG__", {} as RuntimeConfig)).toThrow();
  });

  test("the compiled configuration carries public ids and resolved names, never secrets", () => {
    const s = validSnapshot();
    s.destinations.push({ id: "d3", name: "Hook", description: "", ownerId: null, platform: "webhook", ids: { url: "https://hooks.example.com/x" }, events: [{ eventId: "e1" }], regions: null, secretsSet: ["signingSecret"] });
    const c = compileConfig(s, { environment: { publicKey: "tp_key", name: "staging", kind: "staging" }, version: 3, collectUrl: "https://t.example.com/api/collect", previewUrl: "https://t.example.com/c/preview.js" });
    expect(c.environment).toEqual({ key: "tp_key", name: "staging", kind: "staging", production: false });
    // Entity ids become short local ids inside the script, references included.
    expect(c.destinations.map((d) => [d.id, d.platform, d.events])).toEqual([
      ["d0", "meta", { e0: "Purchase" }],
      ["d1", "ga4", { e0: "purchase" }],
    ]);
    expect(c.events[0]).toMatchObject({ id: "e0", name: "purchase", required: ["value", "currency", "order_id"], triggers: ["t0"], mappings: { value: "v0", "user_data.email": "v3" } });
    expect(c.triggers[0]).toMatchObject({ id: "t0", blockers: ["t1"], conditions: [expect.anything(), expect.objectContaining({ source: "variable", key: "v0" })] });
    expect(JSON.stringify(c)).not.toMatch(/secret|accessToken|hooks\.example\.com/);
  });
});
