// Dates as the console shows and reads them: "Set Expiration Date" is mm/dd/yyyy and means the end
// of that day in the browser's time zone (SPEC §4).

export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_TOKEN_LIFETIME_MS = 30 * DAY_MS;

/** Parses mm/dd/yyyy (one- or two-digit month and day) into 'YYYY-MM-DD', or null. */
export function parseUsDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const month = Number(m[1]);
  const day = Number(m[2]);
  const year = Number(m[3]);
  const d = new Date(year, month - 1, day);
  if (d.getFullYear() !== year || d.getMonth() !== month - 1 || d.getDate() !== day) return null;
  return `${m[3]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** 'YYYY-MM-DD' → mm/dd/yyyy */
export function formatUsDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${m}/${d}/${y}`;
}

/** 'YYYY-MM-DD' → the last millisecond of that day, local time. */
export function endOfLocalDay(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d, 23, 59, 59, 999).getTime();
}

/** Epoch ms → 'YYYY-MM-DD' of its local day. */
export function localIsoDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function todayIso(): string {
  return localIsoDate(Date.now());
}

const dateFormat = new Intl.DateTimeFormat('en-US', { month: '2-digit', day: '2-digit', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  month: '2-digit', day: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

/** Sorts what was created most recently first (API keys, tokens), as the lists show them. */
export const newestFirst = (a: { createdAt: number }, b: { createdAt: number }) => b.createdAt - a.createdAt;

/** mm/dd/yyyy */
export function formatDate(ms: number | null | undefined): string {
  return ms ? dateFormat.format(new Date(ms)) : '—';
}

/** mm/dd/yyyy, hh:mm AM */
export function formatDateTime(ms: number | null | undefined): string {
  return ms ? dateTimeFormat.format(new Date(ms)) : '—';
}

/** "in 3 days", "2 hours ago" */
export function formatRelative(ms: number, now = Date.now()): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  const units: [number, Intl.RelativeTimeFormatUnit][] = [
    [365 * DAY_MS, 'year'], [30 * DAY_MS, 'month'], [DAY_MS, 'day'], [3600_000, 'hour'], [60_000, 'minute'],
  ];
  const rtf = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [size, unit] of units) {
    if (abs >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return diff >= 0 ? 'in less than a minute' : 'just now';
}

/** The value of an <input type="datetime-local"> for an instant. */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromDateTimeLocal(value: string): number | null {
  if (!value) return null;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? null : t;
}

export function formatDuration(ms: number): string {
  const days = ms / DAY_MS;
  if (days >= 1 && Number.isInteger(Math.round(days * 100) / 100)) return `${Math.round(days)} day${Math.round(days) === 1 ? '' : 's'}`;
  if (days >= 1) return `${days.toFixed(1)} days`;
  // Shorter limits exist too (an account's maximum may be a few minutes, even 1 ms): never "0 hours".
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms >= 360_000) return plural(Math.round(ms / 360_000) / 10, 'hour');
  if (ms >= 60_000) return plural(Math.round(ms / 60_000), 'minute');
  if (ms >= 1000) return plural(Math.round(ms / 1000), 'second');
  return `${ms} ms`;
}
