// A search box over a list already loaded (service accounts, users, user groups, roles, resource
// groups, API keys): a literal, case-insensitive match on the words a person would look for —
// names, Ids, emails.
import { useMemo, useState, type ReactNode } from 'react';
import { CloseButton, Text, TextInput } from '@mantine/core';

export interface ListSearch<T> {
  term: string;
  setTerm: (term: string) => void;
  /** The rows whose fields contain the term (all of them when it is blank). */
  shown: T[];
}

export function useListSearch<T>(rows: readonly T[] | undefined, fields: (row: T) => readonly (string | null | undefined)[]): ListSearch<T> {
  const [term, setTerm] = useState('');
  const needle = term.trim().toLowerCase();
  const shown = useMemo(() => (rows ?? []).filter((row) =>
    needle === '' || fields(row).some((f) => f?.toLowerCase().includes(needle))), [rows, needle, fields]);
  return { term, setTerm, shown };
}

/** The search box, then the list of what matches it (`children`), or a line saying nothing does. */
export function SearchedList<T>({ search, label, placeholder, children }: {
  search: ListSearch<T>;
  /** Names the box: "Search service accounts". */
  label: string;
  placeholder: string;
  children: (shown: T[]) => ReactNode;
}) {
  const { term, setTerm, shown } = search;
  return (
    <>
      <TextInput type="search" aria-label={label} placeholder={placeholder} value={term} maw={360}
        onChange={(e) => setTerm(e.currentTarget.value)}
        rightSection={term ? <CloseButton size="sm" aria-label="Clear the search" onClick={() => setTerm('')} /> : null} />
      {shown.length === 0
        ? <Text size="sm" c="dimmed" role="status">Nothing matches “{term.trim()}”.</Text>
        : children(shown)}
    </>
  );
}
