// Sends events to the collector: batched, text/plain (no CORS preflight), ≤ 64 KB per
// request, flushed on page hide; what could not be sent waits in localStorage for the
// next page — without its user_data: raw email, phone and name must not sit in the
// browser's storage (hashing them here would cost a SHA-256 in every container). The
// next page attaches its own identified user and click ids when it sends them (boot.ts).
import { cookieLater, load, save, setCookie, type Dict } from "./util";

const KEY = "tp:q";
/** A cookie that says the queue has events: pages read localStorage only then (below). */
const MARK = "tp_q";
const LIMIT = 60_000;
/** A batch leaves at this many events, or this long after its first. */
const MAX = 20;
const DELAY = 1000;

export type Sender = { add(event: unknown): void; flush(): void };

/**
 * `hold`: whether a timed flush should wait another DELAY (up to four times), e.g. while a
 * vendor script whose outcome the events report is still loading. A page hide never waits.
 * `follow`: reports on events sent earlier (fill-in.ts), sent with the next batch or
 * alone; while `hold` still says so after a flush, another flush is due in DELAY, to send
 * the reports whose outcome came meanwhile.
 */
export function sender(url: string, envKey: string, beforeSend: (events: unknown[]) => void, hold?: () => boolean, follow?: () => unknown[]): Sender {
  let queue: unknown[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let held = 0;

  /** What earlier pages could not send; a broken entry counts as nothing (the next save replaces it). */
  const saved = (): unknown[] => {
    try {
      return JSON.parse(load(KEY) || "[]");
    } catch {
      return [];
    }
  };
  const keep = (events: unknown[]) => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    save(KEY, JSON.stringify(saved().concat((events as Dict[]).map(({ user_data, ...e }) => e)).slice(-50)));
    setCookie(MARK, "1", 2592000);
  };

  const send = (events: unknown[], reports?: unknown[] | void) => {
    const body = JSON.stringify({ key: envKey, events, reports: reports?.length ? reports : undefined, sent_at: Date.now() });
    if (body.length > LIMIT && events.length > 1) {
      const half = events.length >> 1;
      send(events.slice(0, half), reports);
      send(events.slice(half));
      return;
    }
    try {
      // A string body goes as text/plain;charset=UTF-8 (no preflight), with sendBeacon as
      // with fetch, and costs far less main-thread time than a Blob.
      if (!navigator.sendBeacon?.(url, body))
        fetch(url, { method: "POST", body, keepalive: true }).then(
          (r) => r.status >= 500 && keep(events),
          () => keep(events),
        );
    } catch {
      keep(events);
    }
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    held = 0;
    const events = queue.splice(0);
    if (events.length)
      try {
        beforeSend(events);
      } catch {
        /* enrichment is optional */
      }
    const reports = follow?.();
    if (events.length || reports?.length) send(events, reports);
    if (hold?.()) later();
  };
  let listening = false;
  /** Flushes in DELAY, or when the page hides; the listeners join with the first event waiting. */
  const later = () => {
    if (!listening) {
      listening = true;
      addEventListener("pagehide", flush);
      addEventListener("visibilitychange", () => document.visibilityState === "hidden" && flush());
    }
    timer ??= setTimeout(due, DELAY);
  };
  const due = () => {
    timer = undefined;
    if (hold?.() && ++held < 5) later();
    else flush();
  };

  // Events a previous page could not send go next: after the page's own work, and read
  // only when the marker cookie says there are some (util.ts cookieLater: asynchronously
  // where the browser can). A page's first localStorage access is a synchronous call out
  // of the renderer that can block the main thread for milliseconds, and nearly every page
  // has nothing queued.
  cookieLater(MARK, (v) => {
    const earlier = v ? saved() : [];
    if (earlier.length) {
      save(KEY, "[]");
      setCookie(MARK, "1", 0);
      queue = earlier.concat(queue);
      later();
    }
  });

  return {
    add(event) {
      if (queue.push(event) >= MAX) flush();
      else later();
    },
    flush,
  };
}
