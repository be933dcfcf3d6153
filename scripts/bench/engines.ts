// npx tsx scripts/bench/engines.ts name=postgres://… name=postgres://… — PostgreSQL servers
// compared on one workload shaped like Tagpipe's (batches of 20 events with two outbox rows
// each, from 16 connections; then the outbox claimed with FOR UPDATE SKIP LOCKED and marked
// delivered, 4 connections), by turns, ROUNDS rounds (6) of TX transactions (600), the
// tables growing from round to round. Prints, per server, the median rate and PostgreSQL
// CPU per event (its postmaster and every child, from /proc: run it on the servers'
// machine). Used to tell a server's build from its settings (docs/benchmarks.md).
import pg from "pg";
import { cpuMs, median, postmasterOf, sql } from "./collect-lib";

const DATABASE = "tagpipe_engines_bench";
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const TX = Number(process.env.TX ?? 600);
const CLIENTS = 16;

type Measured = { rate: number; cpuPerEvent: number };
type Server = { name: string; admin: string; url: string; postmaster: number; intake: Measured[]; drain: Measured[] };

const inDatabase = (url: string) => {
  const u = new URL(url);
  u.pathname = `/${DATABASE}`;
  return u.toString();
};

const payload = JSON.stringify({ value: 129.9, currency: "EUR", contents: [0, 1, 2].map((i) => ({ id: `sku-${i}`, quantity: 1, item_price: 43.3 })), user: { em: "a".repeat(64), ph: "b".repeat(64) }, url: "https://shop.example/checkout/thanks?order=123" });

/** `work` on `connections` clients of the server's database: its rate and the server's CPU per item it reports done. */
async function timed(server: Server, connections: number, work: (client: pg.Client) => Promise<number>): Promise<Measured> {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    return client;
  }));
  const cpu = cpuMs({ postmaster: server.postmaster });
  const started = Date.now();
  const done = (await Promise.all(clients.map(work))).reduce((a, b) => a + b, 0);
  const measured = { rate: (done / (Date.now() - started)) * 1000, cpuPerEvent: ((cpuMs({ postmaster: server.postmaster }) - cpu) * 1000) / done };
  await Promise.all(clients.map((client) => client.end()));
  return measured;
}

let seq = 0;
const intake = (server: Server) =>
  timed(server, CLIENTS, async (client) => {
    for (let i = 0; i < TX / CLIENTS; i++) {
      const ids = Array.from({ length: 20 }, () => `e-${process.pid}-${++seq}`);
      await client.query(
        `WITH ins AS (INSERT INTO ev (event_id, site, payload) SELECT id, 'site-1', $2::jsonb FROM unnest($1::text[]) AS id ON CONFLICT (event_id) DO NOTHING RETURNING id)
         INSERT INTO dl (ev_id, dest) SELECT ins.id, d FROM ins, unnest(ARRAY['meta', 'tiktok']) AS d`,
        [ids, payload],
      );
    }
    return (TX / CLIENTS) * 20;
  });

const drain = (server: Server) => {
  let left = TX * 20 * 2 * 0.8;
  return timed(server, 4, async (client) => {
    let done = 0;
    while (left > 0) {
      const { rows } = await client.query<{ id: string }>(
        `UPDATE dl SET status = 'sending', attempts = attempts + 1 WHERE id IN (SELECT id FROM dl WHERE status = 'pending' AND next_at <= now() ORDER BY next_at LIMIT 100 FOR UPDATE SKIP LOCKED) RETURNING id`,
      );
      if (!rows.length) break;
      await client.query(`UPDATE dl SET status = 'delivered', response = '200' WHERE id = ANY($1::bigint[])`, [rows.map((r) => r.id)]);
      done += rows.length;
      left -= rows.length;
    }
    return done;
  });
};

async function main() {
  const args = process.argv.slice(2);
  if (!args.length || args.some((arg) => arg.indexOf("=") < 1)) throw new Error("usage: npx tsx scripts/bench/engines.ts name=postgres://… [name=postgres://…]");
  const servers: Server[] = [];
  for (const arg of args) {
    const admin = arg.slice(arg.indexOf("=") + 1);
    await sql(admin, `DROP DATABASE IF EXISTS ${DATABASE}`, `CREATE DATABASE ${DATABASE}`);
    const url = inDatabase(admin);
    await sql(
      url,
      `CREATE TABLE ev (id bigserial PRIMARY KEY, event_id text NOT NULL UNIQUE, site text NOT NULL, payload jsonb NOT NULL, received timestamptz NOT NULL DEFAULT now())`,
      `CREATE INDEX ON ev (site, received)`,
      `CREATE TABLE dl (id bigserial PRIMARY KEY, ev_id bigint NOT NULL, dest text NOT NULL, status text NOT NULL DEFAULT 'pending', attempts int NOT NULL DEFAULT 0, next_at timestamptz NOT NULL DEFAULT now(), response text)`,
      `CREATE INDEX ON dl (status, next_at)`,
    );
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const postmaster = await postmasterOf(client);
    await client.end();
    servers.push({ name: arg.slice(0, arg.indexOf("=")), admin, url, postmaster, intake: [], drain: [] });
  }
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of round % 2 ? [...servers].reverse() : servers) {
        const [i, d] = [await intake(server), await drain(server)];
        server.intake.push(i);
        server.drain.push(d);
        console.error(`round ${round} ${server.name}: intake ${i.rate.toFixed(0)}/s ${i.cpuPerEvent.toFixed(1)} µs; drain ${d.rate.toFixed(0)}/s ${d.cpuPerEvent.toFixed(1)} µs`);
      }
      for (const server of servers) await sql(server.url, "CHECKPOINT");
    }
    const of = (list: Measured[], key: keyof Measured) => median(list.map((m) => m[key])).toFixed(key === "rate" ? 0 : 1);
    for (const s of servers) console.log(`${s.name}: intake ${of(s.intake, "rate")}/s, PostgreSQL ${of(s.intake, "cpuPerEvent")} µs/event; drain ${of(s.drain, "rate")}/s, ${of(s.drain, "cpuPerEvent")} µs/event`);
  } finally {
    for (const server of servers) await sql(server.admin, `DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
