// A search box over a list already loaded (service accounts, users, user groups, API keys): a
// literal, case-insensitive match on the words a person would look for — names, Ids, emails.
import { useMemo, useState, type ReactNode } from 'react';
import { CloseButton, Text, TextInput } from '@mantine/core';

/** The rows whose fields contain the term (all of them when it is blank). */
export function useListSearch<T>(rows: readonly T[] | undefined, fields: (row: T) => readonly (string | null | undefined)[]) {
  const [term, setTerm] = useState('');
  const needle = term.trim().toLowerCase();
  const shown = useMemo(() => (rows ?? []).filter((row) =>
    needle === '' || fields(row).some((f) => f?.toLowerCase().includes(needle))), [rows, needle, fields]);
  return { term, setTerm, shown };
}

export function ListSearch({ label, placeholder, term, setTerm }: {
  /** Names the box: "Search service accounts". */
  label: string;
  placeholder: string;
  term: string;
  setTerm: (term: string) => void;
}) {
  return (
    <TextInput type="search" aria-label={label} placeholder={placeholder} value={term} maw={360}
      onChange={(e) => setTerm(e.currentTarget.value)}
      rightSection={term ? <CloseButton size="sm" aria-label="Clear the search" onClick={() => setTerm('')} /> : null} />
  );
}

/** What a search that matches nothing says, instead of an empty table. */
export function NoMatch({ term, children }: { term: string; children?: ReactNode }) {
  return <Text size="sm" c="dimmed" role="status">Nothing matches “{term.trim()}”.{children ? <> {children}</> : null}</Text>;
}
