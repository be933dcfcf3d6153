// Starts the forwarder in this process; returns a stop function.
import { runWorker } from "./worker";

export function startForwarding(log: (line: string) => void): () => Promise<void> {
  const controller = new AbortController();
  const done = runWorker({ signal: controller.signal, log });
  return async () => {
    controller.abort();
    await done;
  };
}
