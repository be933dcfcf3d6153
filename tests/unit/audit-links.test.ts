// An audit entry's link opens the item at the field the update changed first, named as the
// editors name their fields (data-field), from the entry's before and after.
import { describe, expect, it } from "vitest";
import { changedField } from "@/lib/audit/list";

const trigger = (conditions: object[]) => ({ name: "Purchase", description: "", ownerId: null, definition: { type: "data_layer_event", eventName: "purchase", conditions, fireLimit: "every_time", blockingTriggerIds: [] } });

describe("changedField", () => {
  it.each([
    ["a condition's value", trigger([{ source: "page_path", operator: "gt", value: "0" }, { source: "page_path", operator: "gt", value: "0" }]), trigger([{ source: "page_path", operator: "gt", value: "0" }, { source: "page_path", operator: "gt", value: "10" }]), "conditions.1.value"],
    ["an added condition: its first field", trigger([]), trigger([{ source: "page_path", operator: "equals", value: "/" }]), "conditions.0.source"],
    ["the name before the definition", { ...trigger([]), name: "Old" }, { ...trigger([{ source: "page_path", operator: "equals", value: "/" }]), name: "New" }, "name"],
    ["the owner", trigger([]), { ...trigger([]), ownerId: "u1" }, "ownerId"],
    [
      "a destination's pixel id",
      { name: "Meta", description: "", ownerId: null, definition: { platform: "meta", ids: { pixelId: "1234567" }, events: [] }, secretsSet: ["accessToken"] },
      { name: "Meta", description: "", ownerId: null, definition: { platform: "meta", ids: { pixelId: "7654321" }, events: [] }, secretsSet: ["accessToken"] },
      "ids.pixelId",
    ],
    [
      "a secret replaced (its value is never in the log, its key is)",
      { name: "Meta", description: "", ownerId: null, definition: { platform: "meta", ids: {} }, secretsSet: ["accessToken"] },
      { name: "Meta", description: "", ownerId: null, definition: { platform: "meta", ids: {} }, secretsSet: ["accessToken"], secretsWritten: ["accessToken"] },
      "secrets.accessToken",
    ],
    ["an event's mapping", { event: "purchase", description: "", ownerId: null, definition: { mappings: { value: "v1" } } }, { event: "purchase", description: "", ownerId: null, definition: { mappings: { value: "builtin:ecommerce_value" } } }, "mappings.value"],
    ["a plan event's parameter", { name: "purchase", description: "", ownerId: null, parameters: [{ name: "value" }], platformNames: {} }, { name: "purchase", description: "", ownerId: null, parameters: [{ name: "total" }], platformNames: {} }, "parameters.0.name"],
  ])("%s", (_case, before, after, field) => {
    expect(changedField(before, after)).toBe(field);
  });

  it("nothing changed, or nothing to compare: no field", () => {
    expect(changedField(trigger([]), trigger([]))).toBeUndefined();
    expect(changedField(null, null)).toBeUndefined();
  });
});
