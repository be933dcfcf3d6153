// The collector's cache of environment configurations (lib/collector/intake-config.ts):
// a stale entry keeps serving while one background load replaces it, so an expiry never
// makes a key's requests wait for the database.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { cached, type Entry, type IntakeConfig } from "../../../lib/collector/intake-config";

const config = (versionNumber: number) => ({ versionNumber }) as unknown as IntakeConfig;

/** A loader whose loads the test resolves or fails by hand. */
function manualLoader() {
  const pending: { resolve: (c: IntakeConfig | null) => void; reject: (e: Error) => void }[] = [];
  const loader = vi.fn(() => new Promise<IntakeConfig | null>((resolve, reject) => pending.push({ resolve, reject })));
  return { loader, pending };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date("2026-12-01T00:00:00Z"));
});
afterEach(() => {
  vi.useRealTimers();
});

describe("the intake configuration cache", () => {
  test("a key seen for the first time waits for its load; within 3 s nothing is loaded again", async () => {
    const map = new Map<string, Entry>();
    const { loader, pending } = manualLoader();
    const first = cached(map, "k", loader);
    const second = cached(map, "k", loader);
    expect(loader).toHaveBeenCalledTimes(1);
    pending[0].resolve(config(1));
    expect(await first).toEqual(config(1));
    expect(await second).toEqual(config(1));
    vi.advanceTimersByTime(2_999);
    expect(await cached(map, "k", loader)).toEqual(config(1));
    expect(loader).toHaveBeenCalledTimes(1);
  });

  test("after 3 s the stale config answers at once while one load replaces it", async () => {
    const map = new Map<string, Entry>();
    const { loader, pending } = manualLoader();
    const first = cached(map, "k", loader);
    pending[0].resolve(config(1));
    await first;
    vi.advanceTimersByTime(3_001);
    // The load is not finished, yet both requests are answered with the old version.
    expect(await cached(map, "k", loader)).toEqual(config(1));
    expect(await cached(map, "k", loader)).toEqual(config(1));
    expect(loader).toHaveBeenCalledTimes(2);
    pending[1].resolve(config(2));
    await settle();
    expect(await cached(map, "k", loader)).toEqual(config(2));
    expect(loader).toHaveBeenCalledTimes(2);
  });

  test("a failed reload keeps the old config and is tried again by the next request", async () => {
    const map = new Map<string, Entry>();
    const { loader, pending } = manualLoader();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const first = cached(map, "k", loader);
    pending[0].resolve(config(1));
    await first;
    vi.advanceTimersByTime(3_001);
    expect(await cached(map, "k", loader)).toEqual(config(1));
    pending[1].reject(new Error("connection lost"));
    await settle();
    expect(errors).toHaveBeenCalledWith(expect.stringContaining("reloading"), "connection lost");
    expect(await cached(map, "k", loader)).toEqual(config(1));
    expect(loader).toHaveBeenCalledTimes(3);
    pending[2].resolve(config(3));
    await settle();
    expect(await cached(map, "k", loader)).toEqual(config(3));
    errors.mockRestore();
  });

  test("a first load that fails is forgotten: the next request loads again", async () => {
    const map = new Map<string, Entry>();
    const { loader, pending } = manualLoader();
    const first = cached(map, "k", loader);
    pending[0].reject(new Error("down"));
    await expect(first).rejects.toThrow("down");
    const second = cached(map, "k", loader);
    expect(loader).toHaveBeenCalledTimes(2);
    pending[1].resolve(null);
    expect(await second).toBeNull();
  });
});
