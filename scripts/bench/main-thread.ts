// The container's main-thread time in Chromium, as CPU time: Chromium's own Performance
// metrics (CDP Performance.getMetrics) with the thread-ticks time domain, so the figure
// counts the renderer main thread's CPU spent running scripts (ScriptDuration: compile
// and run) and in tasks of any kind (TaskDuration: also HTML parsing, style, layout), not
// the wall clock, which a loaded machine stretches.
//
// The page is a checkout page (/checkout/4): the fixture's purchase trigger matches it,
// so one conversion fires to every destination the page's region allows — validation,
// the tags (and, where they load on first fire, their script), the beacon. Each load is
// read once the collector's beacon has left (the page's whole life as a storefront sees
// it, not a window around the inline script), and nothing of the harness runs in the page
// before the metrics are read. The same page without the container is measured alike
// (`control`): the floor the page itself costs.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";

export type MainThread = { scriptMs: number; taskMs: number; controlScriptMs: number; controlTaskMs: number };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function page(script: string | null): string {
  return `<!doctype html><html><head><script>
window.fbq=function(){};window.ttq={load(){},page(){},track(){}};window.gtag=function(){};window.dataLayer=[];</script>
${script === null ? "" : `<script>${script.replace(/<\/script/gi, "<\\/script")}</script>`}
<script>
dataLayer.push({event:"view_item",ecommerce:{items:[{item_id:"a"}]}});
dataLayer.push({event:"add_to_cart",ecommerce:{value:10,currency:"EUR",items:[{item_id:"a",quantity:1}]}});
dataLayer.push({event:"purchase",ecommerce:{transaction_id:"o"+Math.random(),value:10,currency:"EUR",items:[{item_id:"a"}]}});
</script></head><body>shop</body></html>`;
}

/**
 * Loads the page `runs` times with and without the container script; `assets` answers the
 * container's own requests (its origin's scripts, the collector) by URL prefix.
 */
export async function measureMainThread(script: string, collectUrl: string, assets: Record<string, string>, runs = 15): Promise<MainThread> {
  const [a, b] = await measureScripts([script, null], collectUrl, assets, runs);
  return { scriptMs: a.scriptMs, taskMs: a.taskMs, controlScriptMs: b.scriptMs, controlTaskMs: b.taskMs };
}

/**
 * Loads the page with each script (null: none) by turns, `runs` times each, so a change of
 * the machine's load touches all alike: medians of script and task CPU per script. Used
 * to compare two builds of the runtime in one sitting (scripts/bench/main-thread-compare.ts).
 */
export async function measureScripts(scripts: (string | null)[], collectUrl: string, assets: Record<string, string>, runs = 15): Promise<{ scriptMs: number; taskMs: number }[]> {
  const pages = scripts.map(page);
  const server = http.createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(pages[Number(new URL(req.url ?? "/", "http://x").searchParams.get("v") ?? 0)]));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
  const load = async (path: string, waitForBeacon: boolean) => {
    const context = await browser.newContext();
    let beacon!: () => void;
    const sent = new Promise<void>((resolve) => (beacon = resolve));
    await context.route("https://**/*", (route) => {
      const url = route.request().url();
      if (url.startsWith(collectUrl)) {
        beacon();
        return route.fulfill({ status: 202, headers: { "access-control-allow-origin": "*" }, body: "" });
      }
      const asset = Object.keys(assets).find((prefix) => url.startsWith(prefix));
      if (asset) return route.fulfill({ status: 200, headers: { "content-type": "application/javascript", "access-control-allow-origin": "*" }, body: assets[asset] });
      return route.fulfill({ status: 204, body: "" });
    });
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
    await p.goto(`${origin}${path}`);
    if (waitForBeacon) await Promise.race([sent, new Promise((_, reject) => setTimeout(() => reject(new Error("no beacon left the page in 10 s")), 10_000))]);
    else await new Promise((resolve) => setTimeout(resolve, 1100));
    const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
    await context.close();
    const metric = (name: string) => (metrics.find((m) => m.name === name)?.value ?? NaN) * 1000;
    return { script: metric("ScriptDuration"), task: metric("TaskDuration") };
  };
  const measured = scripts.map(() => ({ script: [] as number[], task: [] as number[] }));
  try {
    for (let i = 0; i < runs; i++)
      for (const [v, script] of scripts.entries()) {
        const m = await load(`/checkout/4?v=${v}`, script !== null);
        measured[v].script.push(m.script);
        measured[v].task.push(m.task);
      }
  } finally {
    await browser.close();
    server.close();
  }
  return measured.map((m) => ({ scriptMs: median(m.script), taskMs: median(m.task) }));
}
