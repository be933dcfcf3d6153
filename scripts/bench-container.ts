// npm run bench:container – the container script's cost, printed as name=value:
//   runtime_gzip_bytes          the generic container runtime alone, every feature in (minified, gzip);
//                               the tags (vendor code) are a script of their own since 2026-12-05
//   fixture_gzip_bytes          the script of a container of 10 destinations and 20 triggers:
//                               its runtime (the features it uses) + its configuration — what
//                               every page view downloads
//   fixture_tags_gzip_bytes     its tags script, loaded on the first conversion that fires a
//                               pixel (immutable URL, cached for a year)
//   per_trigger_gzip_bytes      what each extra trigger adds (from +20 triggers)
//   per_destination_gzip_bytes  what each extra destination adds (from +10 destinations)
//   main_thread_ms              Chromium: the renderer main thread's CPU time in scripts
//                               (CDP Performance ScriptDuration, thread ticks) over a checkout
//                               page's life — the container's compile and boot, a page view,
//                               three pushes of which a purchase fires every destination, the
//                               tags script, the beacon — median of 15 loads
//                               (scripts/bench/main-thread.ts); main_thread_task_ms: all its
//                               tasks' CPU (parsing, style, layout too); *_control_*: the same
//                               page without the container
//                               main_thread_net_ms: main_thread_ms less the control's
//   main_thread_sync_ms         the measure the budget was first set in: wall clock from just
//                               before the container's inline script to just after the page's
//                               three pushes (performance.now() in the page: the time the page's
//                               own parsing waits for the container), less the control's; wall
//                               clock, so a loaded machine stretches it
//   main_thread_browse_ms       the same page and pushes at /product/4, where no trigger
//                               matches: what every other page view of a shop costs (also
//                               _control_, _net_, _sync_). BENCH_ONLY=thread
//                               stops after these figures; BENCH_DUMP=<file> writes the fixture's scripts and stops,
//                               for scripts/bench/main-thread-compare.ts (two builds in one sitting)
//   publish_100_triggers_ms     compile + publish of a 100-trigger container on the embedded
//                               database (publishVersion: compile, store, point the environment)
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { measureMainThread } from "./bench/main-thread";
import { runtimeBundle } from "../lib/compiler/bundle";
import { buildScripts } from "../lib/compiler/publish-script";
import { fixtureSnapshot } from "../tests/fixtures/container-fixture";
import { removeDataDir } from "../tests/helpers/server";

const gzip = (s: string) => zlib.gzipSync(s, { level: 9 }).length;
const origin = "https://tags.example.com";
const target = { environment: { publicKey: "tp_benchbenchbenchbench", name: "production", kind: "production" }, collectUrl: `${origin}/api/collect`, previewUrl: `${origin}/c/tp_benchbenchbenchbench.1.preview.js` };
const tagsUrl = (hash: string) => `${origin}/c/tp_benchbenchbenchbench.${hash}.js`;
const scripts = (triggers: number, destinations: number) => buildScripts(fixtureSnapshot(triggers, destinations), target, tagsUrl);

const bundle = await runtimeBundle();
const built = await scripts(20, 10);
const fixture = built.script.body;
console.log(`runtime_min_bytes=${bundle.length}`);
console.log(`runtime_gzip_bytes=${gzip(bundle)}`);
console.log(`fixture_min_bytes=${fixture.length}`);
console.log(`fixture_gzip_bytes=${gzip(fixture)}`);
console.log(`fixture_tags_gzip_bytes=${gzip(built.tags!.body)}`);
console.log(`per_trigger_gzip_bytes=${((gzip((await scripts(40, 10)).script.body) - gzip(fixture)) / 20).toFixed(1)}`);
console.log(`per_destination_gzip_bytes=${((gzip((await scripts(20, 20)).script.body) - gzip(fixture)) / 10).toFixed(1)}`);

// Main-thread CPU time in Chromium (scripts/bench/main-thread.ts).
const assets = { [tagsUrl(built.tags!.hash)]: built.tags!.body };
if (process.env.BENCH_DUMP) {
  fs.writeFileSync(process.env.BENCH_DUMP, JSON.stringify({ script: fixture, collectUrl: target.collectUrl, assets }));
  process.exit(0);
}
const thread = await measureMainThread(fixture, target.collectUrl, assets);
console.log(`main_thread_ms=${thread.scriptMs.toFixed(2)}`);
console.log(`main_thread_task_ms=${thread.taskMs.toFixed(2)}`);
console.log(`main_thread_control_ms=${thread.controlScriptMs.toFixed(2)}`);
console.log(`main_thread_control_task_ms=${thread.controlTaskMs.toFixed(2)}`);
// The container's own share: the same loads' medians less the page's own (control).
console.log(`main_thread_net_ms=${(thread.scriptMs - thread.controlScriptMs).toFixed(2)}`);
console.log(`main_thread_sync_ms=${thread.syncMs.toFixed(2)}`);
const browse = await measureMainThread(fixture, target.collectUrl, assets, 15, true);
console.log(`main_thread_browse_ms=${browse.scriptMs.toFixed(2)}`);
console.log(`main_thread_browse_control_ms=${browse.controlScriptMs.toFixed(2)}`);
console.log(`main_thread_browse_net_ms=${(browse.scriptMs - browse.controlScriptMs).toFixed(2)}`);
console.log(`main_thread_browse_sync_ms=${browse.syncMs.toFixed(2)}`);
if (process.env.BENCH_ONLY === "thread") process.exit(0);

// Compile + publish of a 100-trigger container, end to end on a fresh embedded database.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-bench-"));
process.env.TAGPIPE_DATA_DIR = dir;
delete process.env.DATABASE_URL;
const { database, closeDatabase } = await import("../lib/db");
const { migrate } = await import("../lib/migrate");
const { createAccount } = await import("../lib/team/accounts");
const { createSite } = await import("../lib/config/sites");
const { importContainer, exportSnapshot, importFile } = await import("../lib/config/transfer");
const { createVersion, publishVersion } = await import("../lib/versions/versions");
await migrate((await database()).url);
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
// The data directory and the cluster it links to (as root the cluster lives where the
// postgres user can reach it, /var/lib/tagpipe/clusters: half a gigabyte each, left behind before).
removeDataDir(dir);
