// The order CSV's rows into Order, inside one transaction: the file flows through
// csv-parse a chunk at a time; each valid row, normalized and hashed, becomes a line of a
// COPY into a staging table of the transaction (PostgreSQL takes it in as Node parses, on
// the two cores), and no more of the file is read while the COPY's buffer is full
// (backpressure), so a 1,000,000-row file never sits in memory — neither the file nor its
// rows. At the end one upsert moves the staged rows into Order (order-upsert.ts).
// A file refused as a whole (a mapped column missing from the header — the usual sign of a
// wrong delimiter —, a record longer than MAX_RECORD_BYTES, a broken quote, or more than
// REFUSE_SHARE of its rows invalid) throws FileRefused and the caller rolls back: no order
// is left behind. Rows with problems are skipped and reported (row, column, what is
// wrong); the rest commit together.
//
// It runs in the import's worker thread (import-worker.ts), so it loads no ORM and reads
// nothing from the server's process: the site, actor and mapping come in the job.
import { once } from "node:events";
import type { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import { parse, CsvError } from "csv-parse";
import type { Sql } from "../sql";
import type { Actor } from "../auth/actor";
import { normalizeOrder, ORDER_FIELDS, type OrderField, type OrderInput } from "./order-row";
import { auditImport, copyLine, createStagingTable, STAGING_TABLE, upsertStagedOrders, type UpsertCounts } from "./order-upsert";

/**
 * Characters of COPY text per write. Rows were upserted in batches of 2,000 before: each
 * batch lived across the await of its insert, survived V8's scavenges, and made the
 * young generation grow; a line of text outlives nothing (measured: docs/reconciliation.md).
 */
export const COPY_CHUNK = 64 * 1024;
/** Longer records are refused: no order line is this long, and csv-parse would otherwise buffer it whole. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** A file whose share of invalid rows exceeds this is refused whole: it is the wrong file, or the wrong mapping. */
export const REFUSE_SHARE = 0.1;
/** Problems kept for the report; the count goes on. */
export const MAX_REPORTED = 10_000;
/** Rows between two progress reports. */
export const PROGRESS_ROWS = 100_000;

export type ColumnMapping = Partial<Record<OrderField, string>>;
export type Problem = { row: number; column: string; message: string };

/** A file refused as a whole: the transaction rolls back and the reason goes to the client. */
export class FileRefused extends Error {}

/** What the import needs to know, all of it plain data (it crosses to the worker thread). */
export type CsvImportJob = {
  site: { id: string; teamId: string; name: string; defaultCurrency: string };
  importId: string;
  actor: Actor;
  mapping: ColumnMapping;
  delimiter: string;
  fileName: string | null;
};

/** What was read so far: kept up to date while the rows flow, so a refusal can report it too. */
export type CsvTally = { rows: number; errorRows: number; problems: Problem[] };

/** The header's index of each mapped field, or a file-level refusal naming what is missing. */
export function resolveColumns(header: string[], mapping: ColumnMapping, delimiter: string): Map<OrderField, number> {
  const names = header.map((h) => h.trim().replace(/^\uFEFF/, ""));
  const at = new Map<OrderField, number>();
  const missing: string[] = [];
  for (const field of ORDER_FIELDS) {
    const column = mapping[field];
    if (!column) continue;
    const i = names.indexOf(column.trim());
    if (i < 0) missing.push(`${field} → "${column}"`);
    else at.set(field, i);
  }
  if (missing.length) {
    const hint =
      names.length === 1 && /[;,\t|]/.test(names[0])
        ? ` The header reads as one column ("${names[0].slice(0, 60)}"): the file's delimiter is not "${delimiter === "\t" ? "tab" : delimiter}".`
        : ` The header has: ${names.slice(0, 20).map((n) => `"${n.slice(0, 40)}"`).join(", ")}.`;
    throw new FileRefused(`The mapped column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} not in the file's header.${hint}`);
  }
  return at;
}

function csvErrorMessage(error: CsvError): string {
  if (error.code === "CSV_MAX_RECORD_SIZE") return `A record is longer than ${MAX_RECORD_BYTES / 1024} KB (line ${error.lines ?? "?"}): this is not an order file, or a quote is never closed.`;
  if (error.code === "CSV_QUOTE_NOT_CLOSED") return `A quoted field opened on line ${error.lines ?? "?"} is never closed.`;
  return `The file is not valid CSV: ${error.message}`;
}

/**
 * Reads the CSV from `file` and upserts its valid rows, in the transaction `sql` belongs to
 * (the caller commits when this resolves, rolls back when it throws). Throws FileRefused
 * for a file refused as a whole; `tally` holds the rows read either way.
 */
export async function stageOrdersCsv(sql: Sql, file: Readable, job: CsvImportJob, tally: CsvTally, onProgress: (rows: number) => void): Promise<UpsertCounts> {
  const { mapping, delimiter, site } = job;
  const parser = file.pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES, info: false }));
  file.on("error", (error) => parser.destroy(error));
  // The file flows into the parser while the staging table is set up: an error in those
  // first chunks (a record too long) is kept here, not left unhandled, and thrown once
  // the rows are read.
  let parseError: Error | null = null;
  parser.on("error", (error) => (parseError ??= error));

  await sql.query(`SET LOCAL work_mem = '64MB'`);
  await createStagingTable(sql);
  const copy = sql.copyFrom(`COPY ${STAGING_TABLE} FROM STDIN`);
  const copied = finished(copy);
  // Handled here so a COPY failure that lands while the file is parsed is not an
  // unhandled rejection; it is thrown by the write below or the await after end().
  copied.catch(() => {});
  let columns: Map<OrderField, number> | null = null;
  let staged = 0;
  // The lines of COPY go out in chunks of about COPY_CHUNK characters; no row outlives
  // its line, so V8's young generation stays small (what survives a scavenge makes it grow).
  let chunk = "";
  const send = async () => {
    const full = !copy.write(chunk);
    chunk = "";
    if (full) await Promise.race([once(copy, "drain"), copied]);
  };
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!columns) {
        columns = resolveColumns(cells, mapping, delimiter);
        continue;
      }
      const row = ++tally.rows;
      if (row % PROGRESS_ROWS === 0) onProgress(row);
      const input: OrderInput = {};
      for (const [field, i] of columns) input[field] = cells[i];
      const result = normalizeOrder(input, site.defaultCurrency);
      if (result.ok) {
        staged++;
        chunk += copyLine(row, result.order);
        if (chunk.length >= COPY_CHUNK) await send();
      } else {
        tally.errorRows++;
        for (const p of result.problems) if (tally.problems.length < MAX_REPORTED) tally.problems.push({ row, column: mapping[p.column] ?? p.column, message: `${p.column} ${p.message}` });
      }
    }
    if (parseError) throw parseError;
    if (chunk) await send();
    copy.end();
    await copied;
  } catch (error) {
    // Abort the COPY (CopyFail): the transaction then rolls back on a connection that is still usable.
    copy.destroy(error instanceof Error ? error : new Error(String(error)));
    await copied.catch(() => {});
    if (error instanceof CsvError) throw new FileRefused(csvErrorMessage(error));
    throw error;
  }
  const { rows, errorRows } = tally;
  if (!columns) throw new FileRefused("The file is empty: it needs a header line and at least one order.");
  if (rows === 0) throw new FileRefused("The file has a header but no order rows.");
  if (errorRows > rows * REFUSE_SHARE) {
    throw new FileRefused(`${errorRows} of ${rows} rows have errors (more than ${REFUSE_SHARE * 100} %): nothing was imported. Check the column mapping and the date and number formats; the error report lists each row.`);
  }
  const totals = await upsertStagedOrders(sql, site, job.importId, staged);
  await auditImport(sql, job.actor, site, job.importId, { source: "csv", fileName: job.fileName, rows, errorRows, ...totals });
  return totals;
}
