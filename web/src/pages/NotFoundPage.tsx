import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useDocumentTitle } from '../app/documentTitle';
import { useScopedPath } from '../app/scope';

export function NotFoundPage() {
  const scoped = useScopedPath();
  useDocumentTitle('Page not found');
  return (
    <Stack>
      <Title order={1} size="h2" tabIndex={-1}>Page not found</Title>
      <Text>There is no page at this address. Go to <Anchor component={Link} to={scoped('/profile')}>My Profile</Anchor> or{' '}
        <Anchor component={Link} to={scoped('/account-settings')}>Account Settings</Anchor>.</Text>
    </Stack>
  );
}
