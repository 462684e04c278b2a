// Form fields the dialogs share: Name with its derived Id, Description, Tags, Set Expiration Date.
import { useState, type ReactNode } from 'react';
import { Checkbox, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { identifierFromName } from '../lib/identifier';
import { endOfLocalDay, parseUsDate, todayIso } from '../lib/dates';

/** Name and Id state: the Id follows the name until the person edits it (or it is saved). */
export function useNameAndId(initialName = '', initialId = '') {
  const [name, setNameRaw] = useState(initialName);
  const [id, setIdRaw] = useState(initialId);
  const [idTouched, setIdTouched] = useState(initialId !== '');
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
  };
}

interface NameAndIdProps {
  state: ReturnType<typeof useNameAndId>;
  /** Editing something saved: the Id is shown but cannot change. */
  locked?: boolean;
  nameError?: string | null;
  idError?: string | null;
  autoFocus?: boolean;
}

export function NameAndIdFields({ state, locked, nameError, idError, autoFocus }: NameAndIdProps) {
  return (
    <>
      <TextInput label="Name" required value={state.name} error={nameError} data-autofocus={autoFocus || undefined}
        onChange={(e) => state.setName(e.currentTarget.value)} maxLength={128} />
      <TextInput label="Id" required={!locked} value={state.id} error={locked ? undefined : idError} readOnly={locked}
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

/** The state of an ExpirationDateField: whether a date is wanted, the date, its problem and the end of that day. */
export function useExpirationDate() {
  const [enabled, setEnabled] = useState(false);
  const [date, setDate] = useState<string | null>(null);
  return {
    enabled, setEnabled, date, setDate,
    error: enabled && !date ? 'Enter a date as mm/dd/yyyy' : null,
    /** Epoch ms of the end of the chosen day (local time), or undefined when no date is set. */
    validTo: enabled && date ? endOfLocalDay(date) : undefined,
  };
}

interface ExpirationDateFieldProps {
  state: ReturnType<typeof useExpirationDate>;
  error?: string | null;
  /** What applies when no date is set. */
  withoutDate: ReactNode;
  label?: string;
}

/** "Set Expiration Date": a checkbox revealing an mm/dd/yyyy date (the end of that day, local time). */
export function ExpirationDateField({ state, error, withoutDate, label = 'Set Expiration Date' }: ExpirationDateFieldProps) {
  return (
    <Stack gap="xs">
      <Checkbox label={label} checked={state.enabled} onChange={(e) => state.setEnabled(e.currentTarget.checked)} />
      {state.enabled ? (
        <DateInput label="Expiration Date" placeholder="mm/dd/yyyy" valueFormat="MM/DD/YYYY" dateParser={parseUsDate}
          value={state.date} onChange={state.setDate} minDate={todayIso()} error={error} required
          description="The token stops working at the end of this day (your time zone)."
          popoverProps={{ withinPortal: true }} />
      ) : (
        <Text size="sm" c="dimmed" data-testid="default-expiry">{withoutDate}</Text>
      )}
    </Stack>
  );
}
