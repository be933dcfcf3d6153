// GTM import: the parser (both enum spellings, refusals), each variable, trigger and tag
// kind, events and presets, consent, and the report's categories. Each case is written
// in the UI export's spelling (CUSTOM_EVENT, TEMPLATE) and run again in the API's
// (customEvent, template), which must convert the same.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { parseGtmExport } from "../../../lib/gtm/parse";
import { convertGtm, snakeCase } from "../../../lib/gtm/convert";
import { canonical } from "../../../lib/gtm/model";
import { GTM_BUILT_INS } from "../../../lib/gtm/builtins";
import { BUILTINS } from "../../../lib/config/builtins";
import { summarize, type ReportLine } from "../../../lib/gtm/report";
import { planImport } from "../../../lib/config/transfer";
import { ValidationError } from "../../../lib/errors";
import { validSnapshot } from "../../fixtures/snapshot";

type Json = Record<string, unknown>;
const fixture = (name: string): Json => JSON.parse(readFileSync(new URL(`../../fixtures/gtm/${name}`, import.meta.url), "utf8"));

// ---- building small exports in either spelling ------------------------------------------
const T = (key: string, value: string) => ({ type: "TEMPLATE", key, value });
const B = (key: string, value: boolean) => ({ type: "BOOLEAN", key, value: String(value) });
const LIST = (key: string, rows: [string, string][], a = "name", b = "value") => ({ type: "LIST", key, list: rows.map(([x, y]) => ({ type: "MAP", map: [T(a, x), T(b, y)] })) });
const cond = (type: string, arg0: string, arg1: string, extra: { negate?: boolean; ignoreCase?: boolean } = {}) => ({
  type,
  parameter: [T("arg0", arg0), T("arg1", arg1), ...(extra.negate ? [B("negate", true)] : []), ...(extra.ignoreCase ? [B("ignore_case", true)] : [])],
});
const ce = (id: string, name: string, event: string, filter: Json[] = []) => ({ triggerId: id, name, type: "CUSTOM_EVENT", customEventFilter: [cond("EQUALS", "{{_event}}", event)], filter });
const dlv = (id: string, name: string, path: string) => ({ variableId: id, name, type: "v", parameter: [{ type: "INTEGER", key: "dataLayerVersion", value: "2" }, T("name", path)] });

function ui(version: Json): Json {
  return { exportFormatVersion: 2, containerVersion: { container: { publicId: "GTM-TEST", name: "test", usageContext: ["WEB"] }, ...version } };
}

/** The API's spelling of a UI export: every enum value camelCase. */
function apiSpelling(value: unknown, key = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => apiSpelling(v, key));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, apiSpelling(v, k)]));
  if (typeof value === "string" && ["type", "consentStatus", "tagFiringOption", "usageContext"].includes(key) && !/[a-z]/.test(value)) return canonical(value);
  return value;
}

/** Converts in both spellings, checks they agree, and answers the UI one. */
function convert(version: Json) {
  const a = convertGtm(parseGtmExport(ui(version)));
  const b = convertGtm(parseGtmExport(apiSpelling(ui(version))));
  expect(b).toEqual(a);
  return a;
}
const line = (report: ReportLine[], name: string) => {
  const found = report.find((l) => l.name === name);
  expect(found, `report line ${name}`).toBeDefined();
  return found!;
};

describe("the built-in table", () => {
  test("every GTM built-in with a Tagpipe value names a built-in of the catalogue", () => {
    const keys = new Set(BUILTINS.map((b) => b.key));
    for (const [name, b] of Object.entries(GTM_BUILT_INS)) if (b.builtin) expect(keys.has(b.builtin), name).toBe(true);
  });

  test("built-ins as parameter values map to Tagpipe's built-in variables", () => {
    const { file } = convert({
      trigger: [ce("1", "Lead", "generate_lead", [cond("CONTAINS", "{{Referrer}}", "google.")])],
      tag: [{ tagId: "1", name: "Meta lead", type: "html", parameter: [T("html", "<script>fbq('init', '1234567');fbq('track', 'Lead', { value: {{Event}} });</script>")], firingTriggerId: ["1"] }],
    });
    expect(file.triggers[0]).toMatchObject({ conditions: [{ source: "variable", key: "builtin:referrer", operator: "contains", value: "google." }] });
    expect(file.events[0]).toMatchObject({ event: "lead", mappings: { value: "builtin:event_name" } });
  });
});

describe("parseGtmExport", () => {
  test("reads both spellings into one", () => {
    expect(canonical("CUSTOM_EVENT")).toBe("customEvent");
    expect(canonical("MATCH_REGEX")).toBe("matchRegex");
    expect(canonical("GREATER_OR_EQUALS")).toBe("greaterOrEquals");
    expect(canonical("TRIGGER_REFERENCE")).toBe("triggerReference");
    expect(canonical("customEvent")).toBe("customEvent");
    const file = ui({ trigger: [ce("1", "p", "purchase")], tag: [{ tagId: "1", name: "x", type: "gaawe", parameter: [LIST("eventParameters", [["value", "1"]])], consentSettings: { consentStatus: "NEEDED", consentType: { type: "LIST", list: [{ type: "TEMPLATE", value: "ad_storage" }] } } }] });
    const parsed = parseGtmExport(file);
    expect(parsed.triggers[0]).toMatchObject({ type: "customEvent", customEventFilter: [{ type: "equals", arg0: "{{_event}}", arg1: "purchase" }] });
    expect(parsed.tags[0].parameter[0]).toMatchObject({ type: "list", list: [{ type: "map" }] });
    expect(parsed.tags[0].consent).toEqual({ status: "needed", types: ["ad_storage"] });
    expect(parseGtmExport(apiSpelling(file))).toEqual(parsed);
  });

  test.each([
    ["a list", [], ""],
    ["JSON that is not a GTM export", { format: "tagpipe.container" }, ""],
    ["another export format", { exportFormatVersion: 1, containerVersion: {} }, "exportFormatVersion"],
    ["no containerVersion", { exportFormatVersion: 2 }, "containerVersion"],
    ["a server container", { exportFormatVersion: 2, containerVersion: { container: { usageContext: ["SERVER"] } } }, "containerVersion.container.usageContext"],
    ["an app container", { exportFormatVersion: 2, containerVersion: { container: { usageContext: ["ANDROID_SDK_5"] } } }, "containerVersion.container.usageContext"],
    ["tags that are not a list", { exportFormatVersion: 2, containerVersion: { tag: {} } }, "containerVersion.tag"],
    ["a trigger that is not an object", { exportFormatVersion: 2, containerVersion: { trigger: [ce("1", "a", "b"), "nope"] } }, "containerVersion.trigger.1"],
  ])("refuses %s, naming the field", (_, file, path) => {
    let error: unknown;
    try {
      parseGtmExport(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).status).toBe(422);
    expect((error as ValidationError).fields[0].path).toBe(path);
  });

  test("the server container's refusal says why", () => {
    expect(() => parseGtmExport({ exportFormatVersion: 2, containerVersion: { container: { usageContext: ["server"] } } })).toThrow(/server container/);
  });
});

describe("variables", () => {
  const variables = [
    { ...dlv("1", "DLV value", "ecommerce.value"), parameter: [T("name", "ecommerce.value"), B("setDefaultValue", true), T("defaultValue", "0")] },
    { variableId: "2", name: "Const", type: "c", parameter: [T("value", "EUR")] },
    { variableId: "3", name: "Cookie fbp", type: "k", parameter: [T("name", "_fbp"), B("decodeCookie", true)] },
    { variableId: "4", name: "Cookie raw", type: "k", parameter: [T("name", "raw")] },
    { variableId: "5", name: "Query utm", type: "u", parameter: [T("component", "QUERY"), T("queryKey", "utm_source")] },
    { variableId: "6", name: "URL path", type: "u", parameter: [T("component", "PATH")] },
    { variableId: "7", name: "URL port", type: "u", parameter: [T("component", "PORT")] },
    { variableId: "8", name: "DOM total", type: "d", parameter: [T("selectorType", "CSS"), T("elementSelector", "#total"), T("attributeName", "data-v")] },
    { variableId: "9", name: "Lookup", type: "smm", parameter: [T("input", "{{Const}}"), { type: "LIST", key: "map", list: [{ type: "MAP", map: [T("key", "EUR"), T("value", "eu")] }] }, B("setDefaultValue", true), T("defaultValue", "x")] },
    { variableId: "10", name: "Regex", type: "remm", parameter: [T("input", "{{DLV value}}"), B("fullMatch", true), { type: "LIST", key: "map", list: [{ type: "MAP", map: [T("key", "^10\\.5$"), T("value", "a")] }, { type: "MAP", map: [T("key", "^(1|2)$"), T("value", "b")] }] }] },
    { variableId: "11", name: "JS", type: "jsm", parameter: [T("javascript", "function(){return 1}")] },
    { variableId: "12", name: "Weird", type: "xyz", parameter: [] },
    { variableId: "13", name: "Indexed", type: "v", parameter: [T("name", "items.0.price")] },
    { variableId: "14", name: "Lookup on a built-in", type: "smm", parameter: [T("input", "{{Page Path}}"), { type: "LIST", key: "map", list: [{ type: "MAP", map: [T("key", "/"), T("value", "home")] }] }] },
  ];
  const { file, report } = convert({ variable: variables });
  const v = (name: string) => file.variables.find((x) => x.name === name) as Json | undefined;

  test("data layer, constant, cookie, URL query, DOM element", () => {
    expect(v("DLV value")).toMatchObject({ kind: "data_layer", path: "ecommerce.value", defaultValue: "0" });
    expect(v("Const")).toMatchObject({ kind: "constant", value: "EUR" });
    expect(v("Cookie fbp")).toMatchObject({ kind: "cookie", key: "_fbp" });
    expect(line(report, "Cookie fbp").status).toBe("imported");
    expect(line(report, "Cookie raw").status).toBe("converted");
    expect(v("Query utm")).toMatchObject({ kind: "url_query", key: "utm_source" });
    expect(v("DOM total")).toMatchObject({ kind: "dom", selector: "#total", attribute: "data-v" });
  });

  test("URL path becomes a condition source; other URL parts are not importable", () => {
    expect(v("URL path")).toBeUndefined();
    expect(line(report, "URL path")).toMatchObject({ status: "converted", becomes: ["condition source: page_path", "built-in: builtin:page_path"] });
    expect(line(report, "URL port").status).toBe("not_importable");
  });

  test("lookup and regex tables become lookups", () => {
    expect(v("Lookup")).toMatchObject({ kind: "lookup", inputVariable: "Const", entries: [{ key: "EUR", value: "eu" }], defaultValue: "x" });
    expect(v("Regex")).toMatchObject({ kind: "lookup", inputVariable: "DLV value", entries: [{ key: "10.5", value: "a" }] });
    expect(line(report, "Regex").status).toBe("converted");
    expect(line(report, "Regex").notes.join(" ")).toContain('row "^(1|2)$" dropped');
    expect(line(report, "Lookup on a built-in").status).toBe("not_importable");
  });

  test("Custom JavaScript, unknown types and unreadable paths are not importable, with the reason", () => {
    expect(line(report, "JS")).toMatchObject({ status: "not_importable", notes: [expect.stringMatching(/Custom JavaScript/)] });
    expect(line(report, "Weird")).toMatchObject({ status: "not_importable", notes: [expect.stringMatching(/"xyz"/)] });
    expect(line(report, "Indexed")).toMatchObject({ status: "not_importable", notes: [expect.stringMatching(/items\[\]\.price/)] });
  });

  test("built-in variables are each reported", () => {
    const { report } = convert({ builtInVariable: [{ type: "PAGE_PATH", name: "Page Path" }, { type: "REFERRER", name: "Referrer" }, { type: "CLICK_URL", name: "Click URL" }] });
    expect(report.map((l) => [l.name, l.status])).toEqual([
      ["Page Path", "imported"],
      ["Referrer", "imported"],
      ["Click URL", "imported"],
    ]);
  });
});

describe("triggers", () => {
  const variable = [dlv("1", "DLV value", "ecommerce.value"), dlv("2", "DLV coupon", "ecommerce.coupon")];
  const trigger = [
    ce("1", "Purchase", "purchase", [
      cond("EQUALS", "{{Page Hostname}}", "shop.example.com"),
      cond("CONTAINS", "{{Page URL}}", "thanks", { ignoreCase: true }),
      cond("STARTS_WITH", "{{Page Path}}", "/checkout"),
      cond("ENDS_WITH", "{{Page Path}}", "/done", { negate: true }),
      cond("MATCH_REGEX", "{{DLV coupon}}", "^VIP", { negate: true, ignoreCase: true }),
      cond("GREATER", "{{DLV value}}", "0"),
      cond("LESS_OR_EQUALS", "{{DLV value}}", "10000"),
    ]),
    { triggerId: "2", name: "Regex event", type: "CUSTOM_EVENT", customEventFilter: [cond("MATCH_REGEX", "{{_event}}", "^sign_up$")] },
    { triggerId: "3", name: "Many events", type: "CUSTOM_EVENT", customEventFilter: [cond("MATCH_REGEX", "{{_event}}", "^(a|b)$")] },
    { triggerId: "4", name: "PV", type: "PAGEVIEW" },
    { triggerId: "5", name: "DOM", type: "DOM_READY" },
    { triggerId: "6", name: "Loaded", type: "WINDOW_LOADED" },
    { triggerId: "7", name: "Buy button", type: "CLICK", filter: [cond("CSS_SELECTOR", "{{Click Element}}", "button.buy, button.buy *")] },
    { triggerId: "8", name: "Wishlist", type: "CLICK", filter: [cond("CONTAINS", "{{Click Classes}}", "wishlist"), cond("EQUALS", "{{Click ID}}", "w1", { negate: true })] },
    { triggerId: "9", name: "Partner link", type: "LINK_CLICK", filter: [cond("STARTS_WITH", "{{Click URL}}", "https://partner.example/")] },
    { triggerId: "10", name: "Contact form", type: "FORM_SUBMISSION", filter: [cond("EQUALS", "{{Form ID}}", "contact")] },
    { triggerId: "11", name: "SPA", type: "HISTORY_CHANGE" },
    { triggerId: "12", name: "Timer", type: "TIMER" },
    { triggerId: "13", name: "Group", type: "TRIGGER_GROUP" },
    { triggerId: "14", name: "Click text", type: "CLICK", filter: [cond("EQUALS", "{{Click Text}}", "Buy")] },
    { triggerId: "15", name: "Scroll", type: "SCROLL_DEPTH" },
  ];
  const { file, report } = convert({ variable, trigger });
  const t = (name: string) => file.triggers.find((x) => x.name === name) as Json | undefined;

  test("custom event with each comparison, negate and ignore case", () => {
    expect(t("Purchase")).toMatchObject({
      type: "data_layer_event",
      eventName: "purchase",
      conditions: [
        { source: "hostname", operator: "equals", value: "shop.example.com", negate: false, ignoreCase: false },
        { source: "page_url", operator: "contains", value: "thanks", ignoreCase: true },
        { source: "page_path", operator: "starts_with", value: "/checkout" },
        { source: "page_path", operator: "ends_with", value: "/done", negate: true },
        { source: "data_layer", key: "ecommerce.coupon", operator: "regex", value: "^VIP", negate: true, ignoreCase: true },
        { source: "data_layer", key: "ecommerce.value", operator: "gt", value: "0" },
        { source: "data_layer", key: "ecommerce.value", operator: "lte", value: "10000" },
      ],
    });
    expect(line(report, "Purchase").status).toBe("imported");
  });

  test("an anchored event regex is the event's name; alternatives are not importable", () => {
    expect(t("Regex event")).toMatchObject({ type: "data_layer_event", eventName: "sign_up" });
    expect(line(report, "Regex event").status).toBe("converted");
    expect(line(report, "Many events").status).toBe("not_importable");
  });

  test("page view, DOM ready and window loaded are page views", () => {
    for (const name of ["PV", "DOM", "Loaded"]) expect(t(name)).toMatchObject({ type: "page_view" });
    expect(line(report, "PV").status).toBe("imported");
    expect(line(report, "DOM").status).toBe("converted");
  });

  test("click, link click and form submission conditions become CSS selectors", () => {
    expect(t("Buy button")).toMatchObject({ type: "click", selector: "button.buy, button.buy *" });
    expect(t("Wishlist")).toMatchObject({ type: "click", selector: ".wishlist:not(#w1)" });
    expect(t("Partner link")).toMatchObject({ type: "click", selector: 'a[href^="https://partner.example/"]' });
    expect(t("Contact form")).toMatchObject({ type: "form_submit", selector: "form#contact" });
    expect(t("SPA")).toMatchObject({ type: "history_change" });
  });

  test("a GTM built-in without a trigger form compares Tagpipe's built-in variable", () => {
    expect(t("Click text")).toMatchObject({ type: "click", selector: "*", conditions: [{ source: "variable", key: "builtin:click_text", operator: "equals", value: "Buy" }] });
  });

  test("timers, trigger groups and scroll depth are reported, not imported", () => {
    for (const name of ["Timer", "Group", "Scroll"]) {
      expect(line(report, name).status).toBe("not_importable");
      expect(t(name)).toBeUndefined();
    }
    expect(line(report, "Group").notes[0]).toMatch(/trigger group/);
  });
});

describe("tags, events and destinations", () => {
  const base = {
    variable: [dlv("1", "DLV value", "ecommerce.value"), dlv("2", "DLV currency", "ecommerce.currency"), dlv("3", "DLV order", "ecommerce.transaction_id"), dlv("4", "DLV items", "ecommerce.items"), { variableId: "5", name: "GA4 ID", type: "c", parameter: [T("value", "G-ABC1234")] }],
    trigger: [ce("1", "CE purchase", "purchase"), ce("2", "CE newsletter", "newsletterSignup"), ce("3", "Block test", "purchase", [cond("STARTS_WITH", "{{DLV order}}", "test-")]), ce("4", "CE lead", "generate_lead")],
    customTemplate: [
      { templateId: "31", name: "Facebook Pixel", galleryReference: { host: "github.com", owner: "facebookarchive", repository: "GoogleTagManager-WebTemplate-For-FacebookPixel" } },
      { templateId: "32", name: "TikTok Pixel", galleryReference: { host: "github.com", owner: "tiktok", repository: "gtm-template-pixel" } },
      { templateId: "33", name: "Some vendor", galleryReference: { host: "github.com", owner: "somebody", repository: "some-template" } },
    ],
  };
  const tags = [
    { tagId: "1", name: "Google tag", type: "googtag", parameter: [T("tagId", "{{GA4 ID}}")], firingTriggerId: ["2147479573"] },
    {
      tagId: "2",
      name: "GA4 purchase",
      type: "gaawe",
      parameter: [T("eventName", "purchase"), { type: "TAG_REFERENCE", key: "measurementId", value: "Google tag" }, LIST("eventParameters", [["value", "{{DLV value}}"], ["currency", "{{DLV currency}}"], ["transaction_id", "{{DLV order}}"], ["items", "{{DLV items}}"], ["coupon", "SUMMER"]]), LIST("userProperties", [["tier", "gold"]])],
      firingTriggerId: ["1"],
      blockingTriggerId: ["3"],
      consentSettings: { consentStatus: "NEEDED", consentType: { type: "LIST", list: [{ type: "TEMPLATE", value: "analytics_storage" }] } },
    },
    { tagId: "3", name: "GA4 newsletter", type: "gaawe", parameter: [T("eventName", "newsletterSignup"), T("measurementIdOverride", "G-ABC1234")], firingTriggerId: ["2"] },
    { tagId: "4", name: "Ads purchase", type: "awct", parameter: [T("conversionId", "123456789"), T("conversionLabel", "AbC123"), T("conversionValue", "{{DLV value}}"), T("currencyCode", "{{DLV currency}}"), T("orderId", "{{DLV order}}")], firingTriggerId: ["1"], blockingTriggerId: ["3"] },
    { tagId: "5", name: "Meta purchase", type: "cvt_1_31", parameter: [T("pixelId", "1234567890"), T("eventName", "standard"), T("standardEventName", "Purchase"), LIST("objectPropertyList", [["value", "{{DLV value}}"], ["currency", "{{DLV currency}}"]])], firingTriggerId: ["1"], blockingTriggerId: ["3"], consentSettings: { consentStatus: "NEEDED", consentType: { type: "LIST", list: [{ type: "TEMPLATE", value: "ad_storage" }] } } },
    { tagId: "6", name: "TikTok purchase", type: "cvt_1_32", parameter: [T("pixelId", "CTIKTOK1234567"), T("event", "CompletePayment")], firingTriggerId: ["1"], blockingTriggerId: ["3"] },
    { tagId: "7", name: "Meta lead (HTML)", type: "html", parameter: [T("html", "<script>\n  fbq('init', '998877665544');\n  fbq('track', 'Lead', {value: 10, currency: 'EUR'});\n</script>")], firingTriggerId: ["4"] },
    { tagId: "8", name: "TikTok lead (HTML)", type: "html", parameter: [T("html", "<script>ttq.load('CTIKTOK1234567'); ttq.track('SubmitForm', { value: {{DLV value}} });</script>")], firingTriggerId: ["4"] },
    { tagId: "9", name: "HTML with more code", type: "html", parameter: [T("html", "<script>fbq('track', 'Lead'); document.cookie = 'x=1';</script>")], firingTriggerId: ["4"] },
    { tagId: "10", name: "UA", type: "ua", parameter: [], firingTriggerId: ["2147479553"] },
    { tagId: "11", name: "Vendor", type: "cvt_1_33", parameter: [], firingTriggerId: ["1"] },
    { tagId: "12", name: "Paused", type: "gaawe", parameter: [T("eventName", "x"), T("measurementIdOverride", "G-ABC1234")], firingTriggerId: ["1"], paused: true },
  ];
  const { file, report } = convert({ ...base, tag: tags });
  const event = (name: string) => file.events.find((e) => e.event === name) as Json | undefined;
  const dest = (name: string) => file.destinations.find((d) => d.name === name) as Json | undefined;

  test("GA4 event tags: measurement id through the Google tag, parameters mapped, the rest reported", () => {
    expect(dest("GA4 G-ABC1234")).toMatchObject({ platform: "ga4", ids: { measurementId: "G-ABC1234" }, events: [{ event: "page_view" }, { event: "purchase" }, { event: "newsletter_signup", name: "newsletterSignup" }] });
    expect(event("purchase")).toMatchObject({ mappings: { value: "DLV value", currency: "DLV currency", order_id: "DLV order", contents: "DLV items", content_ids: "builtin:ecommerce_item_ids" } });
    const notes = line(report, "GA4 purchase").notes.join("\n");
    expect(notes).toMatch(/parameter coupon is not sent/);
    expect(notes).toMatch(/user properties \(tier\)/);
    expect(line(report, "GA4 purchase").becomes).toEqual(["event: purchase", "destination: GA4 G-ABC1234"]);
  });

  test("the Google tag sends the page view", () => {
    expect(event("page_view")).toMatchObject({ triggers: ["All Pages"] });
    expect(line(report, "Google tag").status).toBe("converted");
  });

  test("standard GA4 names become presets; others snake_case plan events", () => {
    expect(file.planEvents.map((p) => (p as Json).name)).toEqual(["page_view", "purchase", "newsletter_signup", "lead"]);
    expect(file.planEvents[1]).toMatchObject({ name: "purchase", platformNames: { meta: "Purchase", tiktok: "CompletePayment", ga4: "purchase" } });
    expect(snakeCase("newsletterSignup")).toBe("newsletter_signup");
    expect(snakeCase("Add To Cart")).toBe("add_to_cart");
    expect(snakeCase("1st visit")).toBe("e_1st_visit");
  });

  test("blocking triggers on tags become blocking triggers", () => {
    expect(event("purchase")).toMatchObject({ triggers: ["CE purchase (unless Block test)"] });
    expect(file.triggers.find((t) => t.name === "CE purchase (unless Block test)")).toMatchObject({ type: "data_layer_event", eventName: "purchase", blockingTriggers: ["Block test"] });
  });

  test("Google Ads conversion tracking", () => {
    expect(dest("Google Ads AW-123456789 AbC123")).toMatchObject({ platform: "google_ads", ids: { conversionId: "AW-123456789", conversionLabel: "AbC123" }, events: [{ event: "purchase" }] });
    expect(line(report, "Ads purchase").notes.join()).toMatch(/Customer ID/);
  });

  test("Meta and TikTok community templates, recognized by their gallery reference", () => {
    expect(dest("Meta 1234567890")).toMatchObject({ platform: "meta", ids: { pixelId: "1234567890" }, events: [{ event: "purchase" }] });
    expect(dest("TikTok CTIKTOK1234567")).toMatchObject({ platform: "tiktok", ids: { pixelCode: "CTIKTOK1234567" }, events: [{ event: "purchase" }, { event: "lead" }] });
    expect(line(report, "Vendor")).toMatchObject({ status: "not_importable", notes: [expect.stringMatching(/somebody\/some-template/)] });
  });

  test("Custom HTML with plain fbq / ttq calls becomes destinations, marked converted", () => {
    expect(dest("Meta 998877665544")).toMatchObject({ platform: "meta", events: [{ event: "lead" }] });
    expect(line(report, "Meta lead (HTML)")).toMatchObject({ status: "converted", becomes: ["event: lead", "destination: Meta 998877665544"] });
    expect(event("lead")).toMatchObject({ mappings: { value: "Constant 10", currency: "Constant EUR" } });
    expect(line(report, "TikTok lead (HTML)").notes.join()).toMatch(/parameter value keeps Constant 10/);
    expect(line(report, "HTML with more code")).toMatchObject({ status: "not_importable", notes: [expect.stringMatching(/code beside its pixel calls/)] });
  });

  test("Universal Analytics and paused tags are not importable", () => {
    expect(line(report, "UA").notes[0]).toMatch(/Universal Analytics/);
    expect(line(report, "Paused").notes[0]).toMatch(/paused/);
  });

  test("consent settings: kept with the destination, and a different consent is a change", () => {
    expect(dest("GA4 G-ABC1234")?.description).toMatch(/analytics_storage/);
    expect(line(report, "GA4 purchase").notes.join()).toMatch(/GTM waited for analytics_storage/);
    expect(line(report, "Meta purchase").notes.join()).toMatch(/consent: ad_storage, as Tagpipe requires/);
  });

  test("the converted file passes Tagpipe's own import checks", () => {
    const plan = planImport(file, { ...validSnapshot(), events: [], triggers: [], variables: [], destinations: [] }, []);
    expect(plan.destinations.map((d) => d.definition.platform).sort()).toEqual(["ga4", "google_ads", "meta", "meta", "tiktok"]);
  });
});

describe("the report", () => {
  test.each(["shop-ui-export.json", "api-spelling-export.json", "hostile-export.json"])("%s: every tag, trigger, variable and built-in has one line, and the file imports", (name) => {
    const raw = fixture(name);
    const gtm = parseGtmExport(raw);
    const { file, report } = convertGtm(gtm);
    const ids = (entity: ReportLine["entity"]) => report.filter((l) => l.entity === entity).map((l) => l.gtmId);
    expect(ids("tag")).toEqual(gtm.tags.map((t) => t.id));
    expect(ids("trigger")).toEqual(gtm.triggers.map((t) => t.id));
    expect(ids("variable").sort()).toEqual(gtm.variables.map((v) => v.id).sort());
    expect(ids("built_in")).toEqual(gtm.builtIns.map((b) => b.type));
    for (const l of report) {
      expect(["imported", "converted", "not_importable"]).toContain(l.status);
      if (l.status !== "imported") expect(l.notes.length, `${l.name} says why`).toBeGreaterThan(0);
      if (l.status === "not_importable") expect(l.becomes).toEqual([]);
    }
    expect(() => planImport(file, { ...validSnapshot(), events: [], triggers: [], variables: [], destinations: [] }, [])).not.toThrow();
  });

  test("the shop container: 31 tags, counted by category", () => {
    const { report, file } = convertGtm(parseGtmExport(fixture("shop-ui-export.json")));
    const tags = report.filter((l) => l.entity === "tag");
    expect(summarize(tags)).toEqual({ imported: 0, converted: 25, not_importable: 6 });
    expect(file.destinations.map((d) => d.name)).toEqual(["GA4 G-SHOP12345", "Meta 123456789012345", "TikTok CSHOPTIKTOK12345", "Google Ads AW-987654321 PuRcHaSe01", "Google Ads AW-987654321 LeAd0002"]);
    expect(file.events.map((e) => e.event)).toEqual(["page_view", "view_item", "add_to_cart", "begin_checkout", "add_payment_info", "purchase", "search", "sign_up", "lead"]);
  });

  test("the API-spelling container converts its enums", () => {
    const { file, report } = convertGtm(parseGtmExport(fixture("api-spelling-export.json")));
    expect(file.triggers.find((t) => t.name === "lead regex")).toMatchObject({ eventName: "generate_lead", conditions: expect.arrayContaining([expect.objectContaining({ source: "data_layer", key: "ecommerce.coupon", operator: "regex", negate: true, ignoreCase: true })]) });
    expect(file.triggers.find((t) => t.name === "newsletter form")).toMatchObject({ type: "form_submit", selector: "form.newsletter" });
    expect(line(report, "Ads lead").becomes).toEqual(["event: lead", "destination: Google Ads AW-555444333 abcDEF123"]);
    expect(file.triggers.find((t) => t.name === "lead regex (once per page)")).toMatchObject({ fireLimit: "once_per_page" });
  });

  test("the hostile container: refused parts are reported, nothing executable passes", () => {
    const { file, report } = convertGtm(parseGtmExport(fixture("hostile-export.json")));
    expect(line(report, "pixel and more")).toMatchObject({ status: "not_importable" });
    expect(line(report, "computed params")).toMatchObject({ status: "not_importable", notes: [expect.stringMatching(/computed by code/)] });
    expect(line(report, "Meta from a lookalike template").status).toBe("not_importable");
    expect(line(report, "__proto__").entity).toBe("variable");
    expect(report.filter((l) => l.entity === "tag" && l.name === "__proto__")[0].status).toBe("not_importable");
    expect(JSON.stringify(file)).not.toMatch(/evil\.example|fetch\(|eval\(/);
    for (const d of file.destinations) for (const id of Object.values(d.ids as Record<string, string>)) expect(id).toMatch(/^[A-Za-z0-9-]*$/);
    expect(Object.prototype).not.toHaveProperty("polluted");
  });
});
