// The container's main-thread time in Chromium, as CPU time: Chromium's own Performance
// metrics (CDP Performance.getMetrics) with the thread-ticks time domain, so the figure
// counts the renderer main thread's CPU spent running scripts (ScriptDuration: compile
// and run) and in tasks of any kind (TaskDuration: also HTML parsing, style, layout), not
// the wall clock, which a loaded machine stretches.
//
// The page is a checkout page (/checkout/4): the fixture's purchase trigger matches it,
// so one conversion fires to every destination the page's region allows — validation,
// the tags (and, where they load on first fire, their script), the beacon. `browse`: the
// same page and pushes at /product/4, where no trigger matches — what every other page
// view of a shop costs (boot, page view, pushes, trigger checks, the deferred preview and
// queue checks), read 1.5 s after navigation (past the runtime's 1 s timers). Each load is
// read once the collector's beacon has arrived (the page's whole life as a storefront
// sees it, not a window around the inline script), and nothing of the harness runs in
// the page before the metrics are read. The same page without the container is measured
// alike (`control`): the floor the page itself costs.
//
// Chromium is driven over a bare DevTools pipe with the Performance domain alone enabled.
// A Playwright page enables the Network and Runtime domains, and with them Chromium
// records a JavaScript stack trace for every request a script starts (the tags script,
// the image pixel, the beacon) — reparsing functions for their source positions, inside
// the container's own script time: instrumentation a visitor's browser never runs. So
// nothing intercepts requests either: one local server answers the page, the container's
// scripts and the collector, at the URLs the fixture names with its origin replaced by
// the server's; every other host resolves nowhere (network stays on 127.0.0.1).
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Readable, Writable } from "node:stream";

export type MainThread = { scriptMs: number; taskMs: number; syncMs: number; controlScriptMs: number; controlTaskMs: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** The page; `src`: the container as installed, an async script from that URL, instead of inline. */
function page(script: string | null, src?: string): string {
  return `<!doctype html><html><head><script>
window.fbq=function(){};window.ttq={load(){},page(){},track(){}};window.gtag=function(){};window.dataLayer=[];window.__t0=performance.now();</script>
${script === null ? "" : src ? `<script async src="${src}"></script>` : `<script>${script.replace(/<\/script/gi, "<\\/script")}</script>`}
<script>
dataLayer.push({event:"view_item",ecommerce:{items:[{item_id:"a"}]}});
dataLayer.push({event:"add_to_cart",ecommerce:{value:10,currency:"EUR",items:[{item_id:"a",quantity:1}]}});
dataLayer.push({event:"purchase",ecommerce:{transaction_id:"o"+Math.random(),value:10,currency:"EUR",items:[{item_id:"a"}]}});
window.__t1=performance.now();</script></head><body>shop</body></html>`;
}

type Cdp = { send(method: string, params?: object, sessionId?: string): Promise<Record<string, unknown>>; close(): Promise<void> };

/** Chromium with a DevTools pipe (--remote-debugging-pipe: JSON messages, NUL-separated, on fds 3 and 4). */
function launch(hostPort: string): Cdp {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-thread-"));
  const child = spawn(
    process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--remote-debugging-pipe",
      `--user-data-dir=${profile}`, `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${hostPort.split(":")[0]}`, "about:blank",
    ],
    { stdio: ["ignore", "ignore", "ignore", "pipe", "pipe"] },
  );
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  let id = 0;
  const pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let buffer = "";
  output.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    let end: number;
    while ((end = buffer.indexOf("\0")) >= 0) {
      const message = JSON.parse(buffer.slice(0, end)) as { id?: number; result?: Record<string, unknown>; error?: { message: string } };
      buffer = buffer.slice(end + 1);
      const waiter = message.id === undefined ? undefined : pending.get(message.id);
      if (!waiter) continue;
      pending.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result ?? {});
    }
  });
  return {
    send: (method, params = {}, sessionId) =>
      new Promise((resolve, reject) => {
        pending.set(++id, { resolve, reject });
        input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
      }),
    close: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      input.write(`${JSON.stringify({ id: ++id, method: "Browser.close", params: {} })}\0`);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null) child.kill();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Loads the page `runs` times with and without the container script; `assets` answers the
 * container's own requests (its origin's scripts) by URL prefix, `collectUrl` its beacon.
 */
export async function measureMainThread(script: string, collectUrl: string, assets: Record<string, string>, runs = 15, browse = false): Promise<MainThread> {
  const [a, b] = await measureScripts([script, null], collectUrl, assets, runs, browse);
  return { scriptMs: a.scriptMs, taskMs: a.taskMs, syncMs: a.syncMs - b.syncMs, controlScriptMs: b.scriptMs, controlTaskMs: b.taskMs };
}

/**
 * Loads the page with each script (null: none) by turns, `runs` times each, so a change of
 * the machine's load touches all alike: medians of script and task CPU per script. Used
 * to compare two builds of the runtime in one sitting (scripts/bench/main-thread-compare.ts).
 * BENCH_THREAD_ASYNC=1: each container is loaded as installed, `<script async src>` (its
 * compile then streams on a background thread), instead of inline.
 */
export async function measureScripts(scripts: (string | null)[], collectUrl: string, assets: Record<string, string>, runs = 15, browse = false): Promise<{ scriptMs: number; taskMs: number; syncMs: number }[]> {
  const from = new URL(collectUrl).origin;
  let pages: string[] = [];
  let bodies: (string | null)[] = [];
  let local: Record<string, string> = {};
  let beacon: (() => void) | undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/checkout/4" || url.pathname === "/product/4") return res.writeHead(200, { "content-type": "text/html" }).end(pages[Number(url.searchParams.get("v") ?? 0)]);
    const cors = { "access-control-allow-origin": "*" };
    if (req.method === "POST" && url.pathname === new URL(collectUrl).pathname) {
      req.resume().on("end", () => {
        res.writeHead(202, cors).end();
        beacon?.();
      });
      return;
    }
    const container = /^\/container\/(\d+)\.js$/.exec(url.pathname);
    if (container) return res.writeHead(200, { "content-type": "application/javascript" }).end(bodies[Number(container[1])]);
    const asset = local[url.pathname];
    if (asset !== undefined) return res.writeHead(200, { ...cors, "content-type": "application/javascript" }).end(asset);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const hostPort = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  const origin = `http://${hostPort}`;
  bodies = scripts.map((s) => s?.split(from).join(origin) ?? null);
  pages = bodies.map((s, v) => page(s, process.env.BENCH_THREAD_ASYNC === "1" ? `/container/${v}.js` : undefined));
  local = Object.fromEntries(Object.entries(assets).map(([url, body]) => [new URL(url).pathname, body]));
  const cdp = launch(hostPort);
  const load = async (v: number, waitForBeacon: boolean) => {
    const { browserContextId } = await cdp.send("Target.createBrowserContext");
    try {
      const { targetId } = await cdp.send("Target.createTarget", { url: "about:blank", browserContextId });
      const { sessionId } = (await cdp.send("Target.attachToTarget", { targetId, flatten: true })) as { sessionId: string };
      await cdp.send("Performance.enable", { timeDomain: "threadTicks" }, sessionId);
      if (profile && bodies[v] !== null) {
        await cdp.send("Profiler.enable", {}, sessionId);
        await cdp.send("Profiler.setSamplingInterval", { interval: 25 }, sessionId);
        await cdp.send("Profiler.start", {}, sessionId);
      }
      const sent = new Promise<void>((resolve, reject) => {
        beacon = resolve;
        setTimeout(() => reject(new Error("no beacon reached the collector in 10 s")), 10_000).unref();
      });
      await cdp.send("Page.navigate", { url: `${origin}/${browse ? "product" : "checkout"}/4?v=${v}` }, sessionId);
      if (waitForBeacon) await sent;
      else await new Promise((resolve) => setTimeout(resolve, browse ? 1500 : 1100));
      sent.catch(() => {});
      const { metrics } = (await cdp.send("Performance.getMetrics", {}, sessionId)) as { metrics: { name: string; value: number }[] };
      const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
      if (profile && bodies[v] !== null) profile.add(((await cdp.send("Profiler.stop", {}, sessionId)) as { profile: CpuProfile }).profile, v);
      const { result } = (await cdp.send("Runtime.evaluate", { expression: "window.__t1 - window.__t0", returnByValue: true }, sessionId)) as { result: { value: number } };
      return { script: metric("ScriptDuration"), task: metric("TaskDuration"), sync: result.value };
    } finally {
      beacon = undefined;
      await cdp.send("Target.disposeBrowserContext", { browserContextId });
    }
  };
  const measured = scripts.map(() => ({ script: [] as number[], task: [] as number[], sync: [] as number[] }));
  const profile = process.env.BENCH_PROFILE === "1" ? selfTimes() : undefined;
  try {
    for (let i = 0; i < runs; i++)
      for (const [v, script] of scripts.entries()) {
        const m = await load(v, script !== null && !browse);
        measured[v].script.push(m.script);
        measured[v].task.push(m.task);
        measured[v].sync.push(m.sync);
      }
  } finally {
    await cdp.close();
    server.close();
  }
  profile?.print(runs);
  return measured.map((m) => ({ scriptMs: median(m.script), taskMs: median(m.task), syncMs: median(m.sync) }));
}

type CpuProfile = {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
};

/**
 * BENCH_PROFILE=1: a sampling CPU profile (25 µs) of each load with a container, summed
 * per script and function (self time, the sampler's wall clock while the main thread ran
 * that function), printed on stderr as the mean per load: where the figure goes. The
 * profiler's own cost inflates every entry; use it for shares, not for the figure.
 */
function selfTimes() {
  const totals = new Map<string, number>();
  return {
    add(p: CpuProfile, v: number) {
      const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
      for (const [i, id] of p.samples.entries()) {
        const f = frames.get(id)!;
        const where = /\/(container|checkout|product)\//.test(f.url) ? `page v${v}` : f.url.split("/").pop() || "(native)";
        const key = `${f.functionName || "(anonymous)"} ${where}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
        totals.set(key, (totals.get(key) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
      }
    },
    print(runs: number) {
      const top = [...totals].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, 40);
      for (const [key, ms] of top) process.stderr.write(`${(ms / runs).toFixed(3).padStart(8)} ms  ${key}\n`);
    },
  };
}
