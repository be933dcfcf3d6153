// The runtime's side of fill-in (runtime/fill-in.ts, transport.ts): an event whose Google
// tags' outcome is known when its batch leaves says `fired` (or nothing); one whose tags
// script or gtag.js is still loading says `pending`, and gets exactly one follow-up report
// once the outcome is known, sent by the next flush (alone when nothing else waits).
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { Tags } from "../../../runtime/vendors";

const tags = vi.hoisted(() => ({ current: undefined as Tags | null | undefined, loading: false }));
vi.mock("../../../runtime/lazy-tags", () => ({ loadedTags: () => tags.current, tagsLoading: () => tags.loading }));

const { called, google, mark, reports } = await import("../../../runtime/fill-in");
const { sender } = await import("../../../runtime/transport");

/** Google's tag as the tags script reports it: gtag.js loaded, loading or failed. */
const gtag = (state: "loaded" | "loading" | "failed"): Tags => ({ fire: () => {}, loaded: () => state === "loaded", loading: () => state === "loading" });
const event = (id: string, refs?: string[]) => {
  const e: Record<string, unknown> = { event_id: id, name: "purchase" };
  if (refs) google.set(e, refs);
  return e;
};

beforeEach(() => {
  tags.current = undefined;
  tags.loading = false;
  reports(); // nothing left from another test
});

describe("fired, pending and the follow-up", () => {
  test("the tags ran and gtag.js loaded before the batch left: fired, no follow-up", () => {
    const e = event("a", ["G-1", "AW-1/x"]);
    tags.current = gtag("loaded");
    called.set(e, ["G-1", "AW-1/x"]);
    mark(e);
    expect(e).toEqual({ event_id: "a", name: "purchase", fired: ["G-1", "AW-1/x"] });
    expect(reports()).toEqual([]);
  });

  test("gtag.js blocked before the batch left: neither fired nor pending (the server copy is the only one)", () => {
    const e = event("b", ["G-1"]);
    tags.current = gtag("failed");
    called.set(e, ["G-1"]);
    mark(e);
    expect(e).toEqual({ event_id: "b", name: "purchase" });
    expect(reports()).toEqual([]);
  });

  test("the tags script still loading: pending; the tags then run with gtag.js: one report, fired", () => {
    const e = event("c", ["G-1"]);
    tags.loading = true;
    mark(e);
    expect(e).toEqual({ event_id: "c", name: "purchase", pending: ["G-1"] });
    expect(reports()).toEqual([]);
    // The tags script ran and called gtag(); gtag.js is on its way: still unknown.
    tags.loading = false;
    tags.current = gtag("loading");
    called.set(e, ["G-1"]);
    expect(reports()).toEqual([]);
    tags.current = gtag("loaded");
    expect(reports()).toEqual([{ event_id: "c", name: "purchase", fired: ["G-1"] }]);
    expect(reports()).toEqual([]);
  });

  test("pending, then gtag.js blocked: one report with nothing fired", () => {
    const e = event("d", ["G-1"]);
    tags.loading = true;
    mark(e);
    tags.loading = false;
    tags.current = gtag("failed");
    called.set(e, ["G-1"]);
    expect(reports()).toEqual([{ event_id: "d", name: "purchase", fired: [] }]);
  });

  test("pending, then the tags script could not load: one report with nothing fired", () => {
    const e = event("e", ["G-1"]);
    tags.loading = true;
    mark(e);
    tags.loading = false;
    tags.current = null;
    called.set(e, []);
    expect(reports()).toEqual([{ event_id: "e", name: "purchase", fired: [] }]);
  });

  test("an event for no Google tag is left as it is", () => {
    const e = event("f");
    tags.loading = true;
    mark(e);
    expect(e).toEqual({ event_id: "f", name: "purchase" });
  });
});

describe("the sender sends the follow-ups", () => {
  const g = globalThis as Record<string, unknown>;
  const stubs = ["localStorage", "navigator", "addEventListener", "document", "window"] as const;
  let saved: Record<string, unknown>;
  let bodies: Record<string, unknown>[];
  beforeEach(() => {
    saved = Object.fromEntries(stubs.map((k) => [k, g[k]]));
    bodies = [];
    g.localStorage = { getItem: () => null, setItem: () => {} };
    Object.defineProperty(globalThis, "navigator", { value: { sendBeacon: (_u: string, body: string) => bodies.push(JSON.parse(body)) > 0 }, configurable: true });
    g.addEventListener = () => {};
    g.document = { visibilityState: "visible", cookie: "" };
    g.window = globalThis;
    vi.useFakeTimers();
  });
  afterEach(() => {
    for (const k of stubs) Object.defineProperty(globalThis, k, { value: saved[k], configurable: true, writable: true });
    vi.useRealTimers();
  });

  test("flushed before the tags ran: the event goes pending, the report follows alone once they ran", async () => {
    const out = sender("https://t.example/api/collect", "tp_key", (batch) => batch.forEach((e) => mark(e as Record<string, unknown>)), () => tags.loading || !!tags.current?.loading(), reports);
    const e = event("g", ["G-1"]);
    tags.loading = true;
    out.add(e);
    out.flush(); // tagpipe.flush(), or the tab hidden
    expect(bodies).toEqual([expect.objectContaining({ key: "tp_key", events: [{ event_id: "g", name: "purchase", pending: ["G-1"] }] })]);
    expect(bodies[0]).not.toHaveProperty("reports");
    await vi.advanceTimersByTimeAsync(2_500); // still loading: nothing more to send
    expect(bodies).toHaveLength(1);
    tags.loading = false;
    tags.current = gtag("loaded");
    called.set(e, ["G-1"]);
    await vi.advanceTimersByTimeAsync(1_100);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toMatchObject({ key: "tp_key", events: [], reports: [{ event_id: "g", name: "purchase", fired: ["G-1"] }] });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(bodies).toHaveLength(2);
  });
});
