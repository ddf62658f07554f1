// Password throttling (docs/decisions/022-login-throttle-and-sessions.md): atomic counters shared by
// every process (PostgreSQL, or Redis with REDIS_URL), consumed *before* the password is checked so
// parallel guesses cannot all get through. Counted per login+address with a delay that doubles at
// each lockout, and per address at a much higher rate; never per login alone, so no one can lock a
// chosen person out from somewhere else.
import { createHash } from "node:crypto";
import type { HeadersFunction } from "@remix-run/node";
import { Redis } from "ioredis";
import {
  RateLimiterPrisma,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterStoreAbstract,
} from "rate-limiter-flexible";
import { getPrisma } from "./db.server";
import { env } from "./env.server";

export const THROTTLE = {
  /** Wrong passwords for one login from one address before the first delay. */
  failuresPerLoginAddress: 5,
  /** The first delay after those; each further lockout within a day doubles it, up to a day. */
  firstDelaySeconds: 60,
  maxDelaySeconds: 24 * 60 * 60,
  /** Wrong passwords from one address (any logins) per hour: an office shares one. */
  failuresPerAddressHour: 100,
} as const;

type Limiters = {
  pair: RateLimiterStoreAbstract;
  lockouts: RateLimiterStoreAbstract;
  address: RateLimiterStoreAbstract;
};

let limiters: Limiters | undefined;
function getLimiters(): Limiters {
  if (limiters) return limiters;
  const options = (name: string, points: number, duration: number) => ({
    keyPrefix: `${env.queuePrefix}:${name}`,
    points,
    duration,
  });
  const redisUrl = env.redisUrl;
  const redis = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 2 }) : undefined;
  const make = (name: string, points: number, duration: number): RateLimiterStoreAbstract =>
    redis
      ? new RateLimiterRedis({ storeClient: redis, ...options(name, points, duration) })
      : new RateLimiterPrisma({ storeClient: getPrisma(), tableName: "rateLimit", ...options(name, points, duration) });
  limiters = {
    pair: make("pw-login-address", THROTTLE.failuresPerLoginAddress, 15 * 60),
    lockouts: make("pw-lockouts", 1_000_000, 24 * 60 * 60),
    address: make("pw-address", THROTTLE.failuresPerAddressHour, 60 * 60),
  };
  return limiters;
}

// Hashed: bounded key length, and a password typed into the login field is not stored in clear.
const keyOf = (...parts: string[]) => createHash("sha256").update(parts.join("\n")).digest("base64url");

export type PasswordCheck<T> =
  | { ok: true; value: T }
  | { ok: false; blocked: false }
  | { ok: false; blocked: true; retryAfterSeconds: number };

async function take(
  limiter: RateLimiterStoreAbstract,
  key: string,
): Promise<RateLimiterRes | { retryAfterSeconds: number }> {
  try {
    return await limiter.consume(key);
  } catch (refused) {
    if (refused instanceof RateLimiterRes)
      return { retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)) };
    throw refused;
  }
}

/**
 * Runs `verify` (a password check) only if the login+address and the address still have attempts
 * left; the attempt is counted before `verify` runs and given back when it succeeds.
 */
export async function throttledPasswordCheck<T>(
  login: string,
  address: string,
  verify: () => Promise<T | null | false>,
): Promise<PasswordCheck<T>> {
  const { pair, lockouts, address: byAddress } = getLimiters();
  const pairKey = keyOf(login.trim().toLowerCase(), address);
  const addressKey = keyOf(address);

  const fromPair = await take(pair, pairKey);
  if (!(fromPair instanceof RateLimiterRes)) return { ok: false, blocked: true, ...fromPair };
  const fromAddress = await take(byAddress, addressKey);
  if (!(fromAddress instanceof RateLimiterRes)) {
    await pair.reward(pairKey, 1);
    return { ok: false, blocked: true, ...fromAddress };
  }

  const value = await verify();
  if (value) {
    await Promise.all([pair.delete(pairKey), lockouts.delete(pairKey), byAddress.reward(addressKey, 1)]);
    return { ok: true, value };
  }
  // The last allowed failure starts a delay that doubles with each lockout in a day.
  if (fromPair.remainingPoints === 0) {
    const { consumedPoints } = await lockouts.consume(pairKey);
    const delay = Math.min(
      THROTTLE.firstDelaySeconds * 2 ** Math.min(consumedPoints - 1, 30),
      THROTTLE.maxDelaySeconds,
    );
    await pair.block(pairKey, delay);
  }
  return { ok: false, blocked: false };
}

/** A route's `headers`: a document response keeps the action's Retry-After (Remix drops it otherwise). */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};
