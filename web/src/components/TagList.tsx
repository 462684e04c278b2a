// Tags as small badges, written as they are typed: "key:value", or just the key.
import { Badge, Group } from '@mantine/core';
import type { Tags } from '../api/types';
import { tagChip } from '../lib/tags';

export function TagList({ tags }: { tags: Tags | null | undefined }) {
  const entries = Object.entries(tags ?? {});
  if (entries.length === 0) return null;
  return (
    // A list, named: a name on a plain div is not said.
    <Group gap={4} role="list" aria-label="Tags">
      {entries.map(([k, v]) => (
        <Badge key={k} size="sm" variant="light" color="gray" tt="none" style={{ maxWidth: '100%' }} role="listitem">{tagChip(k, v)}</Badge>
      ))}
    </Group>
  );
}
