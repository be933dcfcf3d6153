// `npm run simulate` as a developer runs it: 10 shoppers in real Chromium, 3 of them
// blocking the ad platforms' scripts and the collector's beacon, through the real
// collector and forwarder to the stand-ins of every platform, then the orders imported
// and reconciled through the API. With the backend's server copies on, every order is
// counted once at every destination; with them off, the three blocked browsers are
// missing everywhere — at the platforms and in the reconciliation alike — and nothing is
// counted twice.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../scripts/simulate/run";
import { ROOT } from "../helpers/server";

const ORDERS = 10;
const BLOCKED = 3;

/** Runs the command; answers its figures (stdout's name=value lines) and everything it printed. */
function runSimulate(args: string[]): Promise<{ code: number | null; figures: Map<string, string>; lines: string[]; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "simulate", "--", ...args], { cwd: ROOT, env: { ...process.env, VITEST: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = stdout.split("\n").filter((l) => /^\w+=/.test(l));
      resolve({ code, figures: new Map(lines.map((l) => l.split("=") as [string, string])), lines, output });
    });
  });
}

describe("npm run simulate", () => {
  it("server copies on: every order counted once at every destination", { timeout: 420_000 }, async () => {
    const run = await runSimulate(["--orders", String(ORDERS), "--blocked", "0.3", "--server", "on", "--seed", "7", "--parallel", "3"]);
    expect(run.code, run.output.slice(-3000)).toBe(0);
    const n = (name: string) => Number(run.figures.get(name));
    for (const platform of PLATFORMS) {
      expect({ platform, once: n(`${platform}_counted_once`), missing: n(`${platform}_missing`), twice: n(`${platform}_double_counted`) }, run.output.slice(-3000)).toEqual({ platform, once: ORDERS, missing: 0, twice: 0 });
      // The unblocked browsers' pixels reported theirs; the reconciliation sees every order reach the platform.
      expect(n(`${platform}_by_browser`), platform).toBe(ORDERS - BLOCKED);
      expect(n(`${platform}_reconciled_delivered`), platform).toBe(ORDERS);
      expect(n(`${platform}_reconciled_missing`), platform).toBe(0);
    }
    // Meta, TikTok, Pinterest, Snapchat: every order's server copy delivered (merged by event_id with the tag's).
    for (const platform of ["meta", "tiktok", "pinterest", "snapchat"]) expect(n(`${platform}_by_server`), platform).toBe(ORDERS);
    // GA4 and Google Ads: the server copy only where the tag did not run (GA4 would count both).
    for (const platform of ["ga4", "google_ads"]) expect(n(`${platform}_by_server`), platform).toBe(BLOCKED);
    expect(n("blocked_browsers")).toBe(BLOCKED);
    expect(n("reconciled_counted_once")).toBe(ORDERS);
    // The overall lines close the output, in this order.
    expect(run.lines.slice(-4)).toEqual([`orders=${ORDERS}`, `counted_once=${ORDERS}`, "missing=0", "double_counted=0"]);
  });

  it("server copies off: the blocked share is missing everywhere", { timeout: 420_000 }, async () => {
    const run = await runSimulate(["--orders", String(ORDERS), "--blocked", "0.3", "--server", "off", "--seed", "7", "--parallel", "3"]);
    expect(run.code, run.output.slice(-3000)).toBe(0);
    const n = (name: string) => Number(run.figures.get(name));
    for (const platform of PLATFORMS) {
      expect({ platform, once: n(`${platform}_counted_once`), missing: n(`${platform}_missing`), twice: n(`${platform}_double_counted`) }, run.output.slice(-3000)).toEqual({ platform, once: ORDERS - BLOCKED, missing: BLOCKED, twice: 0 });
      expect(n(`${platform}_by_browser`), platform).toBe(ORDERS - BLOCKED);
      // The reconciliation says the same as the platforms: the blocked browsers' orders never arrived.
      expect(n(`${platform}_reconciled_missing`), platform).toBe(BLOCKED);
      expect(n(`${platform}_reconciled_delivered`), platform).toBe(ORDERS - BLOCKED);
      expect(n(`${platform}_accuracy`), platform).toBeCloseTo((ORDERS - BLOCKED) / ORDERS, 3);
    }
    expect(n("reconciled_counted_once")).toBe(ORDERS - BLOCKED);
    expect(run.lines.slice(-4)).toEqual([`orders=${ORDERS}`, `counted_once=${ORDERS - BLOCKED}`, `missing=${BLOCKED}`, "double_counted=0"]);
  });

  it("refuses a bad argument, naming it", { timeout: 180_000 }, async () => {
    const run = await runSimulate(["--orders", "10", "--server", "maybe"]);
    expect(run.code).toBe(2);
    expect(run.output).toContain("--server must be on or off");
    expect(run.lines).toEqual([]);
  });
});
