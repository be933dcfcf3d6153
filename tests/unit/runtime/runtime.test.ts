// The browser runtime's pure pieces: conditions, variables and coercion, mapping and
// validation, event ids; and the compiler's escaping of configuration into the script.
import { describe, expect, test } from "vitest";
import { compare, regexError } from "../../../runtime/conditions";
import { coerce, resolve, type Scope } from "../../../runtime/variables";
import { eventIdFor, mapEvent, validate } from "../../../runtime/params";
import { cookie, pick, rand } from "../../../runtime/util";
import { configLiteral, injectConfig } from "../../../lib/compiler/inject";
import { compileConfig } from "../../../lib/compiler/compile-config";
import { Coerce, IGNORE_CASE, Limit, NEGATE, Op, Platform, Source, TriggerType, VariableKind, nameAt, type RuntimeCondition, type RuntimeConfig, type RuntimeEvent, type RuntimeVariable } from "../../../lib/compiler/runtime-config";
import { validSnapshot } from "../../fixtures/snapshot";

const cond = (op: keyof typeof Op, value: string, flags = 0): RuntimeCondition => [Source.page_path, Op[op], value, flags];

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
  ] as const)("%s %s against %s → %s", (op, value, actual, expected) => {
    expect(compare(cond(op, value), actual)).toBe(expected);
  });

  test("ignore case and negation", () => {
    expect(compare(cond("equals", "/A", IGNORE_CASE), "/a")).toBe(true);
    expect(compare(cond("regex", "THANKS", IGNORE_CASE), "/thanks")).toBe(true);
    expect(compare(cond("contains", "test", NEGATE), "/prod")).toBe(true);
    expect(compare(cond("contains", "test", NEGATE), "/test")).toBe(false);
    expect(compare(cond("lt", "10", NEGATE), "abc")).toBe(true);
  });

  test("a regex condition, compiled once, answers each check by its own value; one that does not compile stays false", () => {
    const c = cond("regex", "^/checkout/\\d+$", IGNORE_CASE);
    expect([compare(c, "/CHECKOUT/4"), compare(c, "/cart"), compare(c, "/checkout/12"), compare(c, "/checkout/x")]).toEqual([true, false, true, false]);
    const bad = cond("regex", "(unclosed", NEGATE);
    expect([compare(bad, "a"), compare(bad, "b")]).toEqual([false, false]);
  });

  test("a regex that does not compile never passes, even negated, and the panel can say why", () => {
    expect(compare(cond("regex", "(unclosed", NEGATE), "anything")).toBe(false);
    expect(regexError(cond("regex", "(unclosed"))).toMatch(/bad regex/);
    expect(regexError(cond("regex", "^ok$"))).toBeUndefined();
  });

  test("lists compare by their joined value; missing values are empty", () => {
    expect(compare(cond("contains", "b"), ["a", "b"])).toBe(true);
    expect(compare(cond("equals", "a,b"), ["a", "b"])).toBe(true);
    expect(compare(cond("equals", ""), undefined)).toBe(true);
  });
});

describe("variables", () => {
  const scope = (push: unknown, state: unknown = {}, vars: RuntimeVariable[] = []): Scope => ({ push, state, vars });
  /** The page's query, as location.search would give it. */
  const onPage = <T>(search: string, f: () => T): T => {
    const g = globalThis as { location?: unknown };
    const before = g.location;
    g.location = { search };
    try {
      return f();
    } finally {
      g.location = before;
    }
  };

  test("data-layer paths, the GA4 items shape, and the accumulated state", () => {
    const push = { ecommerce: { value: "12.50", items: [{ item_id: "a" }, { item_id: "b" }, { sku: "no id" }] } };
    expect(pick(push, "ecommerce.items[].item_id")).toEqual(["a", "b"]);
    expect(resolve([VariableKind.data_layer, Coerce.number, "ecommerce.value"], scope(push))).toBe(12.5);
    expect(resolve([VariableKind.data_layer, Coerce.auto, "user.email"], scope(push, { user: { email: "x@y.z" } }))).toBe("x@y.z");
    // An empty list in the push falls back to the state's.
    expect(resolve([VariableKind.data_layer, Coerce.auto, "items"], scope({ items: [] }, { items: ["s"] }))).toEqual(["s"]);
  });

  test("URL query, constant, lookup table, defaults", () => {
    const source: RuntimeVariable = [VariableKind.url_query, Coerce.auto, "utm_source"];
    const lookup: RuntimeVariable = [VariableKind.lookup, Coerce.auto, 0, [["fb", "meta"], ["tt", "tiktok"]], "other"];
    const vars = [source, lookup];
    expect(onPage("?utm_source=fb&x=1", () => resolve(source, scope({}, {}, vars)))).toBe("fb");
    expect(onPage("?utm_source=fb&x=1", () => resolve(lookup, scope({}, {}, vars)))).toBe("meta");
    expect(onPage("?utm_source=mail", () => resolve(lookup, scope({}, {}, vars)))).toBe("other");
    expect(resolve([VariableKind.constant, Coerce.auto, "EUR"], scope({}))).toBe("EUR");
    expect(resolve([VariableKind.constant, Coerce.auto, null], scope({}))).toBeUndefined();
    expect(resolve([VariableKind.data_layer, Coerce.number, "missing", null, "7"], scope({}))).toBe(7);
  });

  test("a lookup whose input is missing, or that looks itself up, resolves to its default", () => {
    expect(resolve([VariableKind.lookup, Coerce.auto, 5, [["", "empty"]], "none"], scope({}))).toBe("none");
    const self: RuntimeVariable = [VariableKind.lookup, Coerce.auto, 0, [["", "x"]], "d"];
    expect(resolve(self, scope({}, {}, [self]))).toBe("d");
    expect(resolve(undefined, scope({}))).toBeUndefined();
  });

  test("coercion", () => {
    expect(coerce("€1,234.50", Coerce.number)).toBe(1234.5);
    expect(coerce("abc", Coerce.number)).toBeUndefined();
    expect(coerce(["a", "b"], Coerce.string)).toBe("a,b");
    expect(coerce("a, b,,c", Coerce.list)).toEqual(["a", "b", "c"]);
    expect(coerce(12, Coerce.list)).toEqual(["12"]);
    expect(coerce("", Coerce.string)).toBeUndefined();
    expect(coerce(null, Coerce.auto)).toBeUndefined();
  });
});

describe("helpers", () => {
  test("a cookie's raw value, by its exact name", () => {
    const g = globalThis as { document?: unknown };
    const before = g.document;
    g.document = { cookie: "_fbp=fb.1.2.3; x_fbp=no; tp_preview=tp_k.9%2E; empty=" };
    try {
      expect(cookie("_fbp")).toBe("fb.1.2.3");
      expect(cookie("tp_preview")).toBe("tp_k.9%2E");
      expect(cookie("empty")).toBe("");
      expect(cookie("fbp")).toBeUndefined();
      expect(cookie(".*")).toBeUndefined();
    } finally {
      g.document = before;
    }
  });

  test("random event ids: 96 bits, never the same", () => {
    const ids = new Set(Array.from({ length: 1000 }, rand));
    expect(ids.size).toBe(1000);
    for (const id of [...ids].slice(0, 20)) expect(id).toMatch(/^\d{1,10}-\d{1,10}-\d{1,10}$/);
  });
});

describe("mapping, validation and event ids", () => {
  const purchase: RuntimeEvent = [
    "purchase",
    [],
    { value: 0, currency: 1, order_id: 2, content_ids: 3, "user_data.email": 4 },
    ["value", "currency", "order_id"],
    { value: "number", currency: "string", order_id: "string" },
  ];
  const values = (list: unknown[]) => (at: number) => list[at];

  test("a valid purchase maps its parameters and user data", () => {
    const m = mapEvent(purchase, values([10, "eur", "A-1", ["x"], "a@b.c"]), "USD");
    expect(m).toEqual([{ value: 10, currency: "EUR", order_id: "A-1", content_ids: ["x"] }, { email: "a@b.c" }]);
    expect(validate(purchase, m[0])).toEqual([]);
  });

  test("the region's currency fills a missing one", () => {
    expect(mapEvent(purchase, values([10, undefined, "A-1", ["x"]]), "SEK")[0].currency).toBe("SEK");
    expect(mapEvent(purchase, values([undefined, " sek "]), "EUR")[0].currency).toBe("SEK");
  });

  test("tracked parameters go over the mapped ones, their currency normalized too", () => {
    const [params, user] = mapEvent(purchase, values([10, "eur", "A-1"]), "USD", { value: 12, currency: " sek ", coupon: "X" });
    expect(params).toEqual({ value: 12, currency: "SEK", order_id: "A-1", coupon: "X" });
    expect(user).toEqual({});
  });

  test("invalid values are reported, each by name with a code (lib/validation/params.ts words it)", () => {
    expect(validate(purchase, { value: -1, currency: "euro", content_ids: [] })).toEqual(["order_id required", "value value", "currency currency", "content_ids ids"]);
    expect(validate(purchase, { value: Infinity, currency: "EUR", order_id: "1" })).toEqual(["value number"]);
    // The plan types value as a number: that problem is said once, as the type.
    expect(validate(purchase, { value: "1", currency: "EUR", order_id: "7" })).toEqual(["value number"]);
    // Not a currency ISO 4217 knows, though three capitals.
    expect(validate(purchase, { value: 1, currency: "ABC", order_id: "7" })).toEqual(["currency currency"]);
    expect(validate(["sign_up", [], {}], { content_ids: ["a"] })).toEqual([]);
  });

  test("a purchase's event id derives from its order; others are random", () => {
    expect(eventIdFor("purchase", { order_id: 1001 }, () => "r")).toBe("order-1001");
    expect(eventIdFor("purchase", {}, () => "r")).toBe("r");
    expect(eventIdFor("add_to_cart", { order_id: "1" }, () => "r")).toBe("r");
  });
});

describe("configuration in the script", () => {
  test("a configuration string cannot end the script element or break the literal", () => {
    const nasty = `</script><script>alert(1)</script>"'\\ \u2028\u2029 <b> <!-- \${x} \n\r\t\u0000 \\' \\\\'`;
    const config = { v: 1, site: { hostnames: [nasty] } } as unknown as RuntimeConfig;
    const literal = configLiteral(config);
    expect(literal).not.toMatch(/<\/script/i);
    expect(literal).not.toMatch(/[\u2028\u2029<\n\r]/);
    // One single-quoted literal: every quote and backslash inside is escaped.
    expect(literal).toMatch(/^'(?:[^'\\]|\\.)*'$/);
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
    const c = compileConfig(s, { environment: { publicKey: "tp_key", name: "staging", kind: "staging" }, collectUrl: "https://t.example.com/api/collect", previewUrl: "https://t.example.com/c/tp_key.3.preview.js" });
    expect(c.slice(0, 5)).toEqual(["tp_key", 0, "https://t.example.com/api/collect", "https://t.example.com/c/tp_key.3.preview.js", "EUR"]);
    // References are positions: event 0 is fired by trigger 0 and sent to Meta (destination 0)
    // as Purchase, and to GA4 under its own name (1).
    expect(c[9]).toEqual([
      [Platform.meta, ["Purchase"], null, "1234567890"],
      [Platform.ga4, [1], [0], "G-ABC123"],
    ]);
    expect(c[9].map((d) => nameAt(d, 0, c[8]))).toEqual(["Purchase", "purchase"]);
    expect(c[8][0]).toEqual(["purchase", [0], { value: 0, currency: 1, order_id: 2, "user_data.email": 3 }, ["value", "currency", "order_id"], { value: "number", currency: "string", order_id: "string" }]);
    expect(c[7][0]).toEqual([TriggerType.data_layer_event, "purchase", [[Source.page_path, Op.regex, "^/checkout/thanks", IGNORE_CASE], [Source.variable, Op.gt, "0", 0, 0]], Limit.once_per_event_id, [1]]);
    expect(JSON.stringify(c)).not.toMatch(/secret|accessToken|hooks\.example\.com/);
    // Names are for the preview panel only.
    expect(JSON.stringify(c)).not.toMatch(/Purchase push|Internal traffic|DL value|"Meta"|"Shop"/);
  });
});
