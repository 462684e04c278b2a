// The account's maximum token lifetime (SPEC §4, account setting maxTokenLifetimeMs) as a person
// meets it: the days "Set Expiration Date" may name, the month its calendar opens on, and the
// sentences that say so in days.
import { endOfLocalDay, formatDuration, formatUsDate, localIsoDate } from './dates';

/** 'YYYY-MM-DD' → the first millisecond of that day, local time. */
function startOfLocalDay(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y!, m! - 1, d!).getTime();
}

/**
 * The last day (local 'YYYY-MM-DD') whose end lies at most `maxMs` after `validFrom`, the latest
 * "Set Expiration Date" the server accepts for a token starting then; null when not even the day
 * of `validFrom` fits. It may be a day before today (a token started long ago): see expirationDays.
 */
export function lastAllowedDay(validFrom: number, maxMs: number): string | null {
  const latest = validFrom + maxMs;
  let day = localIsoDate(latest);
  // The calendar day before (not 24 hours before: a day with a clock change is 23 or 25 hours long).
  if (endOfLocalDay(day) > latest) day = localIsoDate(startOfLocalDay(day) - 1);
  return day >= localIsoDate(validFrom) ? day : null;
}

/**
 * The days a token starting at `validFrom` may be set to expire on: from today on when the account
 * has no maximum lifetime (`limited` false), else from today to `lastDay` — no day at all when
 * `lastDay` is null or before today. Kept apart because a null `lastDay` means "none", not "no limit".
 */
export interface ExpirationDays {
  readonly limited: boolean;
  readonly lastDay: string | null;
}

/** The days allowed under `maxMs` (null: the account has none, or it cannot be read). */
export function expirationDays(validFrom: number, maxMs: number | null): ExpirationDays {
  return maxMs === null ? { limited: false, lastDay: null } : { limited: true, lastDay: lastAllowedDay(validFrom, maxMs) };
}

/** Whether `day` ('YYYY-MM-DD') may be chosen at `now`: not over, and within the maximum if there is one. */
export function allowedDay(day: string, days: ExpirationDays, now = Date.now()): boolean {
  return day >= localIsoDate(now) && (!days.limited || (days.lastDay !== null && day <= days.lastDay));
}

/** Whether any day may be chosen at `now`. */
export function anyDayAllowed(days: ExpirationDays, now = Date.now()): boolean {
  return !days.limited || (days.lastDay !== null && days.lastDay >= localIsoDate(now));
}

/**
 * A day of the month the calendar shows for `day` (the one in the field, or null): that day when it
 * may be chosen, else the nearest one that may — today for a day that is over, the last allowed day
 * for one too far away — so the calendar never opens on a month of disabled days only. Today when
 * no day may be chosen (the field is disabled then).
 */
export function calendarMonth(day: string | null, days: ExpirationDays, now = Date.now()): string {
  const today = localIsoDate(now);
  if (day === null || !anyDayAllowed(days, now)) return today;
  if (allowedDay(day, days, now)) return day;
  return day > today && days.lastDay !== null ? days.lastDay : today;
}

/**
 * Why no expiration date can be set for a token starting at `validFrom`, when none can at `now`:
 * the maximum, counted from that start, ends before today does. Null when some day can be.
 */
export function noExpirationDayReason(validFrom: number, maxMs: number | null, now = Date.now()): string | null {
  if (maxMs === null || anyDayAllowed(expirationDays(validFrom, maxMs), now)) return null;
  const limit = `Tokens in this account may last at most ${formatDuration(maxMs)} from when they start`;
  const started = localIsoDate(validFrom);
  return started < localIsoDate(now)
    ? `${limit}, and this token started on ${formatUsDate(started)}: its time ends before today does, so no expiration date can be set.`
    : `${limit}, less than what is left of today, so no expiration date can be set.`;
}

/** "Tokens in this account may last at most 10 days: choose a date on or before 12/15/2026." */
export function lifetimeLimitMessage(validFrom: number, maxMs: number, what = 'choose a date'): string {
  const last = lastAllowedDay(validFrom, maxMs);
  const limit = `Tokens in this account may last at most ${formatDuration(maxMs)}`;
  // With no day left (Set Expiration Date is then disabled), only a higher limit helps.
  return last
    ? `${limit}: ${what} on or before ${formatUsDate(last)}.`
    : `${limit}, less than what is left of today: ask an account admin to raise the limit.`;
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
