// Sends events to the collector: batched, text/plain (no CORS preflight), ≤ 64 KB per
// request, flushed on page hide; what could not be sent waits in localStorage for the
// next page.
import { store } from "./util";

const KEY = "tp:q";
const LIMIT = 60_000;

export type Sender = { add(event: unknown): void; flush(): void };

export function sender(url: string, envKey: string, beforeSend: (events: unknown[]) => void, max = 20, delay = 1000): Sender {
  let queue: unknown[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const send = (events: unknown[]) => {
    const body = JSON.stringify({ key: envKey, events, sent_at: Date.now() });
    if (body.length > LIMIT && events.length > 1) {
      const half = events.length >> 1;
      send(events.slice(0, half));
      send(events.slice(half));
      return;
    }
    const keep = () => {
      const saved = JSON.parse(store.get(KEY) || "[]") as unknown[];
      store.set(KEY, JSON.stringify(saved.concat(events).slice(-50)));
    };
    try {
      // A string body goes as text/plain (no preflight) and costs far less main-thread
      // time than a Blob.
      const beacon = navigator.sendBeacon?.(url, body);
      if (beacon) return;
      fetch(url, { method: "POST", body, keepalive: true, headers: { "content-type": "text/plain" } }).then((r) => {
        if (!r.ok && r.status >= 500) keep();
      }, keep);
    } catch {
      keep();
    }
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (!queue.length) return;
    const events = queue.splice(0);
    try {
      beforeSend(events);
    } catch {
      /* enrichment is optional */
    }
    send(events);
  };

  // Events a previous page could not send go next. Read after the page's own work:
  // the first localStorage access of a page can block the main thread for milliseconds.
  setTimeout(() => {
    try {
      const saved = JSON.parse(store.get(KEY) || "[]") as unknown[];
      if (saved.length) {
        store.set(KEY, "[]");
        queue = saved.concat(queue);
        timer ??= setTimeout(flush, delay);
      }
    } catch {
      store.set(KEY, "[]");
    }
  }, delay);
  addEventListener("pagehide", flush);
  addEventListener("visibilitychange", () => document.visibilityState === "hidden" && flush());

  return {
    add(event) {
      queue.push(event);
      if (queue.length >= max) flush();
      else timer ??= setTimeout(flush, delay);
    },
    flush,
  };
}
