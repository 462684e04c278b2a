// The console's reading of the account's maximum token lifetime (web/src/lib/tokenLifetime.ts): the
// days "Set Expiration Date" offers, in the browser's time zone, across day boundaries and clock
// changes — exactly the days the server accepts (src/domain/rotation.ts: validTo - validFrom <= max,
// validTo the end of the day chosen) that are not over yet.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { endOfLocalDay, formatDuration, localIsoDate } from '../../web/src/lib/dates.js';
import {
  allowedDay, anyDayAllowed, calendarMonth, expirationDays, lastAllowedDay, lifetimeLimitMessage, lifetimeLimitProblem, noExpirationDayReason,
  type ExpirationDays,
} from '../../web/src/lib/tokenLifetime.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const originalTz = process.env.TZ;
afterEach(() => { process.env.TZ = originalTz; });

/** Zones with odd offsets and clock changes: at 02:00, at midnight (Santiago), by 30 minutes (Lord Howe). */
const ZONES = ['UTC', 'America/New_York', 'Asia/Tokyo', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/Santiago',
  'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/London'];

/** The local day `n` calendar days after `isoDate` (at noon, clear of any clock change). */
function plusDays(isoDate: string, n: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return localIsoDate(new Date(y!, m! - 1, d! + n, 12).getTime());
}

const NONE: ExpirationDays = { limited: true, lastDay: null };
const UNLIMITED: ExpirationDays = { limited: false, lastDay: null };

describe('lastAllowedDay', () => {
  it('is the last day whose end lies within the maximum', () => {
    process.env.TZ = 'UTC';
    const from = Date.UTC(2026, 11, 5, 10, 0);
    expect(lastAllowedDay(from, 10 * DAY)).toBe('2026-12-14'); // the 15th ends after from + 10 days
    expect(lastAllowedDay(Date.UTC(2026, 11, 5, 0, 0), 10 * DAY - 1)).toBe('2026-12-14'); // ends exactly at the limit
    expect(lastAllowedDay(Date.UTC(2026, 11, 5, 0, 0), 10 * DAY - 2)).toBe('2026-12-13'); // one ms short of it
    expect(lastAllowedDay(from, HOUR)).toBeNull(); // not even today fits
    expect(lifetimeLimitMessage(from, 10 * DAY)).toBe('Tokens in this account may last at most 10 days: choose a date on or before 12/14/2026.');
  });

  it('takes today when the maximum reaches exactly its last millisecond, even a maximum of 1 ms', () => {
    process.env.TZ = 'America/New_York';
    const end = endOfLocalDay('2026-12-05');
    expect(lastAllowedDay(end - 1, 1)).toBe('2026-12-05');
    expect(lastAllowedDay(end - 2, 1)).toBeNull();
  });

  it('steps back one calendar day, not 24 hours, after a day with a clock change', () => {
    // New York springs forward on 2027-03-14 (a 23-hour day). The limit falls at 00:30 on the 15th:
    // the last allowed day is the 14th; 24 hours earlier would land on the 13th.
    process.env.TZ = 'America/New_York';
    const latest = new Date(2027, 2, 15, 0, 30).getTime();
    const from = latest - 20 * DAY;
    expect(lastAllowedDay(from, latest - from)).toBe('2027-03-14');
  });

  it('reads the day in the browser\'s time zone: the same instants, other days', () => {
    // 2026-12-05 03:00 UTC is still the 4th (22:00) in New York, already the 5th (noon) in Tokyo.
    const from = Date.UTC(2026, 11, 5, 3, 0);
    process.env.TZ = 'America/New_York';
    expect(lastAllowedDay(from, 2 * DAY)).toBe('2026-12-05'); // the limit falls on 12-06 at 22:00
    expect(lastAllowedDay(from, 11 * HOUR)).toBe('2026-12-04'); // 09:00 on the 5th: the 4th is over by then
    process.env.TZ = 'Asia/Tokyo';
    expect(lastAllowedDay(from, 2 * DAY)).toBe('2026-12-06'); // 12-07 at 12:00
    expect(lastAllowedDay(from, 11 * HOUR)).toBeNull(); // 23:00 on the 5th, before it ends
  });
});

describe('expirationDays', () => {
  it('tells no maximum (every day) from a maximum that leaves no day', () => {
    process.env.TZ = 'UTC';
    const from = Date.UTC(2026, 11, 5, 10, 0);
    expect(expirationDays(from, null)).toEqual(UNLIMITED);
    expect(expirationDays(from, 1)).toEqual(NONE);
    expect(expirationDays(from, 10 * DAY)).toEqual({ limited: true, lastDay: '2026-12-14' });
  });
});

describe('allowedDay and anyDayAllowed', () => {
  const now = Date.UTC(2026, 11, 5, 10, 0);

  it('offers every day from today on when there is no maximum', () => {
    process.env.TZ = 'UTC';
    expect(allowedDay('2026-12-04', UNLIMITED, now)).toBe(false);
    expect(allowedDay('2026-12-05', UNLIMITED, now)).toBe(true);
    expect(allowedDay('2099-12-31', UNLIMITED, now)).toBe(true);
    expect(anyDayAllowed(UNLIMITED, now)).toBe(true);
  });

  it('offers today to the last day, both included, under a maximum', () => {
    process.env.TZ = 'UTC';
    const days = { limited: true, lastDay: '2026-12-14' };
    expect(['2026-12-04', '2026-12-05', '2026-12-14', '2026-12-15', '2027-01-01'].map((d) => allowedDay(d, days, now)))
      .toEqual([false, true, true, false, false]);
    expect(anyDayAllowed(days, now)).toBe(true);
    expect(anyDayAllowed({ limited: true, lastDay: '2026-12-05' }, now)).toBe(true);
  });

  it('offers no day at all when the maximum leaves none, or only days that are over (a token started long ago)', () => {
    process.env.TZ = 'UTC';
    for (const days of [NONE, { limited: true, lastDay: '2026-12-04' }]) {
      expect(anyDayAllowed(days, now)).toBe(false);
      expect(['2026-12-03', '2026-12-04', '2026-12-05', '2026-12-06', '2099-12-31'].some((d) => allowedDay(d, days, now))).toBe(false);
    }
  });

  it('moves on at midnight, local time', () => {
    process.env.TZ = 'America/New_York';
    const days = { limited: true, lastDay: '2026-12-05' };
    const lastMs = endOfLocalDay('2026-12-05');
    expect(allowedDay('2026-12-05', days, lastMs)).toBe(true);
    expect(anyDayAllowed(days, lastMs)).toBe(true);
    expect(allowedDay('2026-12-05', days, lastMs + 1)).toBe(false);
    expect(anyDayAllowed(days, lastMs + 1)).toBe(false);
    // The same instant is another day elsewhere: 03:00 UTC on the 6th is the 5th in New York only.
    const instant = Date.UTC(2026, 11, 6, 3, 0);
    expect(allowedDay('2026-12-05', days, instant)).toBe(true);
    process.env.TZ = 'UTC';
    expect(allowedDay('2026-12-05', days, instant)).toBe(false);
    process.env.TZ = 'Pacific/Kiritimati'; // UTC+14: the 6th there since 10:00 UTC on the 5th
    expect(allowedDay('2026-12-05', days, Date.UTC(2026, 11, 5, 10, 0))).toBe(false);
    expect(allowedDay('2026-12-05', days, Date.UTC(2026, 11, 5, 9, 59))).toBe(true);
  });

  it('offers exactly the days the server takes that are not over, in any time zone', () => {
    fc.assert(fc.property(
      fc.constantFrom(...ZONES),
      fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2034, 0, 1) }),
      fc.oneof(fc.integer({ min: 1, max: 3 * DAY }), fc.integer({ min: 1, max: 40 * DAY })),
      fc.integer({ min: 0, max: 45 * DAY }),
      (zone, validFrom, maxMs, elapsed) => {
        process.env.TZ = zone;
        const now = validFrom + elapsed;
        const days = expirationDays(validFrom, maxMs);
        const today = localIsoDate(now);
        let any = false;
        for (let n = -2; n <= 45; n++) {
          const day = plusDays(today, n);
          // The server's rule for validTo = the end of that day, and the console's own (not in the past).
          const serverTakes = endOfLocalDay(day) - validFrom <= maxMs && endOfLocalDay(day) >= validFrom;
          const expected = day >= today && serverTakes;
          expect(allowedDay(day, days, now), `${zone} ${day}`).toBe(expected);
          if (day >= today) expect(lifetimeLimitProblem(validFrom, endOfLocalDay(day), maxMs) === null).toBe(endOfLocalDay(day) - validFrom <= maxMs);
          any ||= expected;
        }
        expect(anyDayAllowed(days, now)).toBe(any);
        expect(noExpirationDayReason(validFrom, maxMs, now) === null).toBe(any);
      },
    ), { numRuns: 300 });
  });
});

describe('calendarMonth', () => {
  const now = Date.UTC(2026, 11, 5, 10, 0);
  const days = { limited: true, lastDay: '2027-01-20' };

  it('opens on the day in the field when it may be chosen', () => {
    process.env.TZ = 'UTC';
    expect(calendarMonth('2027-01-20', days, now)).toBe('2027-01-20');
    expect(calendarMonth('2026-12-05', days, now)).toBe('2026-12-05');
    expect(calendarMonth('2031-06-01', UNLIMITED, now)).toBe('2031-06-01');
  });

  it('opens on today for an empty field or a day that is over, on the last day for one too far away', () => {
    process.env.TZ = 'UTC';
    expect(calendarMonth(null, days, now)).toBe('2026-12-05');
    expect(calendarMonth(null, UNLIMITED, now)).toBe('2026-12-05');
    expect(calendarMonth('2026-11-30', days, now)).toBe('2026-12-05');
    expect(calendarMonth('2026-12-04', UNLIMITED, now)).toBe('2026-12-05');
    expect(calendarMonth('2027-01-21', days, now)).toBe('2027-01-20');
    expect(calendarMonth('2031-06-01', days, now)).toBe('2027-01-20');
  });

  it('opens on today when no day may be chosen (the field is disabled then), never on a past last day', () => {
    process.env.TZ = 'UTC';
    for (const none of [NONE, { limited: true, lastDay: '2026-11-01' }]) {
      expect(calendarMonth(null, none, now)).toBe('2026-12-05');
      expect(calendarMonth('2026-10-15', none, now)).toBe('2026-12-05');
      expect(calendarMonth('2031-06-01', none, now)).toBe('2026-12-05');
    }
  });

  it('always lands on a day that may be chosen when there is one, in any time zone', () => {
    fc.assert(fc.property(
      fc.constantFrom(...ZONES),
      fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2034, 0, 1) }),
      fc.option(fc.integer({ min: 1, max: 400 * DAY }), { nil: null }),
      fc.integer({ min: 0, max: 60 * DAY }),
      fc.integer({ min: -400, max: 800 }),
      (zone, validFrom, maxMs, elapsed, offset) => {
        process.env.TZ = zone;
        const now = validFrom + elapsed;
        const allowed = expirationDays(validFrom, maxMs);
        const day = plusDays(localIsoDate(now), offset);
        const shown = calendarMonth(day, allowed, now);
        if (!anyDayAllowed(allowed, now)) expect(shown).toBe(localIsoDate(now));
        else if (allowedDay(day, allowed, now)) expect(shown).toBe(day);
        else expect(allowedDay(shown, allowed, now)).toBe(true);
      },
    ), { numRuns: 300 });
  });
});

describe('what the person is told', () => {
  it('says why no date can be set: a maximum shorter than what is left of today, or one that ran out for a token started long ago', () => {
    process.env.TZ = 'UTC';
    const now = Date.UTC(2026, 11, 5, 10, 0);
    expect(noExpirationDayReason(now, 2 * HOUR, now))
      .toBe('Tokens in this account may last at most 2 hours from when they start, less than what is left of today, so no expiration date can be set.');
    expect(noExpirationDayReason(now, 1, now))
      .toBe('Tokens in this account may last at most 1 ms from when they start, less than what is left of today, so no expiration date can be set.');
    expect(noExpirationDayReason(now - 30 * DAY, 10 * DAY, now)).toBe('Tokens in this account may last at most 10 days from when they start, '
      + 'and this token started on 11/05/2026: its time ends before today does, so no expiration date can be set.');
    expect(noExpirationDayReason(now - 30 * DAY, null, now)).toBeNull();
    expect(noExpirationDayReason(now - 30 * DAY, 40 * DAY, now)).toBeNull();
    // With no day left, only a higher limit helps.
    expect(lifetimeLimitMessage(now, 2 * HOUR)).toBe('Tokens in this account may last at most 2 hours, less than what is left of today: ask an account admin to raise the limit.');
  });

  it('says a short maximum in minutes, seconds or ms, never "0 hours"', () => {
    expect([1, 999, 1000, 90_000, 5 * 60_000, 6 * 60_000, HOUR, 36 * HOUR, 10 * DAY].map(formatDuration))
      .toEqual(['1 ms', '999 ms', '1 second', '2 minutes', '5 minutes', '0.1 hours', '1 hour', '1.5 days', '10 days']);
  });
});
