// The "lean sketch", run by `npm run bench:collect` beside the real collector so
// both are measured on the same machine in the same run: node:http, JSON.parse, then all
// waiting requests' events group-committed in one multi-row INSERT … ON CONFLICT DO
// NOTHING (PostgreSQL, fsync on) before each 202. No validation, enrichment, hashing or
// outbox: what the machine allows, not a collector. Usage: node lean-collector.mjs <port> <database url>
import http from "node:http";
import pg from "pg";

const [port, url] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 4 });
let queue = [];
let running = 0;

async function drain() {
  running++;
  while (queue.length) {
    await new Promise((resolve) => setImmediate(resolve));
    const batch = queue;
    queue = [];
    const rows = batch.flatMap((b) => b.rows);
    await pool.query(
      `INSERT INTO lean_event (key, name, event_id, body) SELECT k, n, i, b FROM jsonb_to_recordset($1::jsonb) AS t(k text, n text, i text, b jsonb) ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
    for (const b of batch) b.answer();
  }
  running--;
}

pool
  .query(`CREATE TABLE IF NOT EXISTS lean_event (key text, name text, event_id text, body jsonb, received timestamptz DEFAULT now(), PRIMARY KEY (key, name, event_id))`)
  .then(() => {
    http
      .createServer((req, res) => {
        let text = "";
        req.setEncoding("utf8");
        req.on("data", (chunk) => (text += chunk));
        req.on("end", () => {
          const body = JSON.parse(text);
          const rows = body.events.map((e) => ({ k: body.key, n: e.name, i: e.event_id, b: e }));
          queue.push({ rows, answer: () => res.writeHead(202, { "content-type": "application/json" }).end(`{"accepted":${rows.length}}`) });
          if (running < 2) void drain();
        });
      })
      .listen(Number(port), "127.0.0.1", () => console.log("up"));
  });
