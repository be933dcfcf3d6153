// npm run worker – a forwarder process of its own (run any number beside `npm start`;
// they share the outbox through FOR UPDATE SKIP LOCKED). With DATABASE_URL it uses that
// PostgreSQL; without, the embedded one of $TAGPIPE_DATA_DIR, started by `npm start` or by
// whichever process comes first.
import fs from "node:fs";
import path from "node:path";
import { closeDatabase, database } from "../lib/db";
import { dataDir } from "../lib/env";
import { startForwarding } from "../lib/forwarder/loop";

// Destination secrets are encrypted with the server's key. Without it a worker would
// generate a key of its own and fail every round to decrypt them.
if (!process.env.TAGPIPE_ENCRYPTION_KEY && !fs.existsSync(path.join(dataDir(), "encryption-key"))) {
  console.error("npm run worker needs the server's TAGPIPE_ENCRYPTION_KEY (or TAGPIPE_DATA_DIR pointing at the server's data directory) to decrypt destination secrets");
  process.exit(2);
}
// Connections (docs/hardening.md, "Connections"): three rounds (TAGPIPE_FORWARD_CONCURRENCY),
// each a claim then a short record, the due-time query, and the leader's fold and alerts.
const db = await database({ sql: 8, prisma: 3 });
const stop = startForwarding((line) => console.log(line));
console.log(`[worker] forwarding (pid ${process.pid}, ${db.kind === "embedded" ? `embedded PostgreSQL in ${dataDir()}` : "PostgreSQL at DATABASE_URL"})`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    await stop();
    await closeDatabase();
    process.exit(0);
  });
}
