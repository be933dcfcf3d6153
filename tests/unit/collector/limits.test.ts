// The collector's shared limits (lib/collector/limits.ts) against a store in memory: what
// one process lets through alone, what several "processes" sharing the store let through
// together — a burst reaching them all at once included — and what a failing store leaves.
import { afterEach, describe, expect, it, vi } from "vitest";
import { LimitSync, SharedLimit, type Refusal, type SharedStore } from "../../../lib/collector/limits";

/** A store shared by "processes" in this test: totals per key and window; counts its round trips. */
function memoryStore(fail = { now: false }): SharedStore & { totals: Map<string, number>; calls: number } {
  const totals = new Map<string, number>();
  const store = {
    name: "memory",
    totals,
    calls: 0,
    async add(window: number, _ms: number, keys: string[], points: number[]) {
      store.calls++;
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (fail.now) throw new Error("store down");
      return keys.map((key, i) => {
        const id = `${key}@${window}`;
        totals.set(id, (totals.get(id) ?? 0) + points[i]);
        return totals.get(id)!;
      });
    },
    close: async () => {},
  };
  return store;
}

const limitOn = (store: SharedStore, points: number) => new SharedLimit("ip", points, 1000, new LimitSync(store, 500));
/** n requests of `key` at once; answers how many passed. */
async function burst(limit: SharedLimit, key: string, n: number): Promise<number> {
  const answers: (Refusal | null)[] = await Promise.all(Array.from({ length: n }, () => limit.take(key)));
  return answers.filter((a) => a === null).length;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("shared limits", () => {
  it("one process alone lets the limit through and refuses the rest, with the time left in the window", async () => {
    vi.useFakeTimers({ now: 10_250, toFake: ["Date"] });
    const limit = limitOn(memoryStore(), 30);
    expect(await burst(limit, "a", 45)).toBe(30);
    const refusal = await limit.take("a");
    expect(refusal).toEqual({ retryAfterMs: 750 });
    expect(await limit.take("b")).toBeNull();
    vi.setSystemTime(11_000);
    expect(await limit.take("a")).toBeNull();
  });

  it("a burst reaching three processes at once, before any of them has heard of the others, is held to the limit", async () => {
    vi.useFakeTimers({ now: 20_000, toFake: ["Date"] });
    const store = memoryStore();
    const processes = [limitOn(store, 100), limitOn(store, 100), limitOn(store, 100)];
    // 150 requests at each process in the same instant: each alone would let 100 through.
    const passed = await Promise.all(processes.map((p) => burst(p, "203.0.113.9", 150)));
    expect(passed.reduce((a, b) => a + b, 0)).toBe(100);
    // One statement per turn of the event loop for all waiting requests, not one per request.
    expect(store.calls).toBeLessThan(60);
    for (const p of processes) expect(await p.take("203.0.113.9")).not.toBeNull();
  });

  it("what processes reserve and leave unused costs a client spread over them at most about a share each", async () => {
    vi.useFakeTimers({ now: 30_000, toFake: ["Date"] });
    const store = memoryStore();
    const processes = Array.from({ length: 5 }, () => limitOn(store, 100));
    const spread = async (key: string, n: number) => {
      let passed = 0;
      // One request at a time, turning over the five processes.
      for (let i = 0; i < n; i++) if ((await processes[i % 5].take(key)) === null) passed++;
      return passed;
    };
    // A few requests at each: reservations start at one point, so nothing is lost.
    expect(await spread("few", 25)).toBe(25);
    // Many: at least the limit less five shares (a tenth of the limit each).
    const passed = await spread("many", 150);
    expect(passed).toBeGreaterThanOrEqual(100 - 5 * 10);
    expect(passed).toBeLessThanOrEqual(100);
  });

  it("requests with reserved points left pass synchronously, without the store", async () => {
    vi.useFakeTimers({ now: 40_000, toFake: ["Date"] });
    const store = memoryStore();
    const limit = limitOn(store, 1000);
    // Reservations grow 1, 2, 4 … 64, then a tenth of the limit: 227 points reserved after 150 requests.
    for (let i = 0; i < 150; i++) await limit.take("x");
    const calls = store.calls;
    const answers = Array.from({ length: 77 }, () => limit.take("x"));
    expect(answers.every((a) => a === null)).toBe(true);
    expect(store.calls).toBe(calls);
    expect(limit.take("x")).toBeInstanceOf(Promise);
  });

  it("a failing store leaves each process its own count for the window", async () => {
    vi.useFakeTimers({ now: 50_000, toFake: ["Date"] });
    const fail = { now: true };
    const store = memoryStore(fail);
    const limit = limitOn(store, 5);
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(await burst(limit, "k", 8)).toBe(5);
    expect(errors).toHaveBeenCalledOnce();
    expect(limit.take("k")).not.toBeNull();
    // The next window asks the store again.
    fail.now = false;
    vi.setSystemTime(51_000);
    expect(await burst(limit, "k", 8)).toBe(5);
    expect(store.totals.get("ip:k@51")).toBeGreaterThanOrEqual(5);
    errors.mockRestore();
  });

  it("a store that does not answer in time: the process decides alone", async () => {
    vi.useFakeTimers({ now: 60_000, toFake: ["Date"] });
    const hung: SharedStore = { name: "hung", add: () => new Promise(() => {}), close: async () => {} };
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const limit = new SharedLimit("ip", 2, 1000, new LimitSync(hung, 50));
    expect(await burst(limit, "z", 3)).toBe(2);
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
  });

  it("without a store (TAGPIPE_RATE_SYNC_MS=0) each process limits on its own", () => {
    vi.useFakeTimers({ now: 70_000, toFake: ["Date"] });
    const limit = new SharedLimit("ip", 2, 1000, null);
    expect([limit.take("x"), limit.take("x")]).toEqual([null, null]);
    expect(limit.take("x")).not.toBeNull();
  });
});
