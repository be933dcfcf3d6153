import zlib from "node:zlib";
import { buildScripts } from "../lib/compiler/publish-script";
import { fixtureSnapshot } from "../tests/fixtures/container-fixture";
const gzip = (s: string) => zlib.gzipSync(s, { level: 9 }).length;
const origin = "https://tags.example.com";
const target = { environment: { publicKey: "tp_benchbenchbenchbench", name: "production", kind: "production" }, collectUrl: `${origin}/api/collect`, previewUrl: `${origin}/c/tp_benchbenchbenchbench.1.preview.js` };
const b = await buildScripts(fixtureSnapshot(20, 10), target, (h) => `${origin}/c/tp_benchbenchbenchbench.${h}.js`);
console.log("main", b.script.body.length, gzip(b.script.body), "tags", b.tags!.body.length, gzip(b.tags!.body));
(await import("node:fs")).writeFileSync("/tmp/ct/main.js", b.script.body); (await import("node:fs")).writeFileSync("/tmp/ct/tags.js", b.tags!.body);
