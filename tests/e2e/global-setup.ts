// Starts one Tagpipe server for the end-to-end tests, as `npm start` would on a fresh
// machine: an empty embedded PostgreSQL, migrated and seeded with the demo team. The ad
// platforms' base URLs point at the local stand-ins (tests/helpers/stand-ins.ts), so a
// journey that sends events sees them delivered without leaving 127.0.0.1.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import type { TestProject } from "vitest/node";
import { removeDataDir } from "../helpers/server";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

declare module "vitest" {
  export interface ProvidedContext {
    e2eBaseUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

let child: ChildProcess | undefined;
let dataDir: string | undefined;
let standIns: StandIns | undefined;

export async function setup(project: TestProject) {
  const distDir = process.env.TAGPIPE_DIST_DIR ?? ".next";
  if (!fs.existsSync(path.join(distDir, "BUILD_ID"))) throw new Error(`No build in ${distDir}: run npm run build first`);
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tagpipe-e2e-"));
  const port = await freePort();
  standIns = await startStandIns();
  child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { ...process.env, NODE_ENV: "production", TAGPIPE_DIST_DIR: distDir, TAGPIPE_DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", TAGPIPE_SEED: "1", TAGPIPE_OPEN_SIGNUP: "1", DATABASE_URL: "", ...standIns.env(), TAGPIPE_ALLOW_PRIVATE_WEBHOOKS: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let log = "";
    // Generous: on a loaded two-core machine the first start (migrations, Next) takes over a minute.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 180_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /ready on (http:\/\/\S+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child!.stdout!.on("data", onData);
    child!.stderr!.on("data", onData);
    child!.on("exit", (code) => reject(new Error(`server exited (${code}):\n${log}`)));
  });
  project.provide("e2eBaseUrl", url);
}

export async function teardown() {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child!.once("exit", resolve));
  }
  if (dataDir) removeDataDir(dataDir);
  await standIns?.close();
}
