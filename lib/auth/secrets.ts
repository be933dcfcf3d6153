// Random secrets and their hashes. API tokens and invite links are high-entropy, so a
// plain SHA-256 is the right hash for them (a slow KDF protects only guessable secrets).
import crypto from "node:crypto";

export function randomSecret(bytes = 24): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

export function sha256Hex(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}
