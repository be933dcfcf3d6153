// npm run collector – the storefront's paths only (/c/* container scripts, /api/collect,
// /api/v1/events), without Next and the dashboard: for scaling intake out behind a load
// balancer beside `npm start` (the dashboard, and the forwarder unless TAGPIPE_WORKER=0)
// and any number of `npm run worker`. With DATABASE_URL it uses that PostgreSQL; without,
// the embedded one of $TAGPIPE_DATA_DIR, shared with `npm start` on the same directory.
// It migrates nothing: the schema is `npm start`'s (or `npm run db:migrate`'s) to change.
import http from "node:http";
import { closeDatabase, database } from "../lib/db";
import { dataDir, env } from "../lib/env";
import { handleHotPath } from "../lib/http/hot-paths";
import { listenForConfigChanges } from "../lib/config/changes";

const { HOST: host, PORT: port } = env();
// Few connections (docs/hardening.md, "Connections"): the group commit keeps at most three
// inserts in flight, and the ORM only loads configurations and scripts, each cached for seconds.
const db = await database({ sql: 6, prisma: 3 });
// A publish made through the dashboard's process clears this one's configuration and
// script caches at once (NOTIFY tagpipe_config), not after their TTLs.
const stopListening = listenForConfigChanges((line) => console.error(line));

const server = http.createServer((req, res) => {
  void handleHotPath(req, res).then((handled) => {
    if (handled) return;
    res.writeHead(404, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify({ error: { code: "not_found", message: "this process serves only /c/*, /api/collect and /api/v1/events; the dashboard is npm start's" } }));
  });
});

server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  console.log(`[collector] ready on http://${host}:${actualPort} (${db.kind === "embedded" ? `embedded PostgreSQL in ${dataDir()}` : "PostgreSQL at DATABASE_URL"})`);
});

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    await stopListening();
    await closeDatabase();
    process.exit(0);
  });
}
