// Main-thread CPU of two or more builds of the container runtime, in one sitting: each
// argument is a JSON file written by `BENCH_DUMP=<file> BENCH_ONLY=thread npm run
// bench:container` in a worktree (the fixture's script and its tags script); the page is
// loaded with each by turns, and with none (control). Prints medians per file.
//   npx tsx scripts/bench/main-thread-compare.ts /tmp/before.json /tmp/after.json
// BENCH_BROWSE=1: the page where nothing converts (scripts/bench/main-thread.ts).
import fs from "node:fs";
import { measureScripts } from "./main-thread";

type Dump = { script: string; collectUrl: string; assets: Record<string, string> };
const files = process.argv.slice(2);
const dumps = files.map((f) => JSON.parse(fs.readFileSync(f, "utf8")) as Dump);
const runs = Number(process.env.BENCH_RUNS ?? 15);
const results = await measureScripts([...dumps.map((d) => d.script), null], dumps[0].collectUrl, Object.assign({}, ...dumps.map((d) => d.assets)), runs, process.env.BENCH_BROWSE === "1");
for (const [i, r] of results.entries()) console.log(`${files[i] ?? "control"} main_thread_ms=${r.scriptMs.toFixed(2)} main_thread_task_ms=${r.taskMs.toFixed(2)} main_thread_sync_ms=${r.syncMs.toFixed(2)}`);
