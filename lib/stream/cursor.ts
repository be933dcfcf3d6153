// Keyset positions for the event stream and the delivery log: "<ms>.<id>", the last row's
// time and id. Pages follow (time, id) descending, so rows arriving meanwhile never shift
// a page that was already read.
import { ValidationError } from "../errors";

export function encodeCursor(ms: number, id: string): string {
  return `${ms}.${id}`;
}

export function decodeCursor(cursor: string): { ms: number; id: string } {
  const dot = cursor.indexOf(".");
  const ms = Number(cursor.slice(0, dot));
  if (dot < 1 || !Number.isSafeInteger(ms)) throw new ValidationError([{ path: "cursor", message: "must be the nextCursor of a previous page" }]);
  return { ms, id: cursor.slice(dot + 1) };
}
