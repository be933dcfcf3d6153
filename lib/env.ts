// The one place that reads process.env: every setting Tagpipe understands, validated
// once. docs/configuration.md lists the same names.
import path from "node:path";
import { z } from "zod";

const flag = z
  .enum(["0", "1", "true", "false", ""])
  .optional()
  .transform((v) => v === "1" || v === "true");

const schema = z.object({
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  TAGPIPE_DATA_DIR: z.string().default("./data"),
  // lib/db.ts: the most connections of each pool (defaults per kind of process; docs/hardening.md, "Connections").
  TAGPIPE_DB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  TAGPIPE_PRISMA_POOL_SIZE: z.coerce.number().int().min(1).max(1000).optional(),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  NEXTAUTH_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(16).optional(),
  TAGPIPE_OPEN_SIGNUP: flag,
  TAGPIPE_SEED: z.enum(["0", "1"]).default("1"),
  TAGPIPE_SECURE_COOKIES: flag,
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  GOOGLE_ID: z.string().optional(),
  GOOGLE_SECRET: z.string().optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  // Alerts (lib/health/alerts/): evaluated wherever the forwarder runs.
  TAGPIPE_ALERTS: z.enum(["0", "1"]).default("1"),
  TAGPIPE_ALERT_INTERVAL_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  // lib/leader.ts: how often a process that is not the leader tries to become it (and the leader checks its lock's connection).
  TAGPIPE_LEADER_RETRY_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  TAGPIPE_ALLOW_PRIVATE_WEBHOOKS: flag,
  // lib/collector/limits.ts: the collector's limits are shared through this Redis when set, else through the database.
  REDIS_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  // How often each process sends its limit counts to the shared store; 0: each process limits on its own.
  TAGPIPE_RATE_SYNC_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  // Retention (lib/retention/): run wherever the forwarder runs, one process per pass.
  TAGPIPE_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  TAGPIPE_RETENTION: z.enum(["0", "1"]).default("1"),
  TAGPIPE_RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(3_600_000),
  TAGPIPE_RETENTION_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(100),
  // Read by lib/http/proxy.ts at start (the collector's hot path): validated here with the rest.
  TAGPIPE_TRUST_PROXY: z.string().regex(/^(\d{1,2}|true|false|)$/, "a number of trusted proxies (0, 1, 2…)").optional(),
  TAGPIPE_SMTP_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  TAGPIPE_SMTP_HOST: z.string().optional(),
  TAGPIPE_SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TAGPIPE_SMTP_USER: z.string().optional(),
  TAGPIPE_SMTP_PASS: z.string().optional(),
  TAGPIPE_SMTP_FROM: z.string().default("Tagpipe alerts <alerts@tagpipe.invalid>"),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

export function env(): Env {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      throw new Error(`Invalid environment: ${problems.join("; ")}`);
    }
    cached = parsed.data;
  }
  return cached;
}

export function dataDir(): string {
  return path.resolve(env().TAGPIPE_DATA_DIR);
}
