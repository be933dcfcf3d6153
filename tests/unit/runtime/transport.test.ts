// The retry queue keeps no raw user data: an event the collector could not take waits in
// localStorage without its user_data (email, phone, name as the page gave them), and is
// sent again by the next page.
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { sender } from "../../../runtime/transport";

const g = globalThis as Record<string, unknown>;
const stubs = ["localStorage", "navigator", "fetch", "addEventListener", "document", "window"] as const;
let saved: Record<string, unknown>;
let store: Map<string, string>;

beforeEach(() => {
  saved = Object.fromEntries(stubs.map((k) => [k, g[k]]));
  store = new Map();
  g.localStorage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
  Object.defineProperty(globalThis, "navigator", { value: { sendBeacon: () => false }, configurable: true });
  g.addEventListener = () => {};
  g.document = { visibilityState: "visible", cookie: "" };
  g.window = globalThis;
});

afterEach(() => {
  for (const k of stubs) Object.defineProperty(globalThis, k, { value: saved[k], configurable: true, writable: true });
  vi.useRealTimers();
});

describe("the retry queue", () => {
  test("an unsent event is stored without its user data, and sent again with everything else", async () => {
    const bodies: string[] = [];
    let failing = true;
    g.fetch = (_url: string, init: { body: string }) => {
      bodies.push(init.body);
      return failing ? Promise.reject(new Error("offline")) : Promise.resolve({ status: 202 });
    };
    const event = { event_id: "e1", name: "purchase", params: { value: 10 }, user_data: { email: "Jane.Doe@example.com", phone: "+49 30 123456", first_name: "Jane" } };
    vi.useFakeTimers();
    const first = sender("https://t.example/api/collect", "tp_key", () => {});
    await vi.advanceTimersByTimeAsync(10);
    first.add(structuredClone(event));
    first.flush();
    await vi.waitFor(() => expect(store.get("tp:q")).toBeTruthy());
    const stored = store.get("tp:q")!;
    expect(stored).not.toMatch(/user_data|Jane|example\.com|123456/);
    expect(JSON.parse(stored)).toEqual([{ event_id: "e1", name: "purchase", params: { value: 10 } }]);
    // The sent request did carry the user data (hashed by the collector at intake).
    expect(bodies[0]).toContain("Jane.Doe@example.com");

    // The next page sends it again (after its own start-up work).
    failing = false;
    sender("https://t.example/api/collect", "tp_key", (batch) => {
      for (const e of batch as { user_data?: object }[]) e.user_data = { ...e.user_data, fbp: "fb.1.2.3" };
    });
    await vi.advanceTimersByTimeAsync(2500);
    const resent = JSON.parse(bodies.at(-1)!);
    expect(resent.events).toEqual([{ event_id: "e1", name: "purchase", params: { value: 10 }, user_data: { fbp: "fb.1.2.3" } }]);
    expect(store.get("tp:q")).toBe("[]");
  });
});

// A page reads the queue only when the marker cookie says there is one, through the
// asynchronous Cookie Store API where the browser has it: most pages have nothing queued,
// and a page's first localStorage access is a synchronous call out of the renderer.
describe("the queue's marker cookie", () => {
  const jar = new Map<string, string>();
  let reads: string[];
  beforeEach(() => {
    jar.clear();
    reads = [];
    g.localStorage = { getItem: (k: string) => (reads.push(k), store.get(k) ?? null), setItem: (k: string, v: string) => void store.set(k, v) };
    // document.cookie writes land in the jar (max-age=0 deletes); the Cookie Store API reads it.
    g.document = {
      visibilityState: "visible",
      set cookie(line: string) {
        const [pair, ...attrs] = line.split(";");
        const [name, value] = pair.split("=");
        if (attrs.includes("max-age=0")) jar.delete(name);
        else jar.set(name, value);
      },
      get cookie() {
        return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
      },
    };
    g.window = { cookieStore: { get: async (name: string) => (jar.has(name) ? { name, value: jar.get(name) } : null) } };
  });

  test("a page with nothing queued never reads localStorage; an unsent event sets the marker, the next page sends it and clears both", async () => {
    const bodies: string[] = [];
    let failing = true;
    g.fetch = (_url: string, init: { body: string }) => {
      bodies.push(init.body);
      return failing ? Promise.resolve({ status: 503 }) : Promise.resolve({ status: 202 });
    };
    vi.useFakeTimers();
    const first = sender("https://t.example/api/collect", "tp_key", () => {});
    await vi.advanceTimersByTimeAsync(2500);
    expect(reads).toEqual([]);

    first.add({ event_id: "e2", name: "lead", params: {} });
    first.flush();
    await vi.waitFor(() => expect(jar.get("tp_q")).toBe("1"));
    expect(JSON.parse(store.get("tp:q")!)).toEqual([{ event_id: "e2", name: "lead", params: {} }]);

    failing = false;
    reads = [];
    sender("https://t.example/api/collect", "tp_key", () => {});
    await vi.advanceTimersByTimeAsync(2500);
    expect(reads).toEqual(["tp:q"]);
    expect(JSON.parse(bodies.at(-1)!).events).toEqual([{ event_id: "e2", name: "lead", params: {} }]);
    expect(store.get("tp:q")).toBe("[]");
    expect(jar.has("tp_q")).toBe(false);

    // And the page after that reads nothing again.
    reads = [];
    sender("https://t.example/api/collect", "tp_key", () => {});
    await vi.advanceTimersByTimeAsync(2500);
    expect(reads).toEqual([]);
  });
});
