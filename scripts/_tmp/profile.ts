import http from "node:http";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import { buildScripts } from "../../lib/compiler/publish-script";
import { fixtureSnapshot } from "../../tests/fixtures/container-fixture";
const origin = "https://tags.example.com";
const target = { environment: { publicKey: "tp_benchbenchbenchbench", name: "production", kind: "production" }, collectUrl: `${origin}/api/collect`, previewUrl: `${origin}/c/tp_benchbenchbenchbench.1.preview.js` };
const tagsUrl = (hash: string) => `${origin}/c/tp_benchbenchbenchbench.${hash}.js`;
const built = await buildScripts(fixtureSnapshot(20, 10), target, tagsUrl);
const html = `<!doctype html><html><head><script>
window.fbq=function(){};window.ttq={load(){},page(){},track(){}};window.gtag=function(){};window.dataLayer=[];</script>
<script>${built.script.body.replace(/<\/script/gi, "<\\/script")}</script>
<script>
dataLayer.push({event:"view_item",ecommerce:{items:[{item_id:"a"}]}});
dataLayer.push({event:"add_to_cart",ecommerce:{value:10,currency:"EUR",items:[{item_id:"a",quantity:1}]}});
dataLayer.push({event:"purchase",ecommerce:{transaction_id:"o"+Math.random(),value:10,currency:"EUR",items:[{item_id:"a"}]}});
</script></head><body>shop</body></html>`;
const server = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"] });
for (let i = 0; i < 3; i++) {
  const context = await browser.newContext();
  await context.route("https://**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(tagsUrl(built.tags!.hash))) return route.fulfill({ status: 200, headers: { "content-type": "application/javascript", "access-control-allow-origin": "*" }, body: built.tags!.body });
    return route.fulfill({ status: 204, body: "" });
  });
  const p = await context.newPage();
  const cdp = await context.newCDPSession(p);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  await cdp.send("Performance.enable", { timeDomain: "threadTicks" });
  await p.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/checkout/4`);
  await new Promise((r) => setTimeout(r, 1500));
  const { metrics } = (await cdp.send("Performance.getMetrics")) as { metrics: { name: string; value: number }[] };
  const { profile } = (await cdp.send("Profiler.stop")) as { profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, k) => {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || "(anon)"} ${n.callFrame.url.slice(-20)}:${n.callFrame.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
  });
  console.log("ScriptDuration", (metrics.find((m) => m.name === "ScriptDuration")!.value * 1000).toFixed(2));
  console.log([...self].filter(([k]) => !k.startsWith("(idle)") && !k.startsWith("(program)")).sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, v]) => `${v.toFixed(2)} ${k}`).join("\n"));
  await context.close();
}
await browser.close(); server.close();
