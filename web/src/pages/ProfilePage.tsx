// My Profile: who you are, your password, and My API Keys (personal keys and their tokens).
import { useState } from 'react';
import { Badge, Button, Group, Paper, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { changePassword } from '../api/accessControl';
import { useScope } from '../app/scope';
import { useUser } from '../app/session';
import { ApiKeyPanel } from '../components/apikeys/ApiKeyPanel';
import { Dialog } from '../components/Dialog';
import { FormButtons } from '../components/FormButtons';
import { PageHeader } from '../components/PageHeader';
import { ActionError } from '../components/states';
import { useAction } from '../lib/useAction';

export function ProfilePage() {
  const user = useUser();
  const scope = useScope();
  const [passwordOpen, setPasswordOpen] = useState(false);
  return (
    <>
      <PageHeader title="My Profile"
        description="API keys you create here act as you: their tokens have exactly your permissions, at the moment each request is made." />
      <Stack gap="xl">
        <Paper withBorder p="md" radius="md" component="section" aria-label="Your account">
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
            <Stack gap={2} miw={0} style={{ overflowWrap: 'anywhere' }}>
              <Text fw={700} size="lg">{user.name}</Text>
              <Text size="sm">{user.email}</Text>
              <Group gap="xs" mt={4}>
                <Text size="xs" c="dimmed">Account: {user.accounts[0]?.accountName ?? user.defaultAccountId} ({user.defaultAccountId})</Text>
                {user.admin && <Badge size="sm" variant="light">Account Admin</Badge>}
              </Group>
            </Stack>
            <Button variant="default" onClick={() => setPasswordOpen(true)}>Change password</Button>
          </Group>
        </Paper>
        <ApiKeyPanel scope={scope} owner={{ apiKeyType: 'USER', parentIdentifier: user.uuid }} title="My API Keys" ownerLabel="yourself" />
      </Stack>
      <Dialog opened={passwordOpen} onClose={() => setPasswordOpen(false)} title="Change password" centered>
        {passwordOpen && <ChangePasswordForm onDone={() => setPasswordOpen(false)} />}
      </Dialog>
    </>
  );
}

function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const action = useAction(changePassword);
  const mismatch = next !== repeat ? 'The two new passwords differ' : null;
  return (
    <form noValidate onSubmit={async (e) => {
      e.preventDefault();
      setSubmitted(true);
      if (!current || !next || mismatch) return;
      const r = await action.run(current, next);
      if (r.ok) {
        notifications.show({ color: 'teal', message: 'Password changed. Your other sessions were signed out.' });
        onDone();
      }
    }}>
      <Stack>
        <PasswordInput label="Current password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.currentTarget.value)}
          error={submitted && !current ? 'Enter your current password' : null} data-autofocus />
        <PasswordInput label="New password" autoComplete="new-password" required value={next} onChange={(e) => setNext(e.currentTarget.value)}
          error={submitted && !next ? 'Enter a new password' : null} />
        <PasswordInput label="Repeat the new password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.currentTarget.value)}
          error={submitted ? mismatch : null} />
        <ActionError error={action.error} title="The password was not changed" />
        <FormButtons onCancel={onDone} pending={action.pending} />
      </Stack>
    </form>
  );
}
