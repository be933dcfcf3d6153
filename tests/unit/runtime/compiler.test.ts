// The compiler's side of the container: the compact configuration (positions, codes,
// trimmed tuples), the names served with the preview panel, the per-container feature
// switches and bundles, and the panel's sentences built from the runtime's records.
import crypto from "node:crypto";
import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { compileConfig, compileNames, trim, type CompileTarget } from "../../../lib/compiler/compile-config";
import { ALL_FEATURES, FEATURES, featuresOf } from "../../../lib/compiler/features";
import { previewBundle, runtimeBundle, tagsBundle } from "../../../lib/compiler/bundle";
import { buildScripts } from "../../../lib/compiler/publish-script";
import { injectNames } from "../../../lib/compiler/inject";
import { Coerce, Limit, NEGATE, Op, Platform, Source, TriggerType, VariableKind, type RuntimeConfig } from "../../../lib/compiler/runtime-config";
import { explain } from "../../../runtime/explain";
import { Rec } from "../../../runtime/records";
import type { Snapshot } from "../../../lib/versions/snapshot";
import { fixtureSnapshot } from "../../fixtures/container-fixture";
import { validSnapshot } from "../../fixtures/snapshot";

const target: CompileTarget = {
  environment: { publicKey: "tp_key", name: "production", kind: "production" },
  collectUrl: "https://t.example.com/api/collect",
  previewUrl: "https://t.example.com/c/tp_key.3.preview.js",
};

describe("compact configuration", () => {
  test("trim drops trailing defaults only, never below the minimum and never a 0 or a string", () => {
    expect(trim([1, "a", [], undefined, null], 2)).toEqual([1, "a"]);
    expect(trim([1, null, [], undefined], 1)).toEqual([1]);
    expect(trim([1, [], 0], 1)).toEqual([1, [], 0]);
    expect(trim([1, [], ""], 1)).toEqual([1, [], ""]);
    expect(trim([undefined, undefined], 2)).toEqual([undefined, undefined]);
  });

  test("variables: each kind's arguments, coercion and default", () => {
    const s = validSnapshot();
    s.variables.push(
      { id: "v7", name: "Total", description: "", ownerId: null, kind: "dom", selector: "#total", attribute: "data-value", coerce: "number", defaultValue: null },
      { id: "v8", name: "Title", description: "", ownerId: null, kind: "dom", selector: "h1", attribute: null, coerce: "auto", defaultValue: null },
      { id: "v9", name: "Brand", description: "", ownerId: null, kind: "constant", value: "Acme", coerce: "auto", defaultValue: "" },
      { id: "va", name: "Fbp", description: "", ownerId: null, kind: "cookie", key: "_fbp", coerce: "auto", defaultValue: null },
    );
    const [, , , , , , variables] = compileConfig(s, target);
    expect(variables).toEqual([
      [VariableKind.data_layer, Coerce.number, "ecommerce.value"],
      [VariableKind.data_layer, Coerce.string, "ecommerce.currency", null, "EUR"],
      [VariableKind.data_layer, Coerce.string, "ecommerce.transaction_id"],
      [VariableKind.data_layer, Coerce.auto, "user.email"],
      // The lookup's input is the variable at position 5.
      [VariableKind.lookup, Coerce.auto, 5, [["fb", "meta"]]],
      [VariableKind.url_query, Coerce.auto, "utm_source"],
      [VariableKind.dom, Coerce.number, "#total", "data-value"],
      [VariableKind.dom, Coerce.auto, "h1"],
      [VariableKind.constant, Coerce.auto, "Acme"],
      [VariableKind.cookie, Coerce.auto, "_fbp"],
    ]);
  });

  test("dangling references never match, as before compilation; disabled events and webhooks stay out", () => {
    const s = validSnapshot();
    s.triggers[0].blockingTriggerIds = ["gone", "t2"];
    s.triggers[0].conditions.push({ source: "variable", key: "gone", operator: "equals", value: "x", negate: true, ignoreCase: false });
    s.events[0].triggerIds = ["gone", "t1"];
    s.events[0].mappings = { value: "gone", currency: "v2" };
    s.events.push({ ...s.events[0], id: "e2", name: "lead", enabled: false });
    s.destinations[0].events.push({ eventId: "e2" });
    s.destinations[1].regions = ["eu", "nowhere"];
    s.destinations.push({ id: "d3", name: "Hook", description: "", ownerId: null, platform: "webhook", ids: { url: "https://h.example.com" }, events: [{ eventId: "e1" }], regions: null, secretsSet: [] });
    const [, , , , , , , triggers, events, destinations] = compileConfig(s, target);
    expect(triggers[0][2]![2]).toEqual([Source.variable, Op.equals, "x", NEGATE, -1]);
    expect(triggers[0][4]).toEqual([1]);
    expect(events).toEqual([["purchase", [0], { currency: 1 }, ["value", "currency", "order_id"], { value: "number", currency: "string", order_id: "string" }]]);
    expect(destinations.map((d) => [d[0], d[1], d[2]])).toEqual([
      [Platform.meta, ["Purchase"], null],
      [Platform.ga4, [1], [0]],
    ]);
  });

  test("triggers: only the match their type uses; limits and conditions omitted when default", () => {
    const s = validSnapshot();
    s.triggers.push({ id: "t3", name: "Buy button", description: "", ownerId: null, type: "click", selector: "button.buy", eventName: "ignored", conditions: [], fireLimit: "once_per_page", blockingTriggerIds: [] });
    const [, , , , , , , triggers] = compileConfig(s, target);
    expect(triggers.slice(1)).toEqual([
      [TriggerType.page_view, null, [[Source.hostname, Op.starts_with, "staging.", 0]]],
      [TriggerType.click, "button.buy", [], Limit.once_per_page],
    ]);
  });

  test("regions and destinations: rules as [hostname, path prefix], Meta's custom events and Google Ads' label", () => {
    const s = validSnapshot();
    s.site.regions[1].rules = [{ hostname: "*.example.us" }, { pathPrefix: "/us" }];
    s.destinations[0].events = [{ eventId: "e1", name: "BigOrder" }];
    s.destinations.push({ id: "d4", name: "Ads", description: "", ownerId: null, platform: "google_ads", ids: { conversionId: "AW-1", conversionLabel: "lbl" }, events: [{ eventId: "e1" }], regions: null, secretsSet: [] });
    const [, , , , , regions, , , , destinations] = compileConfig(s, target);
    expect(regions).toEqual([
      ["eu", ["DE", "FR"], [], "EUR", 1],
      ["us", ["US"], [[".example.us"], ["", "/us"]], "USD", 0],
    ]);
    expect(destinations).toEqual([
      [Platform.meta, ["BigOrder"], null, "1234567890", [0]],
      [Platform.ga4, [1], [0], "G-ABC123"],
      [Platform.google_ads, [1], null, "AW-1", "lbl"],
    ]);
  });

  test("names go beside the script, by the same positions", () => {
    const s = validSnapshot();
    s.destinations.unshift({ id: "d0", name: "Hook", description: "", ownerId: null, platform: "webhook", ids: {}, events: [], regions: null, secretsSet: [] });
    expect(compileNames(s, { environment: { name: "staging" }, version: 3 })).toEqual({
      container: "Shop",
      version: 3,
      environment: "staging",
      triggers: ["Purchase push", "Internal traffic"],
      variables: ["DL value", "DL currency", "DL order", "Email", "Channel", "Source"],
      destinations: ["Meta", "GA4"],
    });
  });

  test("a configuration string survives the panel's literal too", () => {
    const nasty = `</script><script>alert(1)</script>"'\\ \u2028\u2029`;
    const panel = injectNames("window.__n = JSON.parse(__TAGPIPE_NAMES__);", { container: nasty, version: 1, environment: "p", triggers: [nasty], variables: [], destinations: [] });
    expect(panel).not.toMatch(/<\/script|[\u2028\u2029]/i);
    const sandbox: { __n?: { container: string } } = {};
    new Function("window", panel)(sandbox);
    expect(sandbox.__n?.container).toBe(nasty);
  });
});

describe("per-container features", () => {
  test("the switches the compiler sets are the ones the runtime declares", () => {
    const declared = [...fs.readFileSync("runtime/features.ts", "utf8").matchAll(/const TAGPIPE_(\w+): boolean/g)].map((m) => m[1]);
    expect(declared.sort()).toEqual([...FEATURES].sort());
  });

  test("a configuration turns on what it uses, and only that", () => {
    const f = featuresOf(compileConfig(validSnapshot(), target));
    expect(Object.entries(f).filter(([, on]) => on).map(([name]) => name).sort()).toEqual([
      "BLOCKING",
      "COMPARISON",
      "GA4",
      "GA_IDS",
      "HOSTNAME_CONDITION",
      "LOOKUP",
      "META",
      "ONCE_PER_EVENT_ID",
      "REGEX",
      "REGIONS",
      "URL_QUERY",
      "VARIABLE_CONDITION",
    ]);
  });

  test("a container's bundles drop the code of features it does not use; the tags are a script of their own", async () => {
    const s = validSnapshot();
    const features = featuresOf(compileConfig(s, target));
    const [generic, own, genericTags, ownTags] = await Promise.all([runtimeBundle(), runtimeBundle(features), tagsBundle(ALL_FEATURES), tagsBundle(features)]);
    expect(genericTags).toContain("analytics.tiktok.com");
    expect(ownTags).not.toContain("analytics.tiktok.com");
    expect(ownTags).toContain("connect.facebook.net");
    expect(ownTags).toContain("googletagmanager.com");
    // The container script carries no vendor code: it loads the tags on the first pixel.
    for (const host of ["connect.facebook.net", "googletagmanager.com", "analytics.tiktok.com"]) expect(generic).not.toContain(host);
    expect(own).not.toContain("pushState");
    expect(own.length).toBeLessThan(generic.length);
    // One bundle per feature set, built once.
    expect(await runtimeBundle(featuresOf(compileConfig(s, target)))).toBe(own);
  }, 60_000); // bundles built (esbuild, then terser): seconds on a loaded machine

  test("the container script pins its tags script by URL and SHA-384; without pixels to fire it has none", async () => {
    const s = validSnapshot();
    const url = (hash: string) => `https://t.example.com/c/tp_key.${hash}.js`;
    const { script, tags } = await buildScripts(s, target, url);
    expect(tags!.body).toBe(await tagsBundle(featuresOf(compileConfig(s, target))));
    expect(tags!.hash).toBe(crypto.createHash("sha256").update(tags!.body).digest("hex"));
    expect(tags!.integrity).toBe(`sha384-${crypto.createHash("sha384").update(tags!.body).digest("base64")}`);
    expect(script.body).toContain(`"${url(tags!.hash)}","${tags!.integrity}"`);
    const config = compileConfig(s, { ...target, tags: [url(tags!.hash), tags!.integrity] });
    expect(config[11]).toEqual([url(tags!.hash), tags!.integrity]);
    expect(config.length).toBe(12);
    // A staging environment never fires production pixels: no tags script at all.
    const staging = await buildScripts(s, { ...target, environment: { ...target.environment, kind: "staging" } }, url);
    expect(staging.tags).toBeNull();
    expect(staging.script.body).not.toContain("sha384-");
    // Neither does a container without browser destinations.
    expect((await buildScripts({ ...s, destinations: [] }, target, url)).tags).toBeNull();
  }, 60_000);

  test("the container and tags scripts ask V8 to compile every function with the script (one parse, not a preparse and a second parse per call); the preview panel does not", async () => {
    const s = validSnapshot();
    const { script, tags } = await buildScripts(s, target, (hash) => `https://t.example.com/c/tp_key.${hash}.js`);
    // At the top of the script, where V8's documentation puts it; a line of its own.
    expect(script.body.startsWith("//# allFunctionsCalledOnLoad\n")).toBe(true);
    expect(tags!.body.startsWith("//# allFunctionsCalledOnLoad\n")).toBe(true);
    expect((await previewBundle()).includes("allFunctionsCalledOnLoad")).toBe(false);
  }, 60_000);
});

describe("the preview panel's sentences", () => {
  const snapshot: Snapshot = validSnapshot();
  const config: RuntimeConfig = compileConfig(snapshot, target);
  const names = compileNames(snapshot, { ...target, version: 3 });

  test("a trigger: each condition with the value it saw, and what blocked it", () => {
    expect(explain([Rec.trigger, 0, "purchase", false, ["/checkout/thanks", 0], [1], false], config, names)).toEqual({
      title: "✗ trigger Purchase push on purchase",
      lines: ['✓ page_path regex "^/checkout/thanks" (was "/checkout/thanks")', '✗ variable DL value gt "0" (was 0)', "blocked by Internal traffic"],
      ok: false,
    });
    expect(explain([Rec.trigger, 1, undefined, true, ["staging.shop"], [], true], config, names).title).toBe("✓ trigger Internal traffic on page_view");
  });

  test("a regex that does not compile says why", () => {
    const broken = structuredClone(config);
    broken[7][0][2]![0][2] = "(unclosed";
    expect(explain([Rec.trigger, 0, "purchase", false, ["/x"], [], false], broken, names).lines[0]).toMatch(/^✗ page_path regex "\(unclosed" \(was "\/x"\) bad regex: /);
  });

  test("a conversion: its id, parameters, each pixel, the collector, and validation problems", () => {
    expect(explain([Rec.event, 0, "order-1", { value: 5 }, [], true, [[0], [1, "boom"]], false], config, names)).toEqual({
      title: "✓ purchase",
      lines: ["event_id order-1", 'params {"value":5}', "→ fbq Purchase (Meta)", "✗ GA4: boom", "→ collector"],
      ok: true,
    });
    expect(explain([Rec.event, 0, "r1", {}, ["order_id is required"], true, [], false], config, names)).toEqual({
      title: "✗ purchase",
      lines: ["event_id r1", "params {}", "→ collector", "invalid: order_id is required"],
      ok: false,
    });
    expect(explain([Rec.event, 0, "r2", {}, [], false, [], false], config, names).lines).toContain("pixels not fired: consent denied");
    const staging = structuredClone(config);
    staging[1] = 0;
    expect(explain([Rec.event, 0, "r3", {}, [], true, [], false], staging, names).lines).toContain("pixels not fired: non-production environment");
  });

  test("waiting, counted, unknown and swallowed; records of older scripts as they come; no names", () => {
    expect(explain([Rec.waiting, 0, "r", {}], config, names).title).toBe("… purchase waits for consent");
    expect(explain([Rec.counted, 0, "order-1"], config, names)).toEqual({ title: "– purchase already counted", lines: ["event_id order-1 was sent before (once per event id)"], ok: true });
    expect(explain([Rec.unknown, "nope"], config, names)).toEqual({ title: "✗ track nope", lines: ["no such event in this container"], ok: false });
    expect(explain([Rec.error, "x is not a function"], undefined, null)).toEqual({ title: "Tagpipe error (swallowed)", lines: ["x is not a function"], ok: false });
    const old = { title: "✓ purchase", lines: ["→ collector"], ok: true };
    expect(explain(old, config, names)).toBe(old);
    expect(explain([Rec.trigger, 0, "purchase", true, [], [], false], config, null).title).toBe("✓ trigger #0 on purchase");
  });
});

describe("the fixture container", () => {
  test("compiles every trigger and destination", () => {
    const c = compileConfig(fixtureSnapshot(20, 10), target);
    expect(c[7]).toHaveLength(20);
    expect(c[9]).toHaveLength(10);
  });
});
