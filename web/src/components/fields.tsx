// Form fields the dialogs share: Name with its derived Id, Description, Tags, Set Expiration Date.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Checkbox, Popover, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { Calendar } from '@mantine/dates';
import { isDuplicate } from '../api/errors';
import { identifierFromName, typedNameProblem } from '../lib/identifier';
import { endOfLocalDay, formatUsDate, parseUsDate, todayIso } from '../lib/dates';
import { allowedDay, calendarMonth, expirationDays, lifetimeLimitProblem, noExpirationDayReason } from '../lib/tokenLifetime';

/**
 * Name and Id state: the Id follows the name until the person edits it (or it is saved). It also
 * remembers the Name and Id last sent, so that a refusal of that Id as taken is said at the Id field
 * until either is changed.
 */
export function useNameAndId(initialName = '', initialId = '') {
  const [name, setNameRaw] = useState(initialName);
  const [id, setIdRaw] = useState(initialId);
  const [idTouched, setIdTouched] = useState(initialId !== '');
  const [sent, setSent] = useState<{ name: string; id: string } | null>(null);
  return {
    name, id,
    setName(value: string) {
      setNameRaw(value);
      if (!idTouched) setIdRaw(identifierFromName(value));
    },
    setId(value: string) {
      setIdRaw(value);
      setIdTouched(true);
    },
    /** Call as the form is sent: a refusal that comes back is about this Name and Id. */
    send() {
      setSent({ name, id });
    },
    /** Whether `error` refused the Id as taken, and the Name and Id are still the ones sent. */
    refusedAsTaken(error: unknown): boolean {
      return isDuplicate(error) && sent !== null && sent.name === name && sent.id === id;
    },
  };
}

/** What the Id field says once the server refused its Id as taken: the words name what exists, and where. */
function takenIdMessage(thing: string, id: string, where = 'here'): string {
  return `${thing} with the Id ${id} already exists ${where}: choose another Name or Id.`;
}

interface NameAndIdProps {
  state: ReturnType<typeof useNameAndId>;
  /** Editing something saved: the Id is shown but cannot change. */
  locked?: boolean;
  nameError?: string | null;
  idError?: string | null;
  autoFocus?: boolean;
  /**
   * The form's last refusal, and what the form makes, with its article ("An API key") and where
   * its Id must be unique ("here" by default): a refusal of the Id as taken is said at the Id field.
   * The form's alert leaves it out (ActionError's duplicateAtField).
   */
  taken?: { refusal: unknown; thing: string; where?: string };
}

export function NameAndIdFields({ state, locked, nameError, idError, autoFocus, taken }: NameAndIdProps) {
  const takenError = taken && !locked && state.refusedAsTaken(taken.refusal) ? takenIdMessage(taken.thing, state.id, taken.where) : null;
  return (
    <>
      <TextInput label="Name" required value={state.name} error={nameError ?? typedNameProblem(state.name)} data-autofocus={autoFocus || undefined}
        onChange={(e) => state.setName(e.currentTarget.value)} maxLength={128} />
      <TextInput label="Id" required={!locked} value={state.id} error={locked ? undefined : idError ?? takenError} readOnly={locked}
        description={locked ? 'The Id cannot be changed.' : 'Made from the name; you can change it until you save.'}
        onChange={(e) => state.setId(e.currentTarget.value)} maxLength={128}
        styles={locked ? { input: { background: 'var(--mantine-color-gray-1)', cursor: 'default' } } : undefined} />
    </>
  );
}

export function DescriptionField({ value, onChange, error }: { value: string; onChange: (v: string) => void; error?: string | null }) {
  return (
    <Textarea label="Description" description="Optional." value={value} error={error} autosize minRows={2} maxRows={6}
      maxLength={1024} onChange={(e) => onChange(e.currentTarget.value)} />
  );
}

export function TagsField({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  return (
    <TagsInput label="Tags" description="Optional. Type key:value (or just a key) and press Enter." value={value}
      onChange={onChange} clearable splitChars={[',']} maxTags={128} />
  );
}

/** Names for the calendar's arrows (Mantine leaves them unnamed). */
const CALENDAR_LABELS = {
  previousMonth: 'Previous month', nextMonth: 'Next month',
  previousYear: 'Previous year', nextYear: 'Next year',
  previousDecade: 'Previous decade', nextDecade: 'Next decade',
};

/** mm/dd/yyyy with numbers, whether or not it names a real day. */
const US_DATE_SHAPE = /^\s*\d{1,2}\/\d{1,2}\/\d{4}\s*$/;

/** What is wrong with a typed expiration date, in words that say what to do; null when nothing is. */
function expirationDateProblem(text: string, date: string | null): string | null {
  if (!text.trim() || (!date && !US_DATE_SHAPE.test(text))) return 'Enter a date as mm/dd/yyyy';
  if (!date) return `There is no day ${text.trim()}: check the month and the day`;
  if (date < todayIso()) return 'The expiration date must be today or later';
  return null;
}

export interface ExpirationDateOptions {
  /**
   * mm/dd/yyyy put in the field when Set Expiration Date is ticked while it is empty (the current
   * date), when the field would take it: not a day that is over, nor one past the account's maximum
   * (ticked while that is still being asked, the field waits for it).
   */
  prefill?: string | null;
  /**
   * The account's maximum token lifetime (undefined while it is being asked, null when there is
   * none or it cannot be read) and the instant the token starts (now by default).
   */
  limit?: { maxMs: number | null | undefined; validFrom?: number };
}

/**
 * The state of an ExpirationDateField: whether a date is wanted, the text as typed (kept as typed,
 * right or wrong, so a mistake can be seen and corrected), the day it names, its problem and the
 * end of that day.
 */
export function useExpirationDate({ prefill, limit }: ExpirationDateOptions = {}) {
  const [ticked, setTicked] = useState(false);
  const [text, setText] = useState('');
  // Ticked before the limit was known: the current date waits for it rather than risk a day past it.
  const [prefillPending, setPrefillPending] = useState(false);
  const date = parseUsDate(text);
  const validFrom = limit?.validFrom ?? Date.now();
  const limitLoading = limit !== undefined && limit.maxMs === undefined;
  const maxMs = limit?.maxMs ?? null;
  const days = expirationDays(validFrom, maxMs);
  const prefillDay = prefill ? parseUsDate(prefill) : null;
  /** Why no date can be set (the maximum, counted from the token's start, ends before today does), or null. */
  const noDayReason = noExpirationDayReason(validFrom, maxMs);
  const enabled = ticked && noDayReason === null;
  const fillIn = () => {
    if (prefill && prefillDay && allowedDay(prefillDay, days)) setText(prefill);
  };
  // The limit has arrived: filled in now, in this render (React's way to adjust state to a change),
  // unless something was typed meanwhile.
  if (prefillPending && !limitLoading) {
    setPrefillPending(false);
    if (enabled && !text.trim()) fillIn();
  }
  const error = enabled
    ? expirationDateProblem(text, date) ?? (date ? lifetimeLimitProblem(validFrom, endOfLocalDay(date), maxMs) : null)
    : null;
  return {
    enabled, text, setText,
    setEnabled(value: boolean) {
      setTicked(value);
      setPrefillPending(value && limitLoading);
      if (value && !limitLoading && !text.trim()) fillIn();
    },
    /** 'YYYY-MM-DD' of the typed day, or null. */
    date,
    error,
    /** The days the field takes under the account's maximum token lifetime. */
    days,
    noDayReason,
    /** Epoch ms of the end of the chosen day (local time), or undefined when no (acceptable) date is set. */
    validTo: enabled && date && !error ? endOfLocalDay(date) : undefined,
  };
}

interface ExpirationDateFieldProps {
  state: ReturnType<typeof useExpirationDate>;
  /** The problem to show (the form shows every problem once it was submitted). */
  error?: string | null;
  /** What applies when no date is set. */
  withoutDate: ReactNode;
  /** What the person can do instead when no date can be set (after the reason why). */
  instead: string;
  label?: string;
}

/** Whether a mouse button (or a finger, a pen) is down anywhere in the page, while the caller is shown. */
function usePointerPressed() {
  const pressed = useRef(false);
  useEffect(() => {
    const down = () => { pressed.current = true; };
    const up = () => { pressed.current = false; };
    document.addEventListener('pointerdown', down, true);
    document.addEventListener('pointerup', up, true);
    document.addEventListener('pointercancel', up, true);
    return () => {
      document.removeEventListener('pointerdown', down, true);
      document.removeEventListener('pointerup', up, true);
      document.removeEventListener('pointercancel', up, true);
    };
  }, []);
  return pressed;
}

/** Runs `then` once the press under way is released and its click has been handled. */
function afterRelease(then: () => void) {
  const released = () => {
    document.removeEventListener('pointerup', released, true);
    document.removeEventListener('pointercancel', released, true);
    // The click follows the release in the same task.
    window.setTimeout(then, 0);
  };
  document.addEventListener('pointerup', released, true);
  document.addEventListener('pointercancel', released, true);
}

/**
 * "Set Expiration Date": a checkbox revealing an mm/dd/yyyy field (the end of that day, local time)
 * with a calendar that opens while the field has the focus. Escape and Enter in the field close the
 * calendar only: Escape does not close the dialog while the calendar is open, Enter does not submit
 * the form (in Rotate Token that would rotate at once).
 */
export function ExpirationDateField({ state, error, withoutDate, instead, label = 'Set Expiration Date' }: ExpirationDateFieldProps) {
  const [calendarOpen, setCalendarOpen] = useState(false);
  const [month, setMonth] = useState(() => calendarMonth(state.date, state.days));
  const reasonId = useId();
  // A problem shows once the person is done typing: has left the field with something typed, or
  // closed the calendar with Escape or Enter; not while typing.
  const [left, setLeft] = useState(false);
  // Focused by a click: the click's mouseup would put a caret in the selection made on focus.
  const focusedByPointer = useRef(false);
  // A press elsewhere takes the focus from the field before it is released. Were the message to
  // appear then, the dialog would grow under the pointer (a centred one moves up), the release would
  // land beside what was pressed and the click would be lost (Set Expiration Date, above the field,
  // stayed ticked). So leaving the field by a press shows the message once the click is over.
  const pressed = usePointerPressed();
  const leave = () => {
    if (pressed.current) afterRelease(() => setLeft(true));
    else setLeft(true);
  };
  const shownError = error ?? (left && state.text.trim() ? state.error : null);
  const type = (text: string) => {
    state.setText(text);
    const day = parseUsDate(text);
    if (day) setMonth(calendarMonth(day, state.days));
  };
  /** Takes `day` (the day typed, or the one clicked in the calendar) as mm/dd/yyyy and closes the calendar. */
  const confirm = (day = state.date) => {
    setCalendarOpen(false);
    setLeft(true);
    if (day) state.setText(formatUsDate(day));
  };
  return (
    <Stack gap="xs">
      {/* No day to offer: disabled, saying why and what to do instead, rather than offer days the server refuses. */}
      <Checkbox label={label} checked={state.enabled} onChange={(e) => state.setEnabled(e.currentTarget.checked)}
        disabled={state.noDayReason !== null} aria-describedby={state.noDayReason ? reasonId : undefined}
        description={state.noDayReason && <span id={reasonId}>{state.noDayReason} {instead}</span>} />
      {state.enabled ? (
        <Popover opened={calendarOpen} onChange={setCalendarOpen} position="bottom-start" trapFocus={false} returnFocus={false}
          withRoles={false} closeOnEscape={false} withinPortal shadow="md">
          {/* Placed by the whole field, not its input: opened upward (too little room below), the
              calendar goes above the label and leaves the label and the help under it readable. */}
          <Popover.Target>
            <div>
              <TextInput label="Expiration Date" placeholder="mm/dd/yyyy" required autoComplete="off" value={state.text} error={shownError}
                description="The token stops working at the end of this day (your time zone)."
                // Mantine's Modal leaves an Escape alone when its target carries this attribute.
                data-mantine-stop-propagation={calendarOpen || undefined}
                onChange={(e) => { type(e.currentTarget.value); setCalendarOpen(true); }}
                // The field may start with the current date: selected, what is typed replaces it.
                onFocus={(e) => { e.currentTarget.select(); setMonth(calendarMonth(state.date, state.days)); setCalendarOpen(true); }}
                onMouseDown={(e) => { focusedByPointer.current = document.activeElement !== e.currentTarget; }}
                onMouseUp={(e) => { if (focusedByPointer.current) e.preventDefault(); focusedByPointer.current = false; }}
                onClick={() => setCalendarOpen(true)}
                onBlur={() => { setCalendarOpen(false); leave(); }}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') { setCalendarOpen(false); setLeft(true); }
                  if (e.key === 'Enter') { e.preventDefault(); confirm(); }
                }} />
            </div>
          </Popover.Target>
          {/* Clicks in the calendar keep the focus in the field. */}
          <Popover.Dropdown onMouseDown={(e) => e.preventDefault()} data-testid="expiration-calendar">
            <Calendar __preventFocus minDate={todayIso()} maxDate={state.days.lastDay ?? undefined} date={month} onDateChange={setMonth}
              ariaLabels={CALENDAR_LABELS}
              getDayProps={(day) => ({
                selected: day === state.date,
                onClick: () => confirm(day),
              })} />
          </Popover.Dropdown>
        </Popover>
      ) : (
        <Text size="sm" c="dimmed" data-testid="default-expiry">{withoutDate}</Text>
      )}
    </Stack>
  );
}
