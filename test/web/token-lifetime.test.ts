// The console's reading of the account's maximum token lifetime (web/src/lib/tokenLifetime.ts): the
// last day a token may be set to expire, in the browser's time zone, across clock changes.
import { afterEach, describe, expect, it } from 'vitest';
import { lastAllowedDay, lifetimeLimitMessage } from '../../web/src/lib/tokenLifetime.js';

const DAY = 86_400_000;
const originalTz = process.env.TZ;
afterEach(() => { process.env.TZ = originalTz; });

describe('lastAllowedDay', () => {
  it('is the last day whose end lies within the maximum', () => {
    process.env.TZ = 'UTC';
    const from = Date.UTC(2026, 11, 5, 10, 0);
    expect(lastAllowedDay(from, 10 * DAY)).toBe('2026-12-14'); // the 15th ends after from + 10 days
    expect(lastAllowedDay(Date.UTC(2026, 11, 5, 0, 0), 10 * DAY - 1)).toBe('2026-12-14'); // ends exactly at the limit
    expect(lastAllowedDay(from, 3_600_000)).toBeNull(); // not even today fits
    expect(lifetimeLimitMessage(from, 10 * DAY)).toBe('Tokens in this account may last at most 10 days: choose a date on or before 12/14/2026.');
  });

  it('steps back one calendar day, not 24 hours, after a day with a clock change', () => {
    // New York springs forward on 2027-03-14 (a 23-hour day). The limit falls at 00:30 on the 15th:
    // the last allowed day is the 14th; 24 hours earlier would land on the 13th.
    process.env.TZ = 'America/New_York';
    const latest = new Date(2027, 2, 15, 0, 30).getTime();
    const from = latest - 20 * DAY;
    expect(lastAllowedDay(from, latest - from)).toBe('2027-03-14');
  });
});
