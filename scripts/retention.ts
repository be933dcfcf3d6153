// npm run retention – one retention pass now (lib/retention/), whatever the schedule: after
// lowering a team's window, or from cron with TAGPIPE_RETENTION=0 on the servers. Prints
// what it deleted as one JSON line. Options: --batch N (rows per statement, 5,000),
// --pause MS (between batches, TAGPIPE_RETENTION_PAUSE_MS).
import { parseArgs } from "node:util";
import { closeDatabase } from "../lib/db";
import { runRetention } from "../lib/retention/retention";

const { values } = parseArgs({ options: { batch: { type: "string" }, pause: { type: "string" } } });
const result = await runRetention({
  ...(values.batch ? { batch: Number(values.batch) } : {}),
  ...(values.pause ? { pauseMs: Number(values.pause) } : {}),
});
console.log(`[retention] ${JSON.stringify(result)}`);
await closeDatabase();
