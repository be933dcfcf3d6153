// What the integration global setup hands to the test files (vitest provide/inject).
import type { Backend } from "./server";

export type TestServer = {
  /** The spec names in describe.each. */
  name: Backend;
  url: string;
  /** The server's own database, for the few checks that look at stored rows. */
  databaseUrl: string;
  /** TAGPIPE_DATA_DIR of the server (its generated auth-secret lives there). */
  dataDir: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    servers: TestServer[];
    distDir: string;
  }
}
