// The tracking-plan document's wording and its Markdown and HTML renderings: triggers and
// variables in plain words, tables that survive pipes and line breaks, HTML that escapes
// what people typed.
import { describe, expect, it } from "vitest";
import { triggerInWords, variableInWords, conditionInWords } from "@/lib/docs/words";
import { toHtml, toMarkdown, changeInWords } from "@/lib/docs/render";
import { triggerDefinition, variableDefinition, condition } from "@/lib/schemas/config";
import type { TrackingPlanDoc } from "@/lib/docs/tracking-plan";

const names = (id: string) => ({ t1: "Cart viewed", v1: "order total" })[id] ?? "?";

describe("triggers and variables in words", () => {
  it.each([
    [{ type: "data_layer_event", eventName: "purchase" }, 'When the data layer receives the event "purchase"'],
    [{ type: "page_view", conditions: [{ source: "page_path", operator: "starts_with", value: "/thanks" }] }, 'On every page view and the page path starts with "/thanks"'],
    [{ type: "click", selector: "button.buy", fireLimit: "once_per_page" }, "When an element matching button.buy is clicked, at most once per page"],
    [{ type: "form_submit", selector: "#signup", blockingTriggerIds: ["t1"] }, "When a form matching #signup is submitted, unless Cart viewed fired"],
    [
      { type: "data_layer_event", eventName: "purchase", conditions: [{ source: "variable", key: "v1", operator: "gt", value: "10" }, { source: "hostname", operator: "equals", value: "shop.example", negate: true }] },
      'When the data layer receives the event "purchase" and the variable order total is greater than 10 and the hostname is not "shop.example"',
    ],
  ])("%j", (definition, words) => {
    expect(triggerInWords(triggerDefinition.parse(definition), names, names)).toBe(words);
  });

  it("says case-insensitive and negated comparisons", () => {
    expect(conditionInWords(condition.parse({ source: "data_layer", key: "ecommerce.coupon", operator: "contains", value: "VIP", negate: true, ignoreCase: true }), names)).toBe(
      'the data layer\'s ecommerce.coupon does not contain "VIP" (in any case)',
    );
  });

  it.each([
    [{ kind: "data_layer", path: "ecommerce.value" }, "data layer ecommerce.value"],
    [{ kind: "url_query", key: "utm_source", defaultValue: "direct" }, 'URL query parameter utm_source (default "direct")'],
    [{ kind: "dom", selector: "#total", attribute: "data-value" }, "attribute data-value of the page element #total"],
    [{ kind: "constant", value: "EUR" }, 'the constant "EUR"'],
    [{ kind: "lookup", inputVariableId: "v1", entries: [{ key: "a", value: "b" }] }, "a lookup table on order total"],
  ])("%j", (definition, words) => {
    expect(variableInWords(variableDefinition.parse(definition), names)).toBe(words);
  });
});

const doc: TrackingPlanDoc = {
  site: { id: "s1", name: "Shop <One>", hostnames: ["shop.example"] },
  container: { id: "c1", name: "Shop container" },
  generatedAt: new Date("2026-12-05T10:00:00Z"),
  events: [
    {
      id: "e1",
      name: "purchase",
      description: "A paid order | with a pipe\nand a line break",
      enabled: true,
      owner: "Ada <admin>",
      parameters: [
        { name: "value", type: "number", required: true, source: "order total: data layer ecommerce.value" },
        { name: "coupon", type: "string", required: false, source: null },
      ],
      userData: [{ field: "email", source: "email: data layer user.email" }],
      triggers: [{ name: "purchase pushed", words: 'When the data layer receives the event "purchase"' }],
      destinations: [{ name: "Meta pixel", platform: "Meta", eventName: "Purchase" }],
      lastChange: { at: new Date("2026-12-04T09:30:00Z"), by: "Ada Lovelace", action: "update" },
    },
  ],
  unowned: [{ kind: "trigger", name: "purchase pushed" }],
};

describe("toMarkdown", () => {
  const md = toMarkdown(doc);

  it("has a section per event with its parameters, triggers, destinations, owner and last change", () => {
    expect(md).toContain("## purchase");
    expect(md).toContain("| value | number | yes | order total: data layer ecommerce.value |");
    expect(md).toContain("| coupon | string | no | not mapped |");
    expect(md).toContain('- **purchase pushed**: When the data layer receives the event "purchase"');
    expect(md).toContain("| Meta pixel | Meta | Purchase |");
    expect(md).toContain("- Owner: Ada <admin>");
    expect(md).toContain("- Last change: changed 2026-12-04 09:30 UTC by Ada Lovelace");
    expect(md).toContain("- email: email: data layer user.email");
  });

  it("keeps a description with a pipe and a line break on one line", () => {
    expect(md).toContain("A paid order \\| with a pipe and a line break");
  });

  it("lists the items without an owner", () => {
    expect(md).toMatch(/## Items without an owner\n\n- trigger: purchase pushed/);
  });
});

describe("toHtml", () => {
  const html = toHtml(doc);

  it("is a standalone page with the same content", () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<h2>purchase</h2>");
    expect(html).toContain("<td>Purchase</td>");
    expect(html).toContain("<li>trigger: purchase pushed</li>");
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it("escapes what people typed", () => {
    expect(html).toContain("<title>Tracking plan: Shop &lt;One&gt;</title>");
    expect(html).toContain("Owner: Ada &lt;admin&gt;");
    expect(html).not.toContain("<admin>");
  });
});

describe("changeInWords", () => {
  it("names the kind of change, when and who", () => {
    expect(changeInWords({ at: new Date("2026-01-02T03:04:00Z"), by: "token ci", action: "create" })).toBe("created 2026-01-02 03:04 UTC by token ci");
    expect(changeInWords(null)).toBe("no recorded change");
  });
});
