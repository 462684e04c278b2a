// A list that is a table on wide screens and a stack of cards on narrow ones, so no page ever
// scrolls sideways (390 px phones included).
import type { ReactNode } from 'react';
import { Box, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';

export interface Column<T> {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** Hide on phones (details that are not needed to act). */
  hideOnMobile?: boolean;
  width?: number | string;
}

interface DataListProps<T> {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  /** Buttons and menus for one row, at its right. */
  actions?: (row: T) => ReactNode;
  /** Names the table for assistive technology. */
  label: string;
  /** A test/automation hook: data-row attribute value of a row. */
  rowName?: (row: T) => string;
}

export function useIsNarrow(): boolean {
  return useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false }) ?? false;
}

export function DataList<T>({ rows, columns, rowKey, actions, label, rowName }: DataListProps<T>) {
  const narrow = useIsNarrow();
  if (narrow) {
    const [first, ...rest] = columns;
    return (
      <Stack gap="sm" role="list" aria-label={label}>
        {rows.map((row) => (
          <Paper key={rowKey(row)} withBorder p="sm" radius="md" role="listitem" data-row={rowName?.(row)}>
            <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
              <Box miw={0} style={{ flex: 1, overflowWrap: 'anywhere' }}>{first.render(row)}</Box>
              {actions && <Group gap={4} wrap="nowrap">{actions(row)}</Group>}
            </Group>
            <Stack gap={4} mt="xs">
              {rest.filter((c) => !c.hideOnMobile).map((c) => (
                <Group key={c.key} gap="xs" wrap="nowrap" align="flex-start">
                  <Text size="xs" c="dimmed" w={96} style={{ flexShrink: 0 }}>{c.header}</Text>
                  <Box miw={0} style={{ flex: 1, overflowWrap: 'anywhere', fontSize: 'var(--mantine-font-size-sm)' }}>{c.render(row)}</Box>
                </Group>
              ))}
            </Stack>
          </Paper>
        ))}
      </Stack>
    );
  }
  return (
    <Table verticalSpacing="xs" highlightOnHover aria-label={label} style={{ tableLayout: 'auto' }}>
      <Table.Thead>
        <Table.Tr>
          {columns.map((c) => <Table.Th key={c.key} w={c.width}>{c.header}</Table.Th>)}
          {actions && <Table.Th w={1}><Box component="span" style={visuallyHidden}>Actions</Box></Table.Th>}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={rowKey(row)} data-row={rowName?.(row)}>
            {columns.map((c) => <Table.Td key={c.key} style={{ overflowWrap: 'anywhere' }}>{c.render(row)}</Table.Td>)}
            {actions && <Table.Td><Group gap={4} wrap="nowrap" justify="flex-end">{actions(row)}</Group></Table.Td>}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export const visuallyHidden: React.CSSProperties = {
  position: 'absolute', width: 1, height: 1, padding: 0, margin: -1, overflow: 'hidden', clip: 'rect(0,0,0,0)', whiteSpace: 'nowrap', border: 0,
};
