// Publishing a version, rolling back or rotating a key changes what the collector accepts
// and which script /c/<key>.js serves. Both are cached per process (a storefront's traffic
// must not cost a query per request), so a change must reach every cache at once:
//   - in this process: the caches live on globalThis (server.ts, which serves the hot
//     paths, and Next's bundled routes, which publish, are separate module graphs in one
//     process: a module-level cache cleared by the route was not the one serving), and
//     are cleared right after the change commits — not before, or a request between the
//     clear and the commit would cache the old state again;
//   - in every other process on the database: NOTIFY tagpipe_config, sent inside the
//     change's transaction (PostgreSQL delivers it at commit), heard by a LISTEN
//     connection each serving process keeps (listenForConfigChanges). While that
//     connection is down, the caches' short TTLs are the safety net.
import { listen } from "../listen";
import type { Tx } from "../audit/record";
import { forgetIntakeConfigs } from "../collector/intake-config";
import { forgetCurrentScripts } from "../compiler/serve";

export const CONFIG_CHANNEL = "tagpipe_config";

/** Clears this process's configuration and script caches. */
export function forgetConfigCaches(): void {
  forgetIntakeConfigs();
  forgetCurrentScripts();
}

/** Tells every process, at commit, that the configuration changed. Call inside the change's transaction. */
export async function announceConfigChange(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${CONFIG_CHANNEL}, '')`;
}

/**
 * Runs `change` (a Prisma transaction that announces itself) and clears this process's
 * caches once it has committed.
 */
export async function afterCommit<T>(change: () => Promise<T>): Promise<T> {
  const result = await change();
  forgetConfigCaches();
  return result;
}

/** Clears this process's caches on every configuration change of any process (lib/listen.ts). */
export function listenForConfigChanges(log: (line: string) => void): () => Promise<void> {
  return listen(CONFIG_CHANNEL, forgetConfigCaches, log);
}
