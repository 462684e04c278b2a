// Login throttling (SPEC §5): 10 failed attempts per email or 100 per IP within 15 minutes, then
// 429 for the rest of the window. Successful logins are not counted. Memory or Redis counters. Each
// attempt is counted before its password is checked and taken back when it was right, so that
// attempts sent all at once cannot get more passwords checked than the budget.
// The login route names the email's counter (see loginThrottleKey: a new password starts afresh).
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
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

  /** Seconds to wait when `res` is the limiter's refusal; anything else (a store failure) is thrown. */
  function refusal(res: unknown): number {
    if (res instanceof RateLimiterRes) return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    throw res;
  }

  return {
    /**
     * Counts an attempt as failed before its password is checked, atomically: of attempts sent at
     * once, only as many as the budget allows get their password checked; the others wait. Answers
     * the seconds to wait, or null (then `succeeded` takes a right password's attempt back).
     */
    async reserve(emailKey: string, ip: string): Promise<number | null> {
      const email = normalizeEmail(emailKey);
      const [byEmailRes, byIpRes] = await Promise.allSettled([byEmail.consume(email), byIp.consume(ip)]);
      const waits = [byEmailRes, byIpRes].map((r) => (r.status === 'rejected' ? refusal(r.reason) : null));
      if (waits.every((w) => w === null)) return null;
      // Refused: no password is checked, so the attempt is taken back from both counts (a refused
      // consumption is stored too), and a right password let through meanwhile can give its own back.
      await Promise.all([byEmail.reward(email, 1), byIp.reward(ip, 1)]);
      return Math.max(...waits.map((w) => w ?? 0));
    },
    /** A right password: its attempt is not counted (SPEC §5: successful logins are not limited). */
    async succeeded(emailKey: string, ip: string): Promise<void> {
      await Promise.all([byEmail.reward(normalizeEmail(emailKey), 1), byIp.reward(ip, 1)]);
    },
  };
}
