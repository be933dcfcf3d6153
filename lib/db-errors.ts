// Recognising database errors that are the user's doing (a taken unique name), so they
// answer 409 naming the field instead of 500.
import { ConflictError } from "./errors";

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** Runs `work`; a unique violation becomes a 409 naming `field`. */
export async function uniquely<T>(field: string, message: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(message, [{ path: field, message }]);
    throw error;
  }
}
