import { foldOnce } from "../lib/health/rollups";
import { closeDatabase } from "../lib/db";
for (let i = 0; i < 200; i++) { const t = performance.now(); const r = await foldOnce(); if (i < 3 || r?.caughtUp) console.log(i, r?.events, r?.outcomes, (performance.now() - t).toFixed(0), "ms"); if (!r || r.caughtUp) break; }
await closeDatabase();
