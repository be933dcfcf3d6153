// next-auth needs a signing secret. Without NEXTAUTH_SECRET, one is generated once and
// kept in $TAGPIPE_DATA_DIR/auth-secret (mode 600), so sessions survive restarts.
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { dataDir } from "../env";

export function ensureAuthSecret(): void {
  if (process.env.NEXTAUTH_SECRET) return;
  const file = path.join(dataDir(), "auth-secret");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.NEXTAUTH_SECRET = fs.readFileSync(file, "utf8").trim();
}
