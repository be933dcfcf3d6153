// Starts the forwarder in this process, and the alert schedule beside it (alerts are
// evaluated wherever the forwarder runs: npm start and npm run worker); returns a stop function.
import { runWorker } from "./worker";
import { startAlerts } from "../health/alerts/loop";

export function startForwarding(log: (line: string) => void): () => Promise<void> {
  const controller = new AbortController();
  const done = runWorker({ signal: controller.signal, log });
  const stopAlerts = startAlerts(log);
  return async () => {
    controller.abort();
    await Promise.all([done, stopAlerts()]);
  };
}
