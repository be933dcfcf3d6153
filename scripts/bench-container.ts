// npm run bench:container – the container script's cost, printed as name=value:
//   runtime_gzip_bytes          the generic runtime alone, every feature in (minified, gzip)
//   fixture_gzip_bytes          the script of a container of 10 destinations and 20 triggers:
//                               its runtime (the features it uses) + its configuration
//   per_trigger_gzip_bytes      what each extra trigger adds (from +20 triggers)
//   per_destination_gzip_bytes  what each extra destination adds (from +10 destinations)
//   main_thread_ms              Chromium: the container's script evaluation plus handling a
//                               page view and three data-layer pushes, timed with
//                               performance.now() around the inline script (median of 15 loads)
//   publish_100_triggers_ms     compile + publish of a 100-trigger container on the embedded
//                               database (publishVersion: compile, store, point the environment)
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import type { AddressInfo } from "node:net";
import { chromium } from "playwright-core";
import { runtimeBundle } from "../lib/compiler/bundle";
import { compileConfig } from "../lib/compiler/compile-config";
import { featuresOf } from "../lib/compiler/features";
import { injectConfig } from "../lib/compiler/inject";
import { fixtureSnapshot } from "../tests/fixtures/container-fixture";

const gzip = (s: string) => zlib.gzipSync(s, { level: 9 }).length;
const target = { environment: { publicKey: "tp_benchbenchbenchbench", name: "production", kind: "production" }, collectUrl: "https://tags.example.com/api/collect", previewUrl: "https://tags.example.com/c/tp_benchbenchbenchbench.1.preview.js" };
const script = async (triggers: number, destinations: number) => {
  const config = compileConfig(fixtureSnapshot(triggers, destinations), target);
  return injectConfig(await runtimeBundle(featuresOf(config)), config);
};

const bundle = await runtimeBundle();
const fixture = await script(20, 10);
console.log(`runtime_min_bytes=${bundle.length}`);
console.log(`runtime_gzip_bytes=${gzip(bundle)}`);
console.log(`fixture_min_bytes=${fixture.length}`);
console.log(`fixture_gzip_bytes=${gzip(fixture)}`);
console.log(`per_trigger_gzip_bytes=${((gzip(await script(40, 10)) - gzip(fixture)) / 20).toFixed(1)}`);
console.log(`per_destination_gzip_bytes=${((gzip(await script(20, 20)) - gzip(fixture)) / 10).toFixed(1)}`);

// Main-thread time in Chromium.
const page = `<!doctype html><html><head><script>
window.fbq=function(){};window.ttq={load(){},page(){},track(){}};window.gtag=function(){};window.dataLayer=[];
window.__t0=performance.now();</script>
<script>${fixture.replace(/<\/script/gi, "<\\/script")}</script>
<script>
dataLayer.push({event:"view_item",ecommerce:{items:[{item_id:"a"}]}});
dataLayer.push({event:"add_to_cart",ecommerce:{value:10,currency:"EUR",items:[{item_id:"a",quantity:1}]}});
dataLayer.push({event:"purchase",ecommerce:{transaction_id:"o"+Math.random(),value:10,currency:"EUR",items:[{item_id:"a"}]}});
window.__t1=performance.now();</script></head><body>shop</body></html>`;
const server = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
});
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const p = await browser.newPage();
  await p.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  times.push(await p.evaluate(() => (window as unknown as { __t1: number; __t0: number }).__t1 - (window as unknown as { __t0: number }).__t0));
  await p.close();
}
await browser.close();
server.close();
times.sort((a, b) => a - b);
console.log(`main_thread_ms=${times[7].toFixed(2)}`);

// Compile + publish of a 100-trigger container, end to end on a fresh embedded database.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-bench-"));
process.env.TAGPIPE_DATA_DIR = dir;
delete process.env.DATABASE_URL;
const { database, closeDatabase } = await import("../lib/db");
const { applyMigrations } = await import("../lib/migrate");
const { createAccount } = await import("../lib/team/accounts");
const { createSite } = await import("../lib/config/sites");
const { importContainer, exportSnapshot, importFile } = await import("../lib/config/transfer");
const { createVersion, publishVersion } = await import("../lib/versions/versions");
await applyMigrations((await database()).adapter);
const { userId, teamId } = await createAccount({ email: "bench@example.com", name: "Bench", password: "bench-password", teamName: "Bench" });
const actor = { teamId, role: "owner" as const, label: "Bench", userId, tokenId: null };
const site = await createSite(actor, { name: "Bench", hostnames: ["shop.example.com"], defaultCurrency: "EUR", regions: [] });
const big = fixtureSnapshot(100, 10);
big.site.regions = [];
for (const d of big.destinations) d.regions = null;
await importContainer(actor, site.container!.id, importFile.parse(JSON.parse(JSON.stringify(exportSnapshot(big)))));
const version = await createVersion(actor, site.container!.id, "bench");
const production = site.container!.environments.find((e) => e.kind === "production")!;
const runs: number[] = [];
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  await publishVersion(actor, version.id, production.id, "bench", "https://tags.example.com");
  runs.push(performance.now() - t0);
}
runs.sort((a, b) => a - b);
console.log(`publish_100_triggers_ms=${runs[3].toFixed(1)}`);
await (await import("./bench/gtm-import")).benchGtmImport(actor, site.container!.id);
await closeDatabase();
fs.rmSync(dir, { recursive: true, force: true });
