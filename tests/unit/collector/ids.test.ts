import { describe, expect, test } from "vitest";
import { uuidv7 } from "../../../lib/collector/ids";

describe("uuidv7", () => {
  test("is an RFC 9562 version 7 UUID carrying the millisecond timestamp", () => {
    const at = Date.UTC(2026, 10, 30, 12, 0, 0, 123);
    const id = uuidv7(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });

  test("ids of later milliseconds sort after earlier ones; ids are unique", () => {
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1_800_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 10; i < ids.length; i += 10) expect(ids[i - 10] < ids[i]).toBe(true);
  });
});
