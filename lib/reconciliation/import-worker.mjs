// The order import's worker thread starts here (lib/reconciliation/import-csv.ts): tsx's
// CommonJS hook compiles import-worker.ts in this thread, as the server's own
// `--import tsx` does not reach workers on Node 20.
import { require as requireTs } from "tsx/cjs/api";

requireTs("./import-worker.ts", import.meta.url);
