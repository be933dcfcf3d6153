// Plain SQL on node-pg, with no Prisma behind it: the hot paths' statements and COPY
// (lib/db.ts wraps the process's pool in it), and the order import's worker thread
// (lib/reconciliation/import-worker.ts), which opens its own connection and should not
// load the ORM into its small heap.
import type pg from "pg";
import type { Writable } from "node:stream";
import type { from as CopyFrom } from "pg-copy-streams";

/** Plain SQL, for the hot paths (collector, forwarder) where an ORM round trip per event costs too much. */
export type Sql = {
  /** `name`: a prepared statement, parsed and planned once per connection. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[], name?: string): Promise<T[]>;
  /** `$n::<type>[]` parameters, one per [type, values] (null for NULL): e.g. the columns of many rows, for unnest(). */
  arrays(columns: readonly (readonly [ArrayType, readonly unknown[]])[]): unknown[];
  /**
   * `COPY … FROM STDIN` on this connection (a transaction's only): write the rows in COPY's
   * text format with backpressure, end() the stream, and its "finish" is the server's answer
   * (destroy() aborts the COPY). The fastest way in for many rows: 2 µs a row, where an
   * unnest() of array parameters costs ~40 (measured, 1,000,000 orders).
   */
  copyFrom(text: string): Writable;
};

/** Element types of array parameters: jsonb takes any JSON value, timestamptz a Date. */
export type ArrayType = "text" | "jsonb" | "int4" | "bool" | "timestamptz";

const ELEMENT_OID: Record<ArrayType, number> = { text: 25, jsonb: 3802, int4: 23, bool: 16, timestamptz: 1184 };
/** PostgreSQL's timestamps count microseconds from 2000-01-01 UTC. */
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;

/**
 * Arrays in PostgreSQL's binary format (array_recv): a header, then each element's length
 * and bytes (-1 for NULL); jsonb elements are a version byte (1), then their JSON. node-pg
 * sends a Buffer as it is, in binary, so the server unpacks a column of a whole batch
 * without parsing text (measured on the collector's insert: 8 µs less PostgreSQL CPU per
 * event than one jsonb document unpacked by jsonb_to_recordset). All the arrays of one
 * statement share one buffer, and short ASCII strings are copied here rather than through
 * Buffer#write, whose native call costs more than the copy.
 */
export function pgArraysBinary(columns: readonly (readonly [ArrayType, readonly unknown[]])[]): Buffer[] {
  let out = Buffer.allocUnsafe(256 + columns.length * (columns[0]?.[1].length ?? 0) * 48);
  let at = 0;
  const room = (bytes: number) => {
    if (out.length - at >= bytes) return;
    const bigger = Buffer.allocUnsafe(out.length * 2 + bytes);
    out.copy(bigger, 0, 0, at);
    out = bigger;
  };
  const ends: number[] = [];
  for (const [type, values] of columns) {
    room(20);
    const start = at;
    out.writeInt32BE(values.length ? 1 : 0, at); // dimensions: none for an empty array
    out.writeInt32BE(0, at + 4); // no NULLs, until one is written
    out.writeInt32BE(ELEMENT_OID[type], at + 8);
    if (!values.length) {
      at += 12;
      ends.push(start, at);
      continue;
    }
    out.writeInt32BE(values.length, at + 12);
    out.writeInt32BE(1, at + 16); // lower bound
    at += 20;
    for (const value of values) {
      if (value === null || value === undefined) {
        room(4);
        out.writeInt32BE(-1, at);
        out.writeInt32BE(1, start + 4);
        at += 4;
      } else if (type === "text" || type === "jsonb") {
        const text = type === "text" ? String(value) : JSON.stringify(value);
        const version = type === "jsonb" ? 1 : 0;
        room(5 + text.length * 3); // at most 3 bytes per UTF-16 unit
        if (version) out[at + 4] = version;
        const written = writeUtf8(out, text, at + 4 + version);
        out.writeInt32BE(written + version, at);
        at += 4 + version + written;
      } else if (type === "int4") {
        room(8);
        out.writeInt32BE(4, at);
        out.writeInt32BE(value as number, at + 4);
        at += 8;
      } else if (type === "bool") {
        room(5);
        out.writeInt32BE(1, at);
        out[at + 4] = value ? 1 : 0;
        at += 5;
      } else {
        const micros = ((value as Date).getTime() - PG_EPOCH_MS) * 1000;
        const high = Math.floor(micros / TWO_32);
        room(12);
        out.writeInt32BE(8, at);
        out.writeInt32BE(high, at + 4);
        out.writeUInt32BE(micros - high * TWO_32, at + 8);
        at += 12;
      }
    }
    ends.push(start, at);
  }
  const arrays: Buffer[] = [];
  for (let i = 0; i < ends.length; i += 2) arrays.push(out.subarray(ends[i], ends[i + 1]));
  return arrays;
}

/** Writes `text` at `at` as UTF-8 (room for 3 bytes per unit is the caller's); returns the bytes written. */
function writeUtf8(out: Buffer, text: string, at: number): number {
  if (text.length <= 64) {
    let i = 0;
    for (; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit > 0x7f) break;
      out[at + i] = unit;
    }
    if (i === text.length) return i;
  }
  return out.write(text, at, "utf8");
}

/**
 * `Sql` on a pool (statements run on any free connection) or on one client (a
 * transaction's, where COPY may run); `copyStream` is pg-copy-streams' `from`, passed in so
 * this module loads no driver code itself.
 */
export function sqlOn(client: pg.Pool | pg.ClientBase, copyStream: typeof CopyFrom | null): Sql {
  return {
    query: async (text, params, name) => (await client.query({ text, values: params as unknown[], name })).rows,
    arrays: pgArraysBinary,
    copyFrom: (text) => {
      // A pool would run the COPY on whichever connection is free, outside the transaction.
      if (!copyStream) throw new Error("COPY needs a transaction's connection");
      return (client as pg.ClientBase).query(copyStream(text));
    },
  };
}
