// npm run simulate -- --orders N --blocked 0.3 --server on|off [--seed S] [--parallel P] [--backend postgres|embedded]
//
// The signal simulation (scripts/simulate/run.ts; docs/reconciliation.md "Simulation"):
// progress on stderr, the figures on stdout, one name=value a line, ending with the
// overall orders=, counted_once=, missing=, double_counted=. Needs the Next build (made
// when missing or stale), Chromium at /usr/bin/chromium (CHROMIUM_PATH) and, for the
// postgres backend, the machine's PostgreSQL (TEST_POSTGRES_URL).
import { ensureBuild, testDistDir } from "../tests/helpers/build";
import type { Backend } from "../tests/helpers/server";
import { reportLines, simulate, startStack, type SimulationOptions } from "./simulate/run";

const USAGE = "usage: npm run simulate -- --orders N --blocked 0.3 --server on|off [--seed S] [--parallel P] [--backend postgres|embedded]";

type Args = SimulationOptions & { backend: Backend };

/** The options, or the message naming what is wrong. */
function parseArgs(argv: string[]): Args | string {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const flag = /^--(orders|blocked|server|seed|parallel|backend)$/.exec(argv[i]);
    if (!flag) return `unknown argument ${argv[i]}`;
    const value = argv[++i];
    if (value === undefined) return `--${flag[1]} needs a value`;
    values.set(flag[1], value);
  }
  const integer = (name: string, fallback: number | null, min: number, max: number): number | string => {
    const raw = values.get(name);
    if (raw === undefined) return fallback ?? `--${name} is required`;
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max ? n : `--${name} must be a whole number from ${min} to ${max}`;
  };
  const orders = integer("orders", null, 1, 100_000);
  const seed = integer("seed", 1, 0, 2 ** 32 - 1);
  const parallel = integer("parallel", 4, 1, 16);
  const blocked = Number(values.get("blocked") ?? "0.3");
  const server = values.get("server");
  const backend = values.get("backend") ?? "postgres";
  for (const v of [orders, seed, parallel]) if (typeof v === "string") return v;
  if (!(blocked >= 0 && blocked <= 1)) return "--blocked must be a share from 0 to 1";
  if (server !== "on" && server !== "off") return "--server must be on or off";
  if (backend !== "postgres" && backend !== "embedded") return "--backend must be postgres or embedded";
  return { orders: orders as number, blocked, serverCopies: server === "on", seed: seed as number, parallel: parallel as number, backend };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === "string") {
    console.error(`${args}\n${USAGE}`);
    process.exit(2);
  }
  const log = (line: string) => process.stderr.write(`[simulate] ${line}\n`);
  const distDir = testDistDir();
  ensureBuild(distDir, log);
  log(`starting the stand-ins, a Tagpipe server (${args.backend}) and Chromium`);
  const stack = await startStack({ distDir, backend: args.backend });
  try {
    const result = await simulate(stack, { ...args, log });
    process.stdout.write(reportLines(result).join("\n") + "\n");
  } finally {
    await stack.stop();
  }
}

main().catch((error: Error) => {
  console.error(`[simulate] ${error.stack ?? error.message}`);
  process.exit(1);
});
