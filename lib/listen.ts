// One LISTEN connection per channel and process: PostgreSQL's NOTIFY tells every process
// on the database at once (a publish, new work in the outbox). A dedicated connection
// outside the pool (a pooled one would be handed to queries); reconnects after a
// failure, and calls `onNotify` after (re)connecting too, since a notification may have
// been missed meanwhile. Returns a stop function.
import pg from "pg";
import { database } from "./db";

export function listen(channel: string, onNotify: () => void, log: (line: string) => void): () => Promise<void> {
  if (!/^[a-z_]+$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const connect = async () => {
    if (stopped) return;
    const db = await database();
    const next = new pg.Client({ connectionString: db.url });
    const failed = (error: unknown) => {
      if (stopped || client !== next) return;
      client = null;
      onNotify();
      log(`[${channel}] listening failed (${error instanceof Error ? error.message : String(error)}); retrying in 1 s`);
      next.end().catch(() => {});
      retry = setTimeout(() => void connect().catch(failed), 1000);
    };
    client = next;
    next.on("error", failed);
    next.on("end", () => failed(new Error("connection closed")));
    next.on("notification", () => onNotify());
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
      onNotify();
    } catch (error) {
      failed(error);
    }
  };
  void connect().catch((error) => log(`[${channel}] cannot listen: ${error instanceof Error ? error.message : String(error)}`));
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const open = client;
    client = null;
    await open?.end().catch(() => {});
  };
}
