// The browser and the collector agree on which events are valid: one table of cases,
// judged by the runtime's validate() (what decides whether pixels fire) and by the
// collector's prepareEvent() (what decides whether an event is stored as accepted).
import { describe, expect, test } from "vitest";
import { validate } from "../../../runtime/params";
import { validateParams } from "../../../lib/collector/prepare";
import { problemText } from "../../../lib/validation/params";
import type { RuntimeEvent } from "../../../lib/compiler/runtime-config";

const plan = { required: ["value", "currency", "order_id"], types: { value: "number", currency: "string", order_id: "string", content_ids: "list", gift: "boolean", shipping: "object" } };
const runtimeEvent = (name: string): RuntimeEvent => [name, [], {}, plan.required, plan.types];

/** params → the parameters found wrong (empty: valid). */
const CASES: [string, string, Record<string, unknown>, string[]][] = [
  ["a valid purchase", "purchase", { value: 59.9, currency: "EUR", order_id: "1001", content_ids: ["a", 2] }, []],
  ["value 0 is valid", "purchase", { value: 0, currency: "EUR", order_id: "1" }, []],
  ["a negative value", "purchase", { value: -1, currency: "EUR", order_id: "1" }, ["value"]],
  ["an infinite value", "purchase", { value: Infinity, currency: "EUR", order_id: "1" }, ["value"]],
  ["a value as text", "purchase", { value: "10", currency: "EUR", order_id: "1" }, ["value"]],
  ["no value", "purchase", { currency: "EUR", order_id: "1" }, ["value"]],
  ["a currency ISO 4217 does not know", "purchase", { value: 1, currency: "ABC", order_id: "1" }, ["currency"]],
  ["a currency in lower case", "purchase", { value: 1, currency: "eur", order_id: "1" }, ["currency"]],
  ["an order id as a number (the plan says string)", "purchase", { value: 1, currency: "EUR", order_id: 7 }, ["order_id"]],
  ["an empty order id", "purchase", { value: 1, currency: "EUR", order_id: "" }, ["order_id"]],
  ["a null order id", "purchase", { value: 1, currency: "EUR", order_id: null }, ["order_id"]],
  ["empty content ids", "purchase", { value: 1, currency: "EUR", order_id: "1", content_ids: [] }, ["content_ids"]],
  ["content ids that are objects", "purchase", { value: 1, currency: "EUR", order_id: "1", content_ids: [{ id: 1 }] }, ["content_ids"]],
  ["a boolean as text", "purchase", { value: 1, currency: "EUR", order_id: "1", gift: "yes" }, ["gift"]],
  ["an object as a list", "purchase", { value: 1, currency: "EUR", order_id: "1", shipping: [1] }, ["shipping"]],
  ["everything wrong at once", "purchase", { value: -5, currency: "X", content_ids: "a" }, ["order_id", "value", "currency", "content_ids"]],
  ["a lead needs no order id", "lead", { value: 1, currency: "EUR", order_id: "x" }, []],
];

describe("one rule set in the browser and the collector", () => {
  test.each(CASES)("%s", (_, name, params, wrong) => {
    const browser = validate(runtimeEvent(name), params).map((p) => p.split(" ")[0]);
    const collector = validateParams(name, params, plan).map((p) => p.field.replace(/^params\./, ""));
    expect(browser.sort()).toEqual([...wrong].sort());
    expect(collector.sort()).toEqual([...wrong].sort());
  });

  test("the collector and the preview panel word a problem alike", () => {
    expect(validateParams("purchase", { value: -1, currency: "EUR", order_id: "1" }, plan)).toEqual([{ field: "params.value", message: "must be a finite number ≥ 0" }]);
    expect(problemText("value value")).toBe("value must be a finite number ≥ 0");
    expect(problemText("order_id order")).toBe("order_id is required for purchase");
  });
});
