// Starts the forwarder in this process, and beside it the health rollups' fold, the alert
// schedule and the retention schedule (all run in `npm start` and in every `npm run
// worker`), and the LISTEN connection that wakes them when another process writes to the
// outbox; returns a stop function.
import { runWorker } from "./worker";
import { startFolding } from "../health/rollups";
import { startAlerts } from "../health/alerts/loop";
import { startRetention } from "../retention/loop";
import { listenForOutbox } from "./wake";

export function startForwarding(log: (line: string) => void): () => Promise<void> {
  const controller = new AbortController();
  const stopListening = listenForOutbox(log);
  const done = runWorker({ signal: controller.signal, log });
  const stopFolding = startFolding(log);
  const stopAlerts = startAlerts(log);
  const stopRetention = startRetention(log);
  return async () => {
    controller.abort();
    await Promise.all([done, stopFolding(), stopAlerts(), stopRetention(), stopListening()]);
  };
}
