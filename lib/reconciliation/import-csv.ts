// CSV upload of backend orders: the request handler's side. It checks the site and the
// mapping, records the import, and hands the request body, chunk by chunk, to a worker
// thread (import-worker.ts) that parses, validates, hashes and writes it in one
// transaction on its own connection (stage-orders-csv.ts). The handler sends the next
// chunk only when the worker has room for it (backpressure), so the upload advances as
// fast as rows go in — the dashboard's progress bar follows the upload — and the file
// never sits in memory. Why a thread: a million rows of short-lived strings made the
// server's young generation, sized for the collector (128 MB semi-spaces,
// lib/http/node-flags.ts), grow by ~400 MB; in the worker's own heap (IMPORT_WORKER_LIMITS)
// they stay small, and the parsing no longer stalls the collector's event loop.
// A worker that dies (a bug, its memory limit) fails the import as a whole: its
// connection closes with it, PostgreSQL rolls the transaction back, the record says why.
import path from "node:path";
import { Worker, type ResourceLimits, type WorkerOptions } from "node:worker_threads";
import { database, prisma } from "../db";
import type { Actor } from "../auth/actor";
import { DomainError, ValidationError } from "../errors";
import { REQUIRED_FIELDS } from "./order-row";
import { importView, reconciliationSite } from "./orders";
import type { ColumnMapping } from "./stage-orders-csv";
import type { FromImportWorker, ImportWorkerData, ToImportWorker } from "./import-worker";

export type CsvImportOptions = { mapping: ColumnMapping; delimiter: string; fileName?: string };

/**
 * The worker's heap: young generation of 16 MB (V8's default; the rows die young) and
 * at most 256 MB of old generation — the report's 10,000 problems and the modules'
 * code need a few MB; anything near the limit is a bug, and it fails the import, not
 * the server.
 */
export const IMPORT_WORKER_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 256 };

/**
 * The worker's entry, by path from the project's root, loaded as it is at run time: a
 * small module that has tsx compile import-worker.ts in the worker's own thread (Node 20
 * does not pass the server's `--import tsx` hooks on to workers: ".ts" is then an
 * unknown extension).
 */
const WORKER_FILE = path.join(process.cwd(), "lib", "reconciliation", "import-worker.mjs");

/**
 * `new Worker` behind a parameter: given a path it can read, Turbopack bundles the
 * worker into the route's chunks (and tsx with it); this one is Node's to load.
 */
function startWorker(file: string, options: WorkerOptions): Worker {
  return new Worker(file, options);
}

/** The import failed on Tagpipe's side (its worker died): nothing was imported, and the client is told so. */
export class ImportFailedError extends DomainError {
  constructor(message: string) {
    super(500, "import_failed", message);
  }
}

type Outcome = Exclude<FromImportWorker, { type: "ack" | "progress" }> | { type: "failed"; message: string };

export function validateMapping(mapping: ColumnMapping): void {
  const missing = REQUIRED_FIELDS.filter((f) => !mapping[f]);
  if (missing.length) throw new ValidationError(missing.map((f) => ({ path: f, message: "map this field to a column of the file" })));
}

/**
 * Imports the CSV in `body` for the site; answers the import's record, with status failed
 * and the reason when the file was refused (nothing imported). Throws ImportFailedError
 * when the worker died (nothing imported either; the record says so too).
 */
export async function importOrdersCsv(actor: Actor, siteId: string, body: ReadableStream<Uint8Array> | null, options: CsvImportOptions, limits = IMPORT_WORKER_LIMITS) {
  const site = await reconciliationSite(actor, siteId);
  validateMapping(options.mapping);
  if (!body) throw new ValidationError([{ path: "body", message: "send the CSV file as the request body" }]);
  const db = await database();
  const fileName = options.fileName?.slice(0, 200) ?? null;
  const record = await db.prisma.orderImport.create({ data: { teamId: site.teamId, siteId: site.id, source: "csv", fileName } });

  // Rows read so far, on the record while the import runs (the imports list and
  // GET /order-imports/:id show them); one write at a time, the last before the outcome's.
  let progress = Promise.resolve();
  const onProgress = (rows: number, bytes: number) => {
    progress = progress.then(() => db.prisma.orderImport.update({ where: { id: record.id }, data: { rows, bytes: BigInt(bytes) } }).then(() => {}, () => {}));
  };
  const job: ImportWorkerData = { site, importId: record.id, actor, mapping: options.mapping, delimiter: options.delimiter, fileName, databaseUrl: db.url };
  const { outcome, bytes } = await runImportWorker(job, body, limits, onProgress);
  await progress;

  const client = await prisma();
  if (outcome.type === "failed") {
    await client.orderImport.update({ where: { id: record.id }, data: { status: "failed", error: outcome.message, bytes: BigInt(bytes), finishedAt: new Date() } });
    throw new ImportFailedError(outcome.message);
  }
  const { rows, errorRows, problems } = outcome;
  const data =
    outcome.type === "done"
      ? { status: "done", rows, errorRows, errors: problems, bytes: BigInt(bytes), ...outcome.totals, finishedAt: new Date() }
      : { status: "failed", error: outcome.message, rows, errorRows, errors: problems, bytes: BigInt(bytes), finishedAt: new Date() };
  return importView(await client.orderImport.update({ where: { id: record.id }, data }));
}

/** The worker's import of the file in `body`: chunks out as the worker asks for them, and the rest of a refused upload read and dropped. */
export async function runImportWorker(job: ImportWorkerData, body: ReadableStream<Uint8Array>, limits: ResourceLimits, onProgress: (rows: number, bytes: number) => void): Promise<{ outcome: Outcome; bytes: number }> {
  // No execArgv: the server's V8 flags and loader are not the worker's.
  const worker = startWorker(WORKER_FILE, { workerData: job, resourceLimits: limits, execArgv: [] });
  let bytes = 0;
  let acked = () => {};
  const outcome = new Promise<Outcome>((resolve) => {
    worker.on("message", (message: FromImportWorker) => {
      if (message.type === "ack") acked();
      else if (message.type === "progress") onProgress(message.rows, bytes);
      else resolve(message);
    });
    worker.on("error", (error: Error & { code?: string }) => {
      console.error("[orders] import worker failed:", `${error.name}: ${error.message}`);
      resolve({ type: "failed", message: failureMessage(error) });
    });
    worker.on("exit", (code) => resolve({ type: "failed", message: `The import stopped on our side (exit code ${code}); nothing was imported. Try again.` }));
  });
  let over = false;
  void outcome.then(() => (over = true));
  const send = (message: ToImportWorker, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);

  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      // Once the worker has answered (a file refused early), what is left of the upload
      // is read and dropped: a server that answers before the client finished sending
      // sees the client fail with a reset instead of reading the answer.
      if (over) continue;
      // A copy with an ArrayBuffer of its own, moved to the worker: the body's chunks
      // may be views of buffers the HTTP parser still owns.
      const data = new Uint8Array(value).buffer;
      const room = new Promise<void>((resolve) => (acked = resolve));
      send({ type: "chunk", data }, [data]);
      await Promise.race([room, outcome]);
    }
    if (!over) send({ type: "end" });
  } catch {
    // The upload broke off (the client went away): stop the worker, which rolls back.
    await worker.terminate();
    return { outcome: { type: "failed", message: "The upload broke off before the end of the file; nothing was imported." }, bytes };
  }
  const result = await outcome;
  await worker.terminate();
  return { outcome: result, bytes };
}

function failureMessage(error: Error & { code?: string }): string {
  if (error.code === "ERR_WORKER_OUT_OF_MEMORY") return "The import ran out of the memory it may use on our side; nothing was imported. Try again, or split the file.";
  return "The import failed on our side; nothing was imported. Try again.";
}
