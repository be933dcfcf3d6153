// Waking the forwarder (and the health fold) when there is work, instead of polling: an
// idle Tagpipe should cost nearly nothing. The collector calls outboxWritten() after each
// group commit: waiters in this process wake at once, and other processes (a separate
// `npm run worker`) hear NOTIFY tagpipe_outbox — sent at most every NOTIFY_EVERY_MS, so
// a busy collector adds a few tiny statements a second, not one per request. The
// forwarder's outcomes wake the fold the same way (workDone). Waiters also wake after
// their own timeout: the slow safety net for a missed notification.
import { database } from "../db";
import { listen } from "../listen";

export const OUTBOX_CHANNEL = "tagpipe_outbox";
const NOTIFY_EVERY_MS = 100;

type State = { waiters: Set<() => void>; notifyPending: boolean };
const KEY = Symbol.for("tagpipe.forwarderWake");

// On globalThis: the collector runs in server.ts's module graph, test events in Next's.
function state(): State {
  const holder = globalThis as { [KEY]?: State };
  holder[KEY] ??= { waiters: new Set(), notifyPending: false };
  return holder[KEY];
}

/** Wakes every waiter of this process. */
export function workDone(): void {
  const { waiters } = state();
  for (const wake of [...waiters]) wake();
}

/** New deliveries or events were committed: wake this process now, the others by NOTIFY (coalesced). */
export function outboxWritten(): void {
  workDone();
  const s = state();
  if (s.notifyPending) return;
  s.notifyPending = true;
  setTimeout(() => {
    s.notifyPending = false;
    void database()
      .then((db) => db.sql.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`))
      .catch(() => {
        // The other processes' safety-net poll covers a lost notification.
      });
  }, NOTIFY_EVERY_MS).unref?.();
}

/** Resolves on the next wake (true), or after `ms` at the latest (false). */
export function waitForWork(ms: number, signal?: AbortSignal): Promise<boolean> {
  const { waiters } = state();
  return new Promise((resolve) => {
    let timedOut = false;
    const done = () => {
      clearTimeout(timer);
      waiters.delete(done);
      signal?.removeEventListener("abort", done);
      resolve(!timedOut);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      done();
    }, ms);
    waiters.add(done);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Wakes this process's waiters when another process notifies (one LISTEN connection). */
export function listenForOutbox(log: (line: string) => void): () => Promise<void> {
  return listen(OUTBOX_CHANNEL, workDone, log);
}
