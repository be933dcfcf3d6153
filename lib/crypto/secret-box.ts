// Encryption at rest for destination secrets: AES-256-GCM with a key from
// TAGPIPE_ENCRYPTION_KEY (32 bytes, base64 or hex), or one generated once into
// $TAGPIPE_DATA_DIR/encryption-key for a single-machine install.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataDir } from "../env";

let cachedKey: Buffer | undefined;

function decodeKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("TAGPIPE_ENCRYPTION_KEY must be 32 bytes, base64 or hex encoded");
  return key;
}

function key(): Buffer {
  if (cachedKey) return cachedKey;
  const configured = process.env.TAGPIPE_ENCRYPTION_KEY;
  if (configured) return (cachedKey = decodeKey(configured));
  const file = path.join(dataDir(), "encryption-key");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64"), { mode: 0o600, flag: "wx" });
  }
  return (cachedKey = decodeKey(fs.readFileSync(file, "utf8")));
}

export function seal(plaintext: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key(), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export function open(sealed: string): string {
  if (!sealed.startsWith("v1:")) throw new Error("unknown secret format");
  const raw = Buffer.from(sealed.slice(3), "base64");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key(), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}
