// Built-in variables (lib/config/builtins.ts): the catalogue, how a mapping or a condition
// references one (schemas), how the compiler carries only those used, how the runtime
// reads each, and the type fit that orders a mapping dropdown.
import { describe, expect, test } from "vitest";
import { BUILTINS, builtinOf, builtinRef, ga4EcommerceMappings, mappingChoices, parameterType, typeFit, variableType } from "../../lib/config/builtins";
import { containerEventCreate, triggerDefinition, PARAMETER_TYPES, STANDARD_PARAMETERS, USER_DATA_FIELDS } from "../../lib/schemas/config";
import { compileConfig, compileNames, type CompileTarget } from "../../lib/compiler/compile-config";
import { featuresOf } from "../../lib/compiler/features";
import { runtimeBundle } from "../../lib/compiler/bundle";
import { Coerce, VariableKind } from "../../lib/compiler/runtime-config";
import { validateSnapshot } from "../../lib/versions/validate";
import { resolve, type Scope } from "../../runtime/variables";
import { validSnapshot } from "../fixtures/snapshot";

const target: CompileTarget = {
  environment: { publicKey: "tp_key", name: "production", kind: "production" },
  collectUrl: "https://t.example.com/api/collect",
  previewUrl: "https://t.example.com/c/tp_key.3.preview.js",
};

describe("the catalogue", () => {
  test("has the built-ins a marketer expects, each with a unique key, a type and a way to read it", () => {
    const keys = BUILTINS.map((b) => b.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of ["page_url", "page_path", "page_hostname", "referrer", "page_title", "event_name", "click_element", "click_text", "click_url", "form_id"]) expect(keys).toContain(key);
    for (const f of ["value", "currency", "transaction_id", "item_ids", "coupon", "tax", "shipping"]) expect(keys).toContain(`ecommerce_${f}`);
    for (const f of ["email", "phone_number", "first_name", "last_name", "city", "region", "postal_code", "country"]) expect(keys).toContain(`user_${f}`);
    for (const b of BUILTINS) {
      expect(PARAMETER_TYPES).toContain(b.type);
      expect(builtinOf(builtinRef(b.key))).toBe(b);
    }
  });

  test("every target a built-in fills is a parameter or user_data field the mapping editor offers", () => {
    const offered = new Set<string>([...STANDARD_PARAMETERS, ...USER_DATA_FIELDS.map((f) => `user_data.${f}`), "transaction_id", "item_ids", "items", "coupon", "tax", "shipping"]);
    for (const b of BUILTINS) for (const t of b.fills ?? []) expect(offered, `${b.key} fills ${t}`).toContain(t);
    // Personal data only ever fills user_data fields, which are hashed.
    for (const b of BUILTINS.filter((x) => x.personal)) expect(b.fills!.every((t) => t.startsWith("user_data."))).toBe(true);
  });

  test("Map from GA4 ecommerce fills a purchase's parameters and user data, only those offered", () => {
    const purchase = ["value", "currency", "order_id", "content_ids", "contents", "num_items", "user_data.email", "user_data.phone", "user_data.zip"];
    expect(ga4EcommerceMappings(purchase)).toEqual({
      value: "builtin:ecommerce_value",
      currency: "builtin:ecommerce_currency",
      order_id: "builtin:ecommerce_transaction_id",
      content_ids: "builtin:ecommerce_item_ids",
      contents: "builtin:ecommerce_items",
      "user_data.email": "builtin:user_email",
      "user_data.phone": "builtin:user_phone_number",
      "user_data.zip": "builtin:user_postal_code",
    });
    // A plan that calls it transaction_id gets it there; coupon, tax and shipping when the plan has them.
    expect(ga4EcommerceMappings(["transaction_id", "coupon", "tax", "search_string"])).toEqual({
      transaction_id: "builtin:ecommerce_transaction_id",
      coupon: "builtin:ecommerce_coupon",
      tax: "builtin:ecommerce_tax",
    });
  });
});

describe("references in mappings and conditions", () => {
  const event = (mappings: Record<string, string>) => containerEventCreate.safeParse({ planEventId: "p1", mappings });

  test("a known built-in is accepted where a variable id is", () => {
    expect(event({ value: "builtin:ecommerce_value", "user_data.email": "builtin:user_email", order_id: "v3" }).success).toBe(true);
    expect(triggerDefinition.safeParse({ type: "click", selector: "a", conditions: [{ source: "variable", key: "builtin:click_url", operator: "contains", value: "/checkout" }] }).success).toBe(true);
  });

  test("an unknown built-in is refused, naming the field", () => {
    const r = event({ value: "builtin:nope" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: ["mappings", "value"], message: "builtin:nope is not a built-in variable" });
    const c = triggerDefinition.safeParse({ type: "page_view", conditions: [{ source: "variable", key: "builtin:page_nope", operator: "equals", value: "x" }] });
    expect(c.error!.issues[0]).toMatchObject({ path: ["conditions", 0, "key"], message: "builtin:page_nope is not a built-in variable" });
  });

  test("personal data maps only to user_data fields (they are hashed; parameters are stored as sent)", () => {
    const r = event({ content_type: "builtin:user_email" });
    expect(r.error!.issues[0]).toMatchObject({ path: ["mappings", "content_type"], message: "User email is personal data: map it to a user data field, which is hashed" });
    // A condition compares in the browser and may read it.
    expect(triggerDefinition.safeParse({ type: "page_view", conditions: [{ source: "variable", key: "builtin:user_email", operator: "ends_with", value: "@example.com" }] }).success).toBe(true);
  });

  test("a draft mapping a built-in has no dangling-reference problem; an unknown one has", () => {
    const s = validSnapshot();
    s.events[0].mappings = { ...s.events[0].mappings, value: "builtin:ecommerce_value", content_ids: "builtin:nope" };
    const problems = validateSnapshot(s).filter((p) => p.entityType === "event");
    expect(problems.map((p) => p.field)).toEqual(["mappings.content_ids"]);
  });
});

describe("compilation", () => {
  test("only the built-ins used are appended to the variables, and references point at them", () => {
    const s = validSnapshot();
    const own = s.variables.length;
    s.events[0].mappings = { value: "builtin:ecommerce_value", currency: "v2", order_id: "builtin:ecommerce_transaction_id" };
    s.triggers[0].conditions.push({ source: "variable", key: "builtin:page_title", operator: "contains", value: "Thanks", negate: false, ignoreCase: false });
    const config = compileConfig(s, target);
    const [, , , , , , variables, triggers, events] = config;
    // Catalogue order: page title, then the ecommerce fields.
    expect(variables.slice(own)).toEqual([
      [VariableKind.page, Coerce.auto, "document.title"],
      [VariableKind.data_layer, Coerce.number, "ecommerce.value"],
      [VariableKind.data_layer, Coerce.string, "ecommerce.transaction_id"],
    ]);
    expect(events[0][2]).toEqual({ value: own + 1, currency: 1, order_id: own + 2 });
    expect(triggers[0][2]!.at(-1)![4]).toBe(own);
    expect(compileNames(s, { environment: { name: "production" }, version: 1 }).variables.slice(own)).toEqual(["Page title", "Ecommerce value", "Ecommerce transaction ID"]);
    expect(featuresOf(config).PAGE).toBe(true);
    expect(featuresOf(config).ELEMENT).toBe(false);
  });

  test("a disabled event's built-ins are not carried; without built-ins the configuration is as before", () => {
    const s = validSnapshot();
    const before = compileConfig(s, target);
    s.events[0].mappings = { ...s.events[0].mappings, num_items: "builtin:click_text" };
    s.events[0].enabled = false;
    const after = compileConfig(s, target);
    expect(after[6]).toEqual(before[6]);
    expect(featuresOf(after).ELEMENT).toBe(false);
  });

  test("the page and element readers ship only in containers that use them", async () => {
    const s = validSnapshot();
    const plain = await runtimeBundle(featuresOf(compileConfig(s, target)));
    s.events[0].mappings = { ...s.events[0].mappings, content_type: "builtin:click_element" };
    const withElement = await runtimeBundle(featuresOf(compileConfig(s, target)));
    expect(plain).not.toContain("localName");
    expect(withElement).toContain("localName");
  }, 60_000);
});

describe("the runtime reads each kind", () => {
  const variable = (key: string) => {
    const s = validSnapshot();
    s.variables = [];
    s.triggers = [];
    s.events[0].triggerIds = [];
    s.events[0].mappings = { x: builtinRef(key) };
    return compileConfig(s, target)[6][0];
  };
  const scope = (extra: Partial<Scope> = {}): Scope => ({ push: {}, state: {}, vars: [], ...extra });

  test("page: location and document", () => {
    const g = globalThis as unknown as Record<string, unknown>;
    g.window = { location: { href: "https://shop.example.com/thanks?x=1", pathname: "/thanks", hostname: "shop.example.com" }, document: { referrer: "https://google.com/", title: " Thanks " } };
    try {
      expect(resolve(variable("page_url"), scope())).toBe("https://shop.example.com/thanks?x=1");
      expect(resolve(variable("page_path"), scope())).toBe("/thanks");
      expect(resolve(variable("page_hostname"), scope())).toBe("shop.example.com");
      expect(resolve(variable("referrer"), scope())).toBe("https://google.com/");
      expect(resolve(variable("page_title"), scope())).toBe(" Thanks ");
    } finally {
      delete g.window;
    }
  });

  test("element: the clicked element, its text, its link, its form", () => {
    const form = { localName: "form", id: "checkout" };
    const link = { localName: "a", id: "", href: "https://shop.example.com/cart", textContent: "  Cart \n" };
    const span = { localName: "span", id: "buy", textContent: " Buy now ", closest: (sel: string) => (sel === "[href]" ? link : sel === "form" ? form : null) };
    const el = span as unknown as Element;
    expect(resolve(variable("click_element"), scope({ el }))).toBe("span#buy");
    expect(resolve(variable("click_text"), scope({ el }))).toBe("Buy now");
    expect(resolve(variable("click_url"), scope({ el }))).toBe("https://shop.example.com/cart");
    expect(resolve(variable("form_id"), scope({ el }))).toBe("checkout");
    // No element (a data-layer event): nothing.
    expect(resolve(variable("click_text"), scope())).toBeUndefined();
  });

  test("data layer: GA4 ecommerce and user_data, coerced to their types", () => {
    const push = { event: "purchase", ecommerce: { value: "19.90", currency: "eur", transaction_id: 1042, items: [{ item_id: "a" }, { item_id: 7 }], tax: 3.1 }, user_data: { email: "a@b.c", address: { postal_code: 10115 } } };
    expect(resolve(variable("event_name"), scope({ push }))).toBe("purchase");
    expect(resolve(variable("ecommerce_value"), scope({ push }))).toBe(19.9);
    expect(resolve(variable("ecommerce_currency"), scope({ push }))).toBe("eur");
    expect(resolve(variable("ecommerce_transaction_id"), scope({ push }))).toBe("1042");
    expect(resolve(variable("ecommerce_item_ids"), scope({ push }))).toEqual(["a", "7"]);
    expect(resolve(variable("ecommerce_items"), scope({ push }))).toEqual(push.ecommerce.items);
    expect(resolve(variable("ecommerce_tax"), scope({ push }))).toBe(3.1);
    expect(resolve(variable("ecommerce_coupon"), scope({ push }))).toBeUndefined();
    expect(resolve(variable("user_email"), scope({ push }))).toBe("a@b.c");
    expect(resolve(variable("user_postal_code"), scope({ push }))).toBe("10115");
  });
});

describe("type fit", () => {
  test.each([
    ["number", "number", "exact"],
    ["string", "number", "mismatch"],
    ["list", "number", "mismatch"],
    ["number", "string", "converts"],
    ["string", "list", "mismatch"],
    [null, "number", "loose"],
    ["string", null, "loose"],
  ] as const)("a %s value for a %s parameter: %s", (value, parameter, fit) => {
    expect(typeFit(value, parameter)).toBe(fit);
  });

  test("a variable's type comes from its coercion, a data-layer list path or a constant", () => {
    expect(variableType({ kind: "data_layer", coerce: "number", path: "ecommerce.value" })).toBe("number");
    expect(variableType({ kind: "data_layer", coerce: "auto", path: "ecommerce.items[].item_id" })).toBe("list");
    expect(variableType({ kind: "constant", coerce: "auto" })).toBe("string");
    expect(variableType({ kind: "dom", coerce: "auto" })).toBeNull();
  });

  test("parameters the plan does not type take the standard types; user data is text", () => {
    expect(parameterType("value")).toBe("number");
    expect(parameterType("content_ids")).toBe("list");
    expect(parameterType("user_data.email")).toBe("string");
    expect(parameterType("value", "string")).toBe("string");
    expect(parameterType("flavour")).toBeNull();
  });

  test("for value: number, the built-in made for it first, numbers before text, text flagged last; no personal data", () => {
    const choices = mappingChoices("value", "number", [
      { id: "v-text", name: "Order total (text)", type: "string" },
      { id: "v-num", name: "Order total", type: "number" },
    ]);
    expect(choices[0]).toMatchObject({ ref: "builtin:ecommerce_value", fit: "exact", suggested: true });
    expect(choices[1]).toMatchObject({ ref: "v-num", fit: "exact" });
    const fits = choices.map((c) => c.fit);
    expect(fits.indexOf("mismatch")).toBeGreaterThan(fits.lastIndexOf("exact"));
    expect(choices.find((c) => c.ref === "v-text")!.fit).toBe("mismatch");
    expect(choices.some((c) => c.ref === "builtin:user_email")).toBe(false);
  });

  test("for user_data.email the User email built-in comes first", () => {
    expect(mappingChoices("user_data.email", "string", [])[0].ref).toBe("builtin:user_email");
  });
});
