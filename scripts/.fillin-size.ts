import zlib from "node:zlib";
import fs from "node:fs";
import { buildScripts } from "../lib/compiler/publish-script";
import { fixtureSnapshot } from "../tests/fixtures/container-fixture";
const origin = "https://tags.example.com";
const target = { environment: { publicKey: "tp_benchbenchbenchbench", name: "production", kind: "production" }, collectUrl: `${origin}/api/collect`, previewUrl: `${origin}/c/tp_benchbenchbenchbench.1.preview.js` };
const built = await buildScripts(fixtureSnapshot(20, 10), target, (h: string) => `${origin}/c/tp_benchbenchbenchbench.${h}.js`);
fs.writeFileSync(process.argv[2] ?? "/tmp/fillin-fixture.js", built.script.body);
console.log(`fixture_gzip_bytes=${zlib.gzipSync(built.script.body, { level: 9 }).length}`);
