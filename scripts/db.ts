// npm run db:migrate              apply pending migrations (embedded PostgreSQL, or DATABASE_URL)
// npm run db:migration -- <name>  write prisma/migrations/<stamp>_<name> from schema changes
// npm run db:import-pglite [dir]  copy an earlier Tagpipe's PGlite data ($TAGPIPE_DATA_DIR/pglite) into the database
import { closeDatabase, database } from "../lib/db";
import { dataDir } from "../lib/env";
import { importPglite, pgliteDirOf } from "../lib/import-pglite";
import { createMigration, migrate } from "../lib/migrate";

const [command, arg] = process.argv.slice(2);

if (command === "migrate") {
  const db = await database();
  const applied = await migrate(db.url);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
  await closeDatabase();
} else if (command === "migration" && arg && /^[a-z0-9_]+$/.test(arg)) {
  // The diff replays the history on a shadow database and reads its catalog back. Through
  // adapter-pg that read fails on PostgreSQL's "char" catalog columns ("Column type 'char'
  // could not be deserialized"); an in-memory PGlite's adapter reads them. It needs no
  // server and touches no data: a development tool only.
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const scratch = await PGlite.create();
  const dir = await createMigration(new PrismaPGlite(scratch), arg);
  console.log(dir ? `created ${dir}` : "schema unchanged: no migration written");
  await scratch.close();
} else if (command === "import-pglite") {
  const dir = arg ?? pgliteDirOf(dataDir());
  if (!dir) {
    console.error(`no PGlite database in ${dataDir()}/pglite (give its directory as an argument)`);
    process.exit(2);
  }
  const db = await database();
  await migrate(db.url);
  try {
    const { tables } = await importPglite(db, dir);
    for (const [name, rows] of Object.entries(tables)) if (rows) console.log(`${name}: ${rows}`);
  } finally {
    await closeDatabase();
  }
} else {
  console.error("usage: tsx scripts/db.ts migrate | migration <snake_case_name> | import-pglite [pglite directory]");
  process.exit(2);
}
// The schema engine's own connection pool (opened through the adapter) keeps idle
// connections for 10 s after the work is done.
process.exit(0);
