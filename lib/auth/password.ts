// Passwords are hashed with bcrypt (a slow KDF); cost 11 ≈ 100 ms here.
import bcrypt from "bcryptjs";

const COST = 11;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

// Compared against when the email is unknown, so a wrong email takes as long as a wrong
// password and accounts cannot be discovered by timing.
export const DUMMY_HASH = "$2b$11$dRUOa977OZ6RfazdWNmENuvZAjg6LOCd4c7dGyQnUMXjUFN0vxYFq";
