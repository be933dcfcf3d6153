// The part of autocannon 8's programmatic API that scripts/bench-collect.ts uses
// (autocannon ships no types, and @types/autocannon lags its releases).
declare module "autocannon" {
  type Options = {
    url: string;
    method?: string;
    connections?: number;
    duration?: number;
    overallRate?: number;
    headers?: Record<string, string>;
    body?: string;
    /** Each request of the pipeline may be rewritten (e.g. a fresh body) before it is sent. */
    requests?: { setupRequest?: (request: Request) => Request }[];
  };
  type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string };
  type Histogram = { average: number; mean: number; stddev: number; min: number; max: number; p50: number; p90: number; p97_5: number; p99: number; p999: number };
  type Result = {
    duration: number;
    requests: Histogram & { total: number; sent: number };
    latency: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
  };
  function autocannon(options: Options): Promise<Result>;
  export default autocannon;
}
