// The collect schemas (lib/collector/schema.ts): a body whose text cannot hold a string
// PostgreSQL refuses (NUL, lone surrogate) is validated without the per-string check, and
// that shortcut must never let such a string through nor judge any other body differently.
import { describe, expect, test } from "vitest";
import { browserBatch, mayHoldUnstorable, serverBatch, unchecked, userData } from "../../../lib/collector/schema";
import { USER_DATA_FIELDS } from "../../../lib/schemas/config";

const event = (extra: Record<string, unknown> = {}) => ({
  event_id: "e-1",
  name: "purchase",
  params: { value: 10, currency: "EUR", order_id: "o-1", contents: [{ id: "sku", quantity: 2 }] },
  user_data: { email: "a@example.com" },
  page: { url: "https://shop.example.com/thanks" },
  ...extra,
});

test("the event editor offers every user_data field the collector hashes, and only those", () => {
  const clear = ["client_ip_address", "client_user_agent", "fbp", "fbc", "ttp", "ttclid", "gclid", "gbraid", "wbraid", "fbclid", "ga_client_id", "ga_session_id"];
  expect([...USER_DATA_FIELDS].sort()).toEqual(Object.keys(userData.shape).filter((k) => !clear.includes(k)).sort());
});

/** Which schema the intake would use for this text, and what it says. */
function judge(text: string) {
  const schema = mayHoldUnstorable(text) ? browserBatch : unchecked.browserBatch;
  const result = schema.safeParse(JSON.parse(text));
  return result.success ? "ok" : result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}

describe("the storable-string shortcut", () => {
  test("a text with a \\u escape, a raw NUL or a lone surrogate takes the checked schemas", () => {
    expect(mayHoldUnstorable(JSON.stringify({ a: "x\u0000y" }))).toBe(true);
    expect(mayHoldUnstorable('{"a":"\\ud800"}')).toBe(true);
    expect(mayHoldUnstorable('{"a":"caf\\u00e9"}')).toBe(true);
    expect(mayHoldUnstorable('{"a":"\ud800"}')).toBe(true);
    expect(mayHoldUnstorable("{\"a\":\"x\u0000\"}")).toBe(true);
    expect(mayHoldUnstorable('{"a":"café ✓ 😀"}')).toBe(false);
  });

  test("NUL characters and lone surrogates are refused, naming the field", () => {
    const body = (e: Record<string, unknown>) => JSON.stringify({ key: "k", events: [event(e)] });
    expect(judge(body({ event_id: "a\u0000b" }))).toContain("events.0.event_id: must not contain NUL");
    expect(judge(body({ params: { note: "\ud800" } }))).toContain("events.0.params.note: must not contain NUL");
    expect(judge(body({ params: { "k\u0000": 1 } }))).toContain("events.0.params.k\u0000");
    expect(judge(body({ user_data: { email: "a\udfff@example.com" } }))).toContain("events.0.user_data.email");
  });

  test("every other body gets the same answer from both schema sets", () => {
    const bodies = [
      { key: "k", events: [event()] },
      { key: "k", events: [event({ params: { value: "ten", currency: "EUR" } })] },
      { key: "k", events: [event({ name: "Purchase!" })] },
      { key: "k", events: [event({ unknown: 1 })] },
      { key: "k", events: [event({ params: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])) })] },
      { key: "k", events: [event({ params: { list: Array.from({ length: 201 }, () => 1) } })] },
      { key: "k", events: [event({ page: { url: "x".repeat(2001) } })] },
      { key: "", events: [] },
      { key: "k", events: [event({ user_data: { email: 5 } })] },
    ];
    for (const body of bodies) {
      const json = JSON.parse(JSON.stringify(body));
      const full = browserBatch.safeParse(json);
      const fast = unchecked.browserBatch.safeParse(json);
      expect(fast.success).toBe(full.success);
      expect(fast.error?.issues.map((i) => [i.path, i.message])).toEqual(full.error?.issues.map((i) => [i.path, i.message]));
    }
    const server = { events: [event({ params: { value: -1, currency: "EURO" } })] };
    expect(unchecked.serverBatch.safeParse(server).success).toBe(serverBatch.safeParse(server).success);
  });
});
