// The one Tagpipe process: migrates and seeds the database, then serves everything on one
// port. Storefront hot paths (/api/collect, /api/v1/events, /c/*) will be answered here
// directly by lean handlers over lib/; every other request goes to Next's handler
// (Next's documented custom-server API).
import http from "node:http";
import next from "next";
import { closeDatabase, database } from "./lib/db";
import { migrate } from "./lib/migrate";
import { DEMO_EMAIL, DEMO_PASSWORD, seedIfEmpty } from "./lib/seed";
import { ensureAuthSecret } from "./lib/auth/secret-file";
import { dataDir, env } from "./lib/env";
import { importPgliteIfPresent } from "./lib/import-pglite";
import { handleHotPath } from "./lib/http/hot-paths";
import { rawTargetProblem } from "./lib/schemas/text";
import { clientIp, FORWARDED_HEADERS, TRUSTED_HOPS } from "./lib/http/proxy";
import { startForwarding } from "./lib/forwarder/loop";
import { listenForConfigChanges } from "./lib/config/changes";

const dev = process.argv.includes("--dev");
const { HOST: host, PORT: port, TAGPIPE_SEED } = env();

ensureAuthSecret();
// Without a fixed public URL, next-auth builds its URLs from the Host header.
if (!process.env.NEXTAUTH_URL) process.env.AUTH_TRUST_HOST = "1";

const db = await database();
const applied = await migrate(db.url);
if (applied.length) console.log(`[tagpipe] applied migrations: ${applied.join(", ")}`);
// An earlier Tagpipe kept its data in PGlite: moved once, into the still empty database.
await importPgliteIfPresent(db, dataDir(), (line) => console.log(line));
const seeded = TAGPIPE_SEED === "1" && (await seedIfEmpty());

const app = next({ dev, hostname: host, port, dir: process.cwd() });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  void handleHotPath(req, res).then((handled) => {
    if (handled) return;
    const problem = rawTargetProblem(req.url ?? "");
    if (problem) {
      const { status, code, message, fields } = problem;
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
      res.end(JSON.stringify({ error: { code, message, ...(fields ? { fields } : {}) } }));
      return;
    }
    // The client's address as the trusted proxies say (else the socket's), never a header
    // the client set, is what sign-in throttling keys on; and without trusted proxies the
    // forwarded headers a client sent are dropped, so neither Next nor next-auth believes them.
    req.headers["x-tagpipe-client-ip"] = clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"]);
    if (TRUSTED_HOPS === 0) for (const name of FORWARDED_HEADERS) delete req.headers[name];
    void handle(req, res);
  });
});

// The forwarder runs inside this process unless TAGPIPE_WORKER=0 (then: npm run worker). It
// starts once the server answers: with an outbox backlog, rounds sharing this thread
// delayed Next's start-up.
let stopForwarding: (() => Promise<void>) | null = null;
// Publishes made by other processes on this database clear this one's caches at once.
const stopListening = listenForConfigChanges((line) => console.error(line));

server.listen(port, host, () => {
  if (process.env.TAGPIPE_WORKER !== "0") stopForwarding = startForwarding((line) => console.error(line));
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  const url = `http://${host}:${actualPort}`;
  console.log(`[tagpipe] ready on ${url} (${db.kind === "embedded" ? "embedded PostgreSQL" : "PostgreSQL at DATABASE_URL"})`);
  if (seeded) console.log(`[tagpipe] demo data seeded: sign in at ${url}/signin as ${DEMO_EMAIL} / ${DEMO_PASSWORD}`);
  else if (TAGPIPE_SEED === "1") console.log(`[tagpipe] sign in at ${url}/signin (demo: ${DEMO_EMAIL} / ${DEMO_PASSWORD}, if not changed)`);
});

// A port another program (or another Tagpipe) holds: said in words, and the process ends
// (releasing the embedded PostgreSQL) instead of living on without serving.
server.on("error", (error: NodeJS.ErrnoException) => {
  const why = error.code === "EADDRINUSE" ? "the port is already in use (another Tagpipe, or another program): start with PORT=<a free port>" : error.message;
  console.error(`[tagpipe] cannot serve on http://${host}:${port}: ${why}`);
  void stop("not serving", 1);
});

let stopping = false;
async function stop(signal: string, code = 0) {
  if (stopping) return;
  stopping = true;
  console.log(`[tagpipe] ${signal}: shutting down`);
  server.close();
  server.closeAllConnections();
  await stopForwarding?.();
  await stopListening();
  await app.close?.();
  await closeDatabase();
  process.exit(code);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
