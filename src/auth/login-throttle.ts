// Login throttling (SPEC §5): 10 failed attempts per email or 100 per IP within 15 minutes, then
// 429 for the rest of the window. Successful logins are not counted. Memory or Redis counters.
// The login route names the email's counter (see loginThrottleKey: a new password starts afresh).
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { normalizeEmail } from '../domain/validation.js';

export const LOGIN_WINDOW_SECONDS = 15 * 60;
export const MAX_FAILURES_PER_EMAIL = 10;
export const MAX_FAILURES_PER_IP = 100;

export function createLoginThrottle(redis?: Redis | null, keyPrefix = 'keysmith') {
  const make = (points: number, name: string): RateLimiterAbstract => redis
    ? new RateLimiterRedis({
      storeClient: redis, points, duration: LOGIN_WINDOW_SECONDS, keyPrefix: `${keyPrefix}:login:${name}`,
      insuranceLimiter: new RateLimiterMemory({ points, duration: LOGIN_WINDOW_SECONDS }),
    })
    : new RateLimiterMemory({ points, duration: LOGIN_WINDOW_SECONDS, keyPrefix: `login:${name}` });
  const byEmail = make(MAX_FAILURES_PER_EMAIL, 'email');
  const byIp = make(MAX_FAILURES_PER_IP, 'ip');

  async function blockedFor(limiter: RateLimiterAbstract, key: string, max: number): Promise<number | null> {
    const res = await limiter.get(key);
    if (res && res.consumedPoints >= max) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return null;
  }

  return {
    async check(emailKey: string, ip: string): Promise<number | null> {
      return (await blockedFor(byEmail, normalizeEmail(emailKey), MAX_FAILURES_PER_EMAIL))
        ?? (await blockedFor(byIp, ip, MAX_FAILURES_PER_IP));
    },
    async recordFailure(emailKey: string, ip: string): Promise<void> {
      await Promise.all([
        byEmail.penalty(normalizeEmail(emailKey), 1),
        byIp.penalty(ip, 1),
      ]);
    },
  };
}
