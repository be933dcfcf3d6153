// The collector's shared limits (lib/collector/limits.ts) against a store in memory: what
// one process counts alone, what the store's totals add, and what a failing store leaves.
import { afterEach, describe, expect, it, vi } from "vitest";
import { LimitSync, SharedLimit, type SharedStore } from "../../../lib/collector/limits";

/** A store shared by "processes" in this test: totals per key and window. */
function memoryStore(fail = { now: false }): SharedStore & { totals: Map<string, number> } {
  const totals = new Map<string, number>();
  return {
    name: "memory",
    totals,
    async add(window, _ms, keys, points) {
      if (fail.now) throw new Error("store down");
      return keys.map((key, i) => {
        const id = `${key}@${window}`;
        totals.set(id, (totals.get(id) ?? 0) + points[i]);
        return totals.get(id)!;
      });
    },
    close: async () => {},
  };
}

function process(store: SharedStore, points: number) {
  const sync = new LimitSync(store, 100);
  const limit = new SharedLimit("ip", points, 1000, sync);
  sync.register(limit);
  return { limit, sync };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("shared limits", () => {
  it("one process alone refuses past the limit, with the time left in the window", () => {
    vi.useFakeTimers({ now: 10_250 });
    const { limit } = process(memoryStore(), 3);
    expect([limit.take("a"), limit.take("a"), limit.take("a")]).toEqual([null, null, null]);
    expect(limit.take("a")).toEqual({ retryAfterMs: 750 });
    expect(limit.take("b")).toBeNull();
    vi.setSystemTime(11_000);
    expect(limit.take("a")).toBeNull();
  });

  it("two processes together are held to the limit once their counts are synced", async () => {
    vi.useFakeTimers({ now: 20_000 });
    const store = memoryStore();
    const one = process(store, 10);
    const two = process(store, 10);
    for (let i = 0; i < 6; i++) expect(one.limit.take("ip")).toBeNull();
    await one.sync.flush();
    for (let i = 0; i < 4; i++) expect(two.limit.take("ip")).toBeNull();
    await two.sync.flush();
    // The store has 10: both refuse, though neither let 10 through itself.
    expect(two.limit.take("ip")).not.toBeNull();
    await one.sync.flush();
    expect(one.limit.take("ip")).toBeNull(); // one has not heard of two's 4 yet (approximate by one sync)
    await one.sync.flush();
    expect(one.limit.take("ip")).not.toBeNull();
  });

  it("a failing store leaves each process its own count, sent at the next sync", async () => {
    vi.useFakeTimers({ now: 30_000 });
    const fail = { now: true };
    const store = memoryStore(fail);
    const { limit, sync } = process(store, 5);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    for (let i = 0; i < 3; i++) limit.take("k");
    await sync.flush();
    expect(errors).toHaveBeenCalledOnce();
    for (let i = 0; i < 2; i++) expect(limit.take("k")).toBeNull();
    expect(limit.take("k")).not.toBeNull();
    fail.now = false;
    await sync.flush();
    expect(store.totals.get("ip:k@30")).toBe(5);
    errors.mockRestore();
  });

  it("without a store (TAGPIPE_RATE_SYNC_MS=0) each process limits on its own", () => {
    vi.useFakeTimers({ now: 40_000 });
    const limit = new SharedLimit("ip", 2, 1000, null);
    expect([limit.take("x"), limit.take("x")]).toEqual([null, null]);
    expect(limit.take("x")).not.toBeNull();
  });
});
