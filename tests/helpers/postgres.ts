// Throwaway databases on the real PostgreSQL (127.0.0.1:5432, trust auth): each test run
// creates its own and drops it afterwards.
import pg from "pg";

/** The maintenance database the harness connects to; TEST_POSTGRES_URL overrides it. */
export const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates `tagpipe_it_<pid>_<time>[_suffix]` and returns its name and URL. */
export async function createDatabase(suffix = ""): Promise<{ name: string; url: string }> {
  const name = `tagpipe_it_${process.pid}_${Date.now()}${suffix ? `_${suffix}` : ""}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
  await withAdmin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

export async function dropDatabase(name: string): Promise<void> {
  if (!/^tagpipe_it_[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`);
  // FORCE: a server killed mid-query may leave connections behind.
  await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** One query against a test database (e.g. to look at what the server stored). */
export async function queryDatabase<R extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}
