// A token's state as a badge: Active, Expired, or Rotated (working until the end of its grace period).
import { Badge, Stack, Text, Tooltip } from '@mantine/core';
import type { TokenAggregate } from '../../api/types';
import { formatDateTime, formatRelative } from '../../lib/dates';
import { tokenState } from '../../lib/tokenStatus';
import { DateTimeText } from '../DateText';

export function TokenStatus({ token }: { token: TokenAggregate }) {
  const state = tokenState(token);
  const expiry = token.expiryAt ?? token.token.validTo;
  switch (state) {
    case 'expired':
      return <Badge color="gray" variant="light" tt="none">Expired</Badge>;
    case 'rotated':
      return (
        <Stack gap={2} align="flex-start">
          <Tooltip label="This value was replaced by rotation; it keeps working until its grace period ends.">
            <Badge color="orange" variant="light" tt="none">Rotated</Badge>
          </Tooltip>
          <Text size="xs" c="orange">in grace period until <DateTimeText at={expiry} /></Text>
        </Stack>
      );
    case 'pending':
      return <Badge color="blue" variant="light" tt="none">Not valid yet</Badge>;
    default:
      return <Badge color="teal" variant="light" tt="none">Active</Badge>;
  }
}

/** The expiry date; "Expired <date>" once the badge says Expired. */
export function ExpiryText({ token }: { token: TokenAggregate }) {
  const expiry = token.expiryAt ?? token.token.validTo;
  if (!expiry) return <Text size="sm">Never</Text>;
  const expired = tokenState(token) === 'expired';
  const soon = expiry > Date.now() && expiry - Date.now() < 7 * 24 * 3600_000;
  return (
    <Text size="sm" title={formatDateTime(expiry)}>
      {expired && 'Expired '}<DateTimeText at={expiry} />
      {soon && <Text span size="xs" c="orange"> ({formatRelative(expiry)})</Text>}
    </Text>
  );
}

export function LastUsedText({ at }: { at: number | null | undefined }) {
  if (!at) return <Text size="sm" c="dimmed">Never</Text>;
  return <Text size="sm" title={formatDateTime(at)}>{formatRelative(at)}</Text>;
}

/** "Expires … · Last used …" (or "Expired …") in one line of small text, for compact lists. */
export function TokenTimes({ token }: { token: TokenAggregate }) {
  const expiry = token.expiryAt ?? token.token.validTo;
  const expired = tokenState(token) === 'expired';
  const soon = !!expiry && expiry > Date.now() && expiry - Date.now() < 7 * 24 * 3600_000;
  return (
    <Text size="xs" c="dimmed">
      {expired ? 'Expired' : 'Expires'} <Text span inherit c="var(--mantine-color-text)">{expiry ? <DateTimeText at={expiry} /> : 'never'}</Text>
      {soon && <Text span inherit c="orange"> ({formatRelative(expiry!)})</Text>}
      {' · '}Last used <Text span inherit c="var(--mantine-color-text)">{token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'never'}</Text>
    </Text>
  );
}
