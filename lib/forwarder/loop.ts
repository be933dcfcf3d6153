// Starts the forwarder in this process, and the health rollups' fold beside it (both
// run in `npm start` and in every `npm run worker`); returns a stop function.
import { runWorker } from "./worker";
import { startFolding } from "../health/rollups";

export function startForwarding(log: (line: string) => void): () => Promise<void> {
  const controller = new AbortController();
  const done = runWorker({ signal: controller.signal, log });
  const stopFolding = startFolding(log);
  return async () => {
    controller.abort();
    await Promise.all([done, stopFolding()]);
  };
}
