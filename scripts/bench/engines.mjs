// node scripts/bench/engines.mjs name=postgres://… name=postgres://… — PostgreSQL servers
// compared on one workload shaped like Tagpipe's (batches of 20 events with two outbox rows
// each, from 16 connections; then the outbox claimed with FOR UPDATE SKIP LOCKED and marked
// delivered, 4 connections), by turns, ROUNDS rounds (6) of TX transactions (600), the
// tables growing from round to round. Prints, per server, the median rate and PostgreSQL
// CPU per event (its postmaster and every child, from /proc: run it on the servers'
// machine). Used to tell a server's build from its settings (docs/benchmarks.md).
import fs from "node:fs";
import pg from "pg";

const DATABASE = "tagpipe_engines_bench";
const at = (url, database) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

const clusters = process.argv.slice(2).map((arg) => {
  const at = arg.indexOf("=");
  if (at < 1) throw new Error(`expected name=postgres://…, got ${arg}`);
  return { name: arg.slice(0, at), url: arg.slice(at + 1) };
});
if (!clusters.length) throw new Error("usage: node scripts/bench/engines.mjs name=postgres://… [name=postgres://…]");
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const TX = Number(process.env.TX ?? 600);
const CLIENTS = 16;

/** The postmaster: the parent of this connection's backend. */
async function postmasterPid(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query("SELECT pg_backend_pid() AS pid");
  const stat = fs.readFileSync(`/proc/${rows[0].pid}/stat`, "utf8");
  await client.end();
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
}
function cpuTicks(root) {
  let total = 0;
  for (const d of fs.readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      const f = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const rest = f.slice(f.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(rest[1]);
      const pid = Number(d);
      if (pid !== root && ppid !== root) continue;
      total += Number(rest[11]) + Number(rest[12]);
      if (pid === root) total += Number(rest[13]) + Number(rest[14]);
    } catch {}
  }
  return total * 10; // ms
}

const payload = JSON.stringify({ value: 129.9, currency: "EUR", contents: Array.from({ length: 3 }, (_, i) => ({ id: `sku-${i}`, quantity: 1, item_price: 43.3 })), user: { em: "a".repeat(64), ph: "b".repeat(64) }, url: "https://shop.example/checkout/thanks?order=123" });

async function setup(c) {
  const admin = new pg.Client({ connectionString: c.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  await admin.end();
  const client = new pg.Client({ connectionString: at(c.url, DATABASE) });
  await client.connect();
  await client.query(`CREATE TABLE ev (id bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, site text NOT NULL, payload jsonb NOT NULL, received timestamptz NOT NULL DEFAULT now());
    CREATE INDEX ON ev (site, received);
    CREATE TABLE dl (id bigserial PRIMARY KEY, ev_id bigint NOT NULL, dest text NOT NULL, status text NOT NULL DEFAULT 'pending', attempts int NOT NULL DEFAULT 0, next_at timestamptz NOT NULL DEFAULT now(), response text);
    CREATE INDEX ON dl (status, next_at);`);
  await client.end();
}

let seq = 0;
async function intake(c) {
  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const cl = new pg.Client({ connectionString: at(c.url, DATABASE) });
    await cl.connect();
    return cl;
  }));
  const root = c.pm;
  const before = cpuTicks(root);
  const t0 = Date.now();
  let events = 0;
  await Promise.all(clients.map(async (cl) => {
    for (let i = 0; i < TX / CLIENTS; i++) {
      const ids = Array.from({ length: 20 }, () => `e-${process.pid}-${++seq}`);
      await cl.query(`WITH ins AS (INSERT INTO ev (event_id, site, payload) SELECT id, 'site-1', $2::jsonb FROM unnest($1::text[]) AS id ON CONFLICT (event_id) DO NOTHING RETURNING id)
        INSERT INTO dl (ev_id, dest) SELECT ins.id, d FROM ins, unnest(ARRAY['meta','tiktok']) AS d`, [ids, payload]);
      events += 20;
    }
  }));
  const wall = Date.now() - t0;
  const cpu = cpuTicks(root) - before;
  await Promise.all(clients.map((cl) => cl.end()));
  return { rate: (events / wall) * 1000, cpuPerEvent: (cpu * 1000) / events };
}

async function drain(c) {
  const clients = await Promise.all(Array.from({ length: 4 }, async () => {
    const cl = new pg.Client({ connectionString: at(c.url, DATABASE) });
    await cl.connect();
    return cl;
  }));
  const before = cpuTicks(c.pm);
  const t0 = Date.now();
  let done = 0;
  const target = (TX * 20 * 2) * 0.8;
  await Promise.all(clients.map(async (cl) => {
    while (done < target) {
      const { rows } = await cl.query(`UPDATE dl SET status = 'sending', attempts = attempts + 1 WHERE id IN (SELECT id FROM dl WHERE status = 'pending' AND next_at <= now() ORDER BY next_at LIMIT 100 FOR UPDATE SKIP LOCKED) RETURNING id`);
      if (!rows.length) break;
      await cl.query(`UPDATE dl SET status = 'delivered', response = '200' WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      done += rows.length;
    }
  }));
  const wall = Date.now() - t0;
  const cpu = cpuTicks(c.pm) - before;
  await Promise.all(clients.map((cl) => cl.end()));
  return { rate: (done / wall) * 1000, cpuPerEvent: (cpu * 1000) / done };
}

for (const c of clusters) {
  c.pm = await postmasterPid(c.url);
  await setup(c);
  c.results = { intake: [], drain: [] };
}
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (let r = 0; r < ROUNDS; r++) {
  const order = r % 2 ? [...clusters].reverse() : clusters;
  for (const c of order) {
    const i = await intake(c);
    const d = await drain(c);
    c.results.intake.push(i);
    c.results.drain.push(d);
    console.error(`round ${r} ${c.name}: intake ${i.rate.toFixed(0)}/s ${i.cpuPerEvent.toFixed(1)} µs; drain ${d.rate.toFixed(0)}/s ${d.cpuPerEvent.toFixed(1)} µs`);
  }
  for (const c of clusters) await (async () => { const cl = new pg.Client({ connectionString: at(c.url, DATABASE) }); await cl.connect(); await cl.query("CHECKPOINT"); await cl.end(); })();
}
for (const c of clusters) {
  console.log(`${c.name}: intake ${med(c.results.intake.map((x) => x.rate)).toFixed(0)}/s cpu ${med(c.results.intake.map((x) => x.cpuPerEvent)).toFixed(1)} µs/event; drain ${med(c.results.drain.map((x) => x.rate)).toFixed(0)}/s cpu ${med(c.results.drain.map((x) => x.cpuPerEvent)).toFixed(1)} µs/event`);
}
for (const c of clusters) {
  const admin = new pg.Client({ connectionString: c.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE}`);
  await admin.end();
}
