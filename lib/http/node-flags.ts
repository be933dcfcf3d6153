// The V8 flags the server process runs with, by `npm start` and by the test and benchmark
// harness alike (scripts/start.ts, tests/helpers/server.ts).
//
// A young generation of 128 MB semi-spaces: under batched load the collector holds every
// in-flight event (parsed, prepared, encoded) across several scavenges, and with V8's
// default 16 MB each scavenge copied them again; 26 scavenges/s cost 12–15 % of the
// server's core. With 128 MB: 4 per second, a fifth of that time (measured with
// --trace-gc under `npm run bench:collect`). The space grows only as far as it is used.
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=128"];
