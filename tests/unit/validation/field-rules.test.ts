// The one rule set for fields that must compile or match a platform's format: the API's
// schemas refuse what the editors flag as you type, naming the field as the form does.
import { describe, expect, it } from "vitest";
import { destinationCreate, destinationUpdate, triggerCreate, triggerUpdate } from "@/lib/schemas/config";
import { fieldProblems } from "@/lib/schemas/problems";
import { fieldsMessage } from "@/lib/errors";
import { idProblem, patternProblem } from "@/lib/schemas/field-rules";
import { PLATFORMS } from "@/lib/platforms/registry";

function refusal(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown) {
  const result = schema.safeParse(value);
  expect(result.success, `expected ${JSON.stringify(value)} to be refused`).toBe(false);
  const fields = fieldProblems(result.error as Parameters<typeof fieldProblems>[0]);
  return { fields, message: fieldsMessage(fields) };
}

const trigger = (conditions: object[]) => ({ name: "Purchase", definition: { type: "data_layer_event", eventName: "purchase", conditions } });
const meta = (ids: Record<string, string>) => ({ name: "Meta", definition: { platform: "meta", ids } });

describe("a regex condition's pattern", () => {
  it("that does not compile is refused at save, by field path and in the form's words", () => {
    const { fields, message } = refusal(triggerCreate, trigger([{ source: "page_path", operator: "equals", value: "(" }, { source: "page_path", operator: "regex", value: "^/thanks(" }]));
    expect(fields).toEqual([{ path: "definition.conditions.1.value", where: "Condition 2 value", message: expect.stringMatching(/^the pattern does not compile \(.*Unterminated group\)$/) }]);
    expect(message).toMatch(/^Condition 2 value — the pattern does not compile/);
    expect(message).not.toContain("definition.");
  });

  it("is refused in an update too, and the editor's live check says the same words", () => {
    const condition = { source: "page_url", operator: "regex", value: "[a-" };
    const { fields } = refusal(triggerUpdate, { revision: 1, definition: trigger([condition]).definition });
    expect(fields[0].message).toBe(patternProblem(condition));
  });

  it("that compiles, or a bracket in a non-regex value, is saved", () => {
    expect(triggerCreate.safeParse(trigger([{ source: "page_path", operator: "regex", value: "^/checkout/thanks$" }, { source: "page_path", operator: "contains", value: "(" }])).success).toBe(true);
  });
});

describe("a platform id", () => {
  it("in the wrong format is refused at save, naming the field by its label", () => {
    const { fields, message } = refusal(destinationCreate, meta({ pixelId: "pixel-abc" }));
    expect(fields).toEqual([{ path: "definition.ids.pixelId", where: "Pixel ID", message: "Pixel ID looks wrong: expected digits, from Events Manager" }]);
    expect(message).toBe("Pixel ID looks wrong: expected digits, from Events Manager");
  });

  it("follows each platform's format from the registry, on create and update", () => {
    const ga4 = PLATFORMS.ga4.ids.find((f) => f.key === "measurementId")!;
    const { fields } = refusal(destinationUpdate, { revision: 3, definition: { platform: "ga4", ids: { measurementId: "UA-1234" } } });
    expect(fields).toEqual([{ path: "definition.ids.measurementId", where: ga4.label, message: idProblem(ga4, "UA-1234")! }]);
  });

  it("left empty is saved (a draft may be incomplete; a version asks for it), and a good one is saved", () => {
    expect(destinationCreate.safeParse(meta({})).success).toBe(true);
    expect(destinationCreate.safeParse(meta({ pixelId: "" })).success).toBe(true);
    expect(destinationCreate.safeParse(meta({ pixelId: "123456789012345" })).success).toBe(true);
  });
});
