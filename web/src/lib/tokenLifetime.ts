// The account's maximum token lifetime (SPEC §4, account setting maxTokenLifetimeMs) as a person
// meets it: the last day a token may be set to expire, and the sentence that says so in days.
import { endOfLocalDay, formatDuration, formatUsDate, localIsoDate } from './dates';

/** 'YYYY-MM-DD' → the first millisecond of that day, local time. */
function startOfLocalDay(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
}

/**
 * The last day (local 'YYYY-MM-DD') whose end lies at most `maxMs` after `validFrom`, the latest
 * "Set Expiration Date" the server accepts for a token starting then; null when not even today fits.
 */
export function lastAllowedDay(validFrom: number, maxMs: number): string | null {
  const latest = validFrom + maxMs;
  let day = localIsoDate(latest);
  // The calendar day before (not 24 hours before: a day with a clock change is 23 or 25 hours long).
  if (endOfLocalDay(day) > latest) day = localIsoDate(startOfLocalDay(day) - 1);
  return day >= localIsoDate(validFrom) ? day : null;
}

/** "Tokens in this account may last at most 10 days: choose a date on or before 12/15/2026." */
export function lifetimeLimitMessage(validFrom: number, maxMs: number, what = 'choose a date'): string {
  const last = lastAllowedDay(validFrom, maxMs);
  const limit = `Tokens in this account may last at most ${formatDuration(maxMs)}`;
  return last
    ? `${limit}: ${what} on or before ${formatUsDate(last)}.`
    : `${limit}, less than what is left of today: leave Set Expiration Date unticked, or ask an account admin to raise the limit.`;
}

/**
 * The problem with a token valid from `validFrom` to `validTo` under the limit, or null. `what` is
 * what the person is to do, before "on or before <the last day>".
 */
export function lifetimeLimitProblem(validFrom: number, validTo: number | null | undefined, maxMs: number | null | undefined, what?: string): string | null {
  if (validTo === undefined || validTo === null || maxMs === null || maxMs === undefined) return null;
  return validTo - validFrom > maxMs ? lifetimeLimitMessage(validFrom, maxMs, what) : null;
}

/** The server's refusal ("…at most 864000000 ms (account setting maxTokenLifetimeMs)") put into days. */
export function describeLifetimeRefusal(message: string): string | null {
  const m = /at most (\d+) ms \(account setting maxTokenLifetimeMs\)/.exec(message);
  if (!m) return null;
  return `Tokens in this account may last at most ${formatDuration(Number(m[1]))} from when they start: choose an earlier expiration date with Set Expiration Date.`;
}
