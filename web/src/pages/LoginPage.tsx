// Sign in with email and password; the session cookie is set by the server.
import { useState } from 'react';
import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useLocation, useNavigate } from 'react-router-dom';
import { describeError } from '../api/errors';
import { useDocumentTitle } from '../app/documentTitle';
import { useSession } from '../app/session';
import { IconKey } from '../components/icons';

export function LoginPage() {
  const { login, expired } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  useDocumentTitle('Sign in');

  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420} component="main">
        <form noValidate onSubmit={async (e) => {
          e.preventDefault();
          if (!email.trim() || !password) {
            setError(new Error('Enter your email and your password.'));
            return;
          }
          setPending(true);
          setError(null);
          try {
            await login(email.trim(), password);
            setPassword('');
            if (location.pathname === '/login' || location.pathname === '/') navigate('/profile', { replace: true });
          } catch (err) {
            setError(err);
          } finally {
            setPending(false);
          }
        }}>
          <Stack>
            <Stack gap={4} align="center">
              <IconKey size={36} color="var(--mantine-color-blue-6)" />
              <Title order={1} size="h2">Sign in to keysmith</Title>
              <Text size="sm" c="dimmed" ta="center">API keys and access tokens for your account.</Text>
            </Stack>
            {expired && !error && <Alert color="yellow" role="status">Your session has ended. Sign in again.</Alert>}
            {!!error && <Alert color="red" role="alert">{describeError(error)}</Alert>}
            <TextInput label="Email" type="email" autoComplete="username" required value={email}
              onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
            <PasswordInput label="Password" autoComplete="current-password" required value={password}
              onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={pending} fullWidth>Sign in</Button>
            <Text size="xs" c="dimmed" ta="center">
              First start? The admin's password is the <code>KEYSMITH_ADMIN_PASSWORD</code> you set, else it is in the
              data directory's <code>initial-admin-password</code> file; the server's start-up log says which.
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
