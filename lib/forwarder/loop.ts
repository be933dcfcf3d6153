// Starts the forwarder in this process (in `npm start` and in every `npm run worker`),
// the LISTEN connection that wakes it when another process writes to the outbox, and a
// bid for the scheduled jobs — the health rollups' fold, the alert schedule, retention,
// the purge of deleted sites' and teams' data, the shared rate limits' clean-up — which run in exactly one process on the database at
// a time (lib/leader.ts); returns a stop function.
import { runWorker } from "./worker";
import { startFolding } from "../health/rollups";
import { startAlerts } from "../health/alerts/loop";
import { startRetention } from "../retention/loop";
import { startPurging } from "../config/purge-jobs";
import { leadScheduledJobs } from "../leader";
import { startPruning } from "../collector/limits";
import { listenForOutbox } from "./wake";

export function startForwarding(log: (line: string) => void): () => Promise<void> {
  const controller = new AbortController();
  const stopListening = listenForOutbox(log);
  const done = runWorker({ signal: controller.signal, log });
  const stopJobs = leadScheduledJobs(
    [
      { name: "health fold", start: startFolding },
      { name: "alerts", start: startAlerts },
      { name: "retention", start: startRetention },
      { name: "purge", start: startPurging },
      { name: "rate-limit clean-up", start: startPruning },
    ],
    log,
  );
  return async () => {
    controller.abort();
    await Promise.all([done, stopJobs(), stopListening()]);
  };
}
