// npm run db:migrate              apply pending migrations (PGlite, or DATABASE_URL)
// npm run db:migration -- <name>  write prisma/migrations/<stamp>_<name> from schema changes
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { closeDatabase, database } from "../lib/db";
import { applyMigrations, createMigration } from "../lib/migrate";

const [command, name] = process.argv.slice(2);

if (command === "migrate") {
  const db = await database();
  const applied = await applyMigrations(db.adapter);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "database is up to date");
  await closeDatabase();
} else if (command === "migration" && name && /^[a-z0-9_]+$/.test(name)) {
  // The diff needs no real database: an in-memory PGlite and its shadow replay the history.
  const scratch = await PGlite.create();
  const dir = await createMigration(new PrismaPGlite(scratch), name);
  console.log(dir ? `created ${dir}` : "schema unchanged: no migration written");
  await scratch.close();
} else {
  console.error("usage: tsx scripts/db.ts migrate | migration <snake_case_name>");
  process.exit(2);
}
