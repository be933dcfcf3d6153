// The server's V8 flags (lib/http/node-flags.json) reach every way the server is started:
// `npm start` runs the server in the process its script starts, so the script must pass
// them (scripts/start.mjs falls back to a child process with them, a process more).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVER_NODE_FLAGS } from "../../lib/http/node-flags";

const scripts = (JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

describe("the server's node flags", () => {
  it.each(["start", "collector"])("are passed by npm run %s", (name) => {
    const words = scripts[name].split(/\s+/);
    for (const flag of SERVER_NODE_FLAGS) expect(words, `${flag} in the ${name} script`).toContain(flag);
  });
});
