// npm run db:seed – seed the demo team and site into an empty database.
import { closeDatabase } from "../lib/db";
import { DEMO_EMAIL, DEMO_PASSWORD, seedIfEmpty } from "../lib/seed";

const seeded = await seedIfEmpty();
console.log(seeded ? `seeded: sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}` : "database has users: nothing seeded");
await closeDatabase();
