// `npm run retention` (scripts/retention.ts) against a database, as its own process: one
// pass, whose answer (what it deleted, how long it took) is the line it prints.
import { spawn } from "node:child_process";
import { ROOT } from "./server";

export type RetentionPass = { deleted: Record<"Delivery" | "DeliveryRequest" | "CollectedEvent" | "HealthRollup", number>; batches: number; ms: number };

export function runRetentionPass(databaseUrl: string, args: string[] = [], env: Record<string, string> = {}): Promise<RetentionPass> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/retention.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => {
      const line = output.split("\n").find((l) => l.startsWith("[retention] "));
      if (code !== 0 || !line) reject(new Error(`npm run retention exited ${code}:\n${output}`));
      else resolve(JSON.parse(line.slice("[retention] ".length)) as RetentionPass);
    });
  });
}
