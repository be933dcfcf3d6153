// The order CSV import's worker thread (started by import-csv.ts): it takes the file's
// chunks from the request handler, acknowledges each one once its parser has room for
// more (so the handler reads the upload no faster than the rows go in), and runs
// stageOrdersCsv in one transaction on a connection of its own. Its garbage — a
// million rows' strings and cells — lives and dies in this thread's small heap, not in
// the server's, whose young generation is sized for the collector (lib/http/node-flags.ts).
// Loaded by path at run time (import-worker.mjs; never bundled), so it imports only
// plain modules: no ORM.
import { Readable } from "node:stream";
import { parentPort, workerData } from "node:worker_threads";
import pg from "pg";
import { from as copyStream } from "pg-copy-streams";
import { sqlOn } from "../sql";
import { FileRefused, stageOrdersCsv, type CsvImportJob, type CsvTally } from "./stage-orders-csv";
import type { UpsertCounts } from "./order-upsert";

export type ImportWorkerData = CsvImportJob & { databaseUrl: string };

/** From the handler: a chunk of the file (its ArrayBuffer transferred), or the end of it. */
export type ToImportWorker = { type: "chunk"; data: ArrayBuffer } | { type: "end" };

/** To the handler: room for the next chunk, rows read so far, or the outcome (after which the thread has nothing left to do). */
export type FromImportWorker =
  | { type: "ack" }
  | { type: "progress"; rows: number }
  | ({ type: "done"; totals: UpsertCounts } & CsvTally)
  | ({ type: "refused"; message: string } & CsvTally);

/** Bytes the file's stream holds before an acknowledgement waits for the parser. */
const BUFFERED_BYTES = 256 * 1024;

async function run(port: NonNullable<typeof parentPort>, job: ImportWorkerData): Promise<FromImportWorker> {
  let owed = false;
  const file = new Readable({
    highWaterMark: BUFFERED_BYTES,
    read() {
      if (!owed) return;
      owed = false;
      port.postMessage({ type: "ack" } satisfies FromImportWorker);
    },
  });
  port.on("message", (message: ToImportWorker) => {
    if (message.type === "end") file.push(null);
    else if (file.push(Buffer.from(message.data))) port.postMessage({ type: "ack" } satisfies FromImportWorker);
    else owed = true;
  });

  const tally: CsvTally = { rows: 0, errorRows: 0, problems: [] };
  const client = new pg.Client({ connectionString: job.databaseUrl });
  await client.connect();
  try {
    await client.query("BEGIN");
    const totals = await stageOrdersCsv(sqlOn(client, copyStream), file, job, tally, (rows) => port.postMessage({ type: "progress", rows } satisfies FromImportWorker));
    await client.query("COMMIT");
    return { type: "done", totals, ...tally };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    if (error instanceof FileRefused) return { type: "refused", message: error.message, ...tally };
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

if (parentPort) {
  const port = parentPort;
  // Anything else thrown ends the thread with an "error" event the handler turns into a
  // failed import; the connection closes with the thread, so PostgreSQL rolls back.
  void run(port, workerData as ImportWorkerData).then((outcome) => port.postMessage(outcome));
}
