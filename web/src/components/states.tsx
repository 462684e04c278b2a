// Loading, error and empty states, so every list says what is happening and what to do next.
import type { ReactNode } from 'react';
import { Alert, Button, Center, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { describeError, isDuplicate, type LimitKind } from '../api/errors';
import type { Access } from '../app/access';
import { IconAlert, IconInfo } from './icons';

export function LoadingState({ label }: { label: string }) {
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Group gap="sm">
        <Loader size="sm" />
        <Text c="dimmed">{label}</Text>
      </Group>
    </Center>
  );
}

export function ErrorState({ error, onRetry, what }: { error: unknown; onRetry?: () => void; what?: string }) {
  return (
    <Alert color="red" icon={<IconAlert />} title={what ? `Could not load ${what}` : 'Something went wrong'} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{describeError(error)}</Text>
        {onRetry && <Button size="xs" variant="light" color="red" onClick={onRetry}>Try again</Button>}
      </Stack>
    </Alert>
  );
}

interface ActionErrorProps {
  error: unknown;
  title?: string;
  limit?: LimitKind;
  /** A field of the form says a refusal because it already exists (a taken Id, at the Id field): left out here. */
  duplicateAtField?: boolean;
  /** The words for a refusal because it already exists, in a form with no field to say it at (the server's by default). */
  duplicate?: string;
}

/** An error from a form or a dialog action, shown next to the button that caused it. */
export function ActionError({ error, title, limit, duplicateAtField = false, duplicate }: ActionErrorProps) {
  if (!error || (duplicateAtField && isDuplicate(error))) return null;
  return (
    <Alert color="red" icon={<IconAlert />} title={title ?? 'That did not work'} role="alert">
      <Text size="sm">{duplicate && isDuplicate(error) ? duplicate : describeError(error, limit)}</Text>
    </Alert>
  );
}

export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <Paper withBorder p="lg" radius="md" style={{ borderStyle: 'dashed' }}>
      <Stack gap="xs" align="center" ta="center">
        <IconInfo size={24} color="var(--mantine-color-dimmed)" />
        <Text fw={600}>{title}</Text>
        {children && <Text size="sm" c="dimmed" maw={520}>{children}</Text>}
        {action}
      </Stack>
    </Paper>
  );
}

/**
 * An empty list's hint to select a button, said only to whoever may use it: to the others (for whom
 * the button is disabled) why not, and whom to ask; nothing until the access check answers.
 */
export function PermittedHint({ access, children }: { access: Access; children: ReactNode }) {
  if (access.state === 'permitted') return <>{children}</>;
  if (access.state === 'loading') return null;
  // A refusal in its own words (deniedBecause: a limit of the account, say) is no missing permission: its words say what to do.
  return <>{access.missing.length > 0 ? `${access.reason}. Ask an account admin for a role that grants it.` : access.reason}</>;
}
