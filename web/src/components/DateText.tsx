// Dates in lists and table cells, broken only between the date and the time. Table cells wrap
// anywhere (a long identifier must), which let a squeezed column break "12/06/2026" into
// "12/06/202 6" and "08:20 PM" into "08:20 / PM".
import { formatDate, formatDateTime } from '../lib/dates';

/** mm/dd/yyyy, hh:mm AM: the date and the time each kept whole. */
export function DateTimeText({ at }: { at: number | null | undefined }) {
  const [date, time] = formatDateTime(at).split(', ');
  return <><span className="nowrap">{date}</span>{time !== undefined && <>, <span className="nowrap">{time}</span></>}</>;
}

/** mm/dd/yyyy, kept whole. */
export function DateText({ at }: { at: number | null | undefined }) {
  return <span className="nowrap">{formatDate(at)}</span>;
}
