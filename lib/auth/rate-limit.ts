// Sign-in throttling: per email and per client IP, in process memory (one process serves
// all dashboard traffic; several instances would share a Redis limiter instead).
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { RateLimitedError } from "../errors";

type Limiters = { byEmail: RateLimiterMemory; byIp: RateLimiterMemory };
const KEY = Symbol.for("tagpipe.signInLimiters");

function limiters(): Limiters {
  const holder = globalThis as { [KEY]?: Limiters };
  holder[KEY] ??= {
    byEmail: new RateLimiterMemory({ points: 5, duration: 60, blockDuration: 60 }),
    byIp: new RateLimiterMemory({ points: 30, duration: 60, blockDuration: 60 }),
  };
  return holder[KEY];
}

/** Counts one sign-in attempt; throws RateLimitedError when either budget is spent. */
export async function throttleSignIn(email: string, ip: string): Promise<void> {
  const { byEmail, byIp } = limiters();
  try {
    await byIp.consume(ip);
    await byEmail.consume(email.toLowerCase());
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      throw new RateLimitedError(`Too many sign-in attempts: try again in ${seconds} seconds`, seconds);
    }
    throw error;
  }
}

/** A successful sign-in clears the email's count. */
export async function clearSignIn(email: string): Promise<void> {
  await limiters().byEmail.delete(email.toLowerCase());
}
