// The V8 flags the server process runs with, by `npm start` and by the test and benchmark
// harness alike (scripts/start.mjs, tests/helpers/server.ts). Kept in node-flags.json so
// that npm start's plain-JavaScript wrapper reads them too.
//
// A young generation of 128 MB semi-spaces: under batched load the collector holds every
// in-flight event (parsed, prepared, encoded) across several scavenges, and with V8's
// default 16 MB each scavenge copied them again; 26 scavenges/s cost 12–15 % of the
// server's core. With 128 MB: 4 per second, a fifth of that time (measured with
// --trace-gc under `npm run bench:collect`). The space grows only as far as it is used.
//
// No memory reducer: on an idle server V8's memory reducer ran a full mark-compact of the
// ~115 MB heap (Next's server, its compiled routes, Prisma) every ~40 s, each 0.2–0.45 s
// of CPU, to shrink a heap that was all live — about 1 % of a core of the idle cost
// (--trace-gc on an idle `npm start`, 2026-12-05). Without it the heap is collected when
// allocation needs it, as under load; what a burst grew is given back at the next full
// collection instead of by idle-time ones.
import flags from "./node-flags.json";

export const SERVER_NODE_FLAGS: string[] = flags;
