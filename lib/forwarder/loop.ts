// Starts the forwarder (and the dedup-key pruning) in this process; returns a stop function.
import { runWorker } from "./worker";
import { pruneDedupKeys } from "./deliveries";

export function startForwarding(log: (line: string) => void): () => Promise<void> {
  const controller = new AbortController();
  const done = runWorker({ signal: controller.signal, log });
  const prune = setInterval(() => void pruneDedupKeys().catch((e) => log(`[forwarder] prune failed: ${(e as Error).message}`)), 60_000);
  prune.unref();
  return async () => {
    controller.abort();
    clearInterval(prune);
    await done;
  };
}
