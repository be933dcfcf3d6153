// Sign-in throttling, in process memory (one process serves all dashboard traffic).
// Failures are counted per email *and* client address: five wrong passwords for an email
// from one address make that address wait a minute for that email, while the account's
// owner, signing in from elsewhere, is not locked out by a stranger. Every attempt also
// counts against its address (30 a minute, then a minute's wait), which keeps guessing
// across many emails from one address slow. The address is the client's as the trusted
// proxies report it (lib/http/proxy.ts), never a header the client chose.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { RateLimitedError } from "../errors";

const PAIR_FAILURES = 5;

type Limiters = { byPair: RateLimiterMemory; byIp: RateLimiterMemory };
const KEY = Symbol.for("tagpipe.signInLimiters.v2");

function limiters(): Limiters {
  const holder = globalThis as { [KEY]?: Limiters };
  holder[KEY] ??= {
    byPair: new RateLimiterMemory({ points: PAIR_FAILURES, duration: 60, blockDuration: 60 }),
    byIp: new RateLimiterMemory({ points: 30, duration: 60, blockDuration: 60 }),
  };
  return holder[KEY];
}

const pair = (email: string, ip: string) => `${email.toLowerCase()}\n${ip}`;

function refused(msBeforeNext: number): RateLimitedError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new RateLimitedError(`Too many sign-in attempts: try again in ${seconds} seconds`, seconds);
}

/** Counts one sign-in attempt from `ip`; throws RateLimitedError when the address or this email from it must wait. */
export async function throttleSignIn(email: string, ip: string): Promise<void> {
  const { byPair, byIp } = limiters();
  try {
    await byIp.consume(ip);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw refused(error.msBeforeNext);
    throw error;
  }
  const failures = await byPair.get(pair(email, ip));
  if (failures && failures.consumedPoints >= PAIR_FAILURES) throw refused(failures.msBeforeNext);
}

/** A wrong password (or unknown email) for `email` from `ip`. */
export async function failedSignIn(email: string, ip: string): Promise<void> {
  try {
    await limiters().byPair.consume(pair(email, ip));
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
  }
}

/** A successful sign-in clears the failures of this email from this address. */
export async function clearSignIn(email: string, ip: string): Promise<void> {
  await limiters().byPair.delete(pair(email, ip));
}
