// stream_latency_p95_ms: how long from the collector's 202 for a server event until the
// live stream API (GET /api/v1/environments/{id}/events, the first page the dashboard
// polls) returns it. Against a running server: `measureStreamLatency({ baseUrl })` signs
// up a team of its own (the server needs TAGPIPE_OPEN_SIGNUP=1, or to be empty), publishes
// a purchase event to production, sends events one at a time with the server key and polls
// the stream every `pollMs` until each shows. The dashboard polls every second, so a
// screen shows an event within this figure plus up to one second.
//
// Alone, `tsx scripts/bench/stream-latency.ts` starts its own server on a temporary
// PostgreSQL database (as scripts/bench-collect.ts does) and prints stream_latency_p95_ms=<n>.
// Settings: BENCH_STREAM_EVENTS (default 60), BENCH_STREAM_POLL_MS (default 20).
import { randomBytes, randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";

export type StreamLatencyOptions = {
  /** The running server, e.g. http://127.0.0.1:3000 */
  baseUrl: string;
  /** Events to time, one after the other (default 60). */
  events?: number;
  /** How often the stream API is asked while waiting for an event (default 20 ms). */
  pollMs?: number;
  /** Progress and the spread of the samples (default: stderr). */
  log?: (line: string) => void;
};

type Setup = { token: string; environmentId: string; serverKey: string };

async function call(base: string, method: string, path: string, body: unknown, auth: { token?: string; cookie?: string }): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.cookie) Object.assign(headers, { cookie: auth.cookie, origin: base });
  const response = await fetch(new URL(`/api/v1${path}`, base), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** A session cookie for email/password (next-auth's credentials flow). */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const cookies = new Map<string, string>();
  const keep = (r: Response) => {
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair.indexOf("=");
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(new URL("/api/auth/csrf", base));
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await fetch(new URL("/api/auth/callback/credentials", base), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: header() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/` }).toString(),
  });
  keep(response);
  if (![...cookies.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed: ${response.status}`);
  return header();
}

/** A team, a site whose production environment runs a published purchase event, an API token and a server key. */
async function setUp(base: string): Promise<Setup> {
  const id = randomBytes(4).toString("hex");
  const email = `stream-bench-${id}@example.test`;
  const password = `stream-bench-${id}-password`;
  await call(base, "POST", "/signup", { email, password, name: "Stream bench", teamName: `Stream bench ${id}` }, {});
  const cookie = await signIn(base, email, password);
  const token = (await call(base, "POST", "/tokens", { name: `stream-bench-${id}`, role: "owner" }, { cookie })).secret as string;
  const auth = { token };
  const site = await call(base, "POST", "/sites", { name: `Stream bench ${id}`, hostnames: [`stream-${id}.example.com`], defaultCurrency: "EUR" }, auth);
  const container = site.container as { id: string; environments: { id: string; kind: string }[] };
  const plan = await call(base, "POST", "/plan/events", { preset: "purchase" }, auth);
  const variable = async (name: string, path: string) => (await call(base, "POST", `/containers/${container.id}/variables`, { name, definition: { kind: "data_layer", path } }, auth)).id;
  const mappings = {
    value: await variable("value", "ecommerce.value"),
    currency: await variable("currency", "ecommerce.currency"),
    order_id: await variable("order", "ecommerce.transaction_id"),
    content_ids: await variable("items", "ecommerce.items[].item_id"),
  };
  await call(base, "POST", `/containers/${container.id}/events`, { planEventId: plan.id, mappings }, auth);
  const version = await call(base, "POST", `/containers/${container.id}/versions`, { note: "stream latency" }, auth);
  const production = container.environments.find((e) => e.kind === "production")!;
  await call(base, "POST", `/versions/${version.id}/publish`, { environmentId: production.id }, auth);
  const rotated = await call(base, "PATCH", `/environments/${production.id}`, { rotateServerKey: true }, auth);
  return { token, environmentId: production.id, serverKey: rotated.serverKey as string };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The p95, in ms, from the collector's 202 to the event in the stream API's first page. */
export async function measureStreamLatency(opts: StreamLatencyOptions): Promise<number> {
  const base = opts.baseUrl.replace(/\/$/, "");
  const events = opts.events ?? 60;
  const pollMs = opts.pollMs ?? 20;
  const log = opts.log ?? ((line: string) => process.stderr.write(`[stream-latency] ${line}\n`));
  const setup = await setUp(base);
  const samples: number[] = [];
  for (let i = 0; i < events; i++) {
    const eventId = `stream-${randomUUID()}`;
    const response = await fetch(new URL("/api/v1/events", base), {
      method: "POST",
      headers: { authorization: `Bearer ${setup.serverKey}`, "content-type": "application/json" },
      body: JSON.stringify({ events: [{ event_id: eventId, name: "purchase", params: { value: 10, currency: "EUR", order_id: eventId, content_ids: ["sku-1"] }, user_data: { external_id: "bench" } }] }),
    });
    const answered = performance.now();
    if (response.status !== 202) throw new Error(`the collector answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    await response.arrayBuffer();
    for (;;) {
      const page = (await call(base, "GET", `/environments/${setup.environmentId}/events?limit=50`, undefined, { token: setup.token })) as { data: { eventId: string }[] };
      if (page.data.some((e) => e.eventId === eventId)) break;
      if (performance.now() - answered > 30_000) throw new Error(`${eventId} did not show in the stream within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    samples.push(performance.now() - answered);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  log(`${events} events, polled every ${pollMs} ms: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`);
  return Math.round(percentile(sorted, 95));
}

async function main() {
  // The harness of the tests: a production build and a server on a temporary PostgreSQL database.
  const { ensureBuild, testDistDir } = await import("../../tests/helpers/build");
  const { createDatabase, dropDatabase } = await import("../../tests/helpers/postgres");
  const { startServer } = await import("../../tests/helpers/server");
  const log = (line: string) => process.stderr.write(`[stream-latency] ${line}\n`);
  ensureBuild(testDistDir(), log);
  const database = await createDatabase("stream");
  try {
    const server = await startServer({ name: "bench-stream", backend: "postgres", distDir: testDistDir(), databaseUrl: database.url, env: { TAGPIPE_OPEN_SIGNUP: "1" } });
    try {
      log(`server ${server.url} on ${database.name}`);
      const p95 = await measureStreamLatency({
        baseUrl: server.url,
        events: Number(process.env.BENCH_STREAM_EVENTS ?? 60),
        pollMs: Number(process.env.BENCH_STREAM_POLL_MS ?? 20),
        log,
      });
      process.stdout.write(`stream_latency_p95_ms=${p95}\n`);
    } finally {
      await server.stop();
    }
  } finally {
    await dropDatabase(database.name);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
