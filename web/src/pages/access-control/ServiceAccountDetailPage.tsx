// One service account: its details, its role assignments, and its API keys and tokens.
import { useEffect, useState } from 'react';
import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { apiKeyKeys, tokenKeys } from '../../api/apiKeys';
import { isNotFound } from '../../api/errors';
import { deleteServiceAccount, getServiceAccount, serviceAccountKeys } from '../../api/serviceAccounts';
import { useAccessEach } from '../../app/access';
import * as needs from '../../app/needs';
import { useScope, useScopedPath } from '../../app/scope';
import { ApiKeyPanel } from '../../components/apikeys/ApiKeyPanel';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { IconPencil, IconTrash } from '../../components/icons';
import { PageHeader } from '../../components/PageHeader';
import { PermittedButton } from '../../components/PermittedButton';
import { RoleAssignments } from '../../components/RoleAssignments';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { TagList } from '../../components/TagList';
import { formatDate } from '../../lib/dates';
import { groupsOf } from './addApiKeyServiceAccount';
import { ServiceAccountGroups, useGroupsGivingRoles, useServiceAccountGroups } from './ServiceAccountGroups';
import { ServiceAccountDialog } from './ServiceAccountForm';

const TRAIL = [
  { label: 'Account Settings', to: '/account-settings' },
  { label: 'Access Control', to: '/account-settings/access-control/users' },
  { label: 'Service Accounts', to: '/account-settings/access-control/service-accounts' },
];

export function ServiceAccountDetailPage() {
  const { identifier = '' } = useParams();
  const scope = useScope();
  const scoped = useScopedPath();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sa = useQuery({ queryKey: serviceAccountKeys.one(scope, identifier), queryFn: ({ signal }) => getServiceAccount(scope, identifier, signal) });
  const groups = useServiceAccountGroups();
  const givingRoles = useGroupsGivingRoles();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  // Just created (ServiceAccountsTab says so): the page says it, and what comes next, until closed.
  const location = useLocation();
  const [justCreated, setJustCreated] = useState((location.state as { created?: boolean } | null)?.created === true);
  // Said once: not again on a reload, nor on coming back to this page through the history.
  useEffect(() => {
    if (justCreated) navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
  }, []);
  const [canEdit, canDelete] = useAccessEach([needs.editServiceAccount(scope, identifier), needs.deleteServiceAccount(scope, identifier)]);

  if (sa.isPending) return <><PageHeader title={identifier} documentTitle={`${identifier} · Service Accounts`} trail={TRAIL} /><LoadingState label="Loading the service account…" /></>;
  if (sa.isError) {
    return (
      <>
        <PageHeader title={identifier} documentTitle={`${identifier} · Service Accounts`} trail={TRAIL} />
        {isNotFound(sa.error)
          ? <EmptyState title="No such service account in this scope">It may have been deleted, or it lives in another scope: check the scope switcher.</EmptyState>
          : <ErrorState error={sa.error} what="the service account" onRetry={() => sa.refetch()} />}
      </>
    );
  }
  const account = sa.data.serviceAccount;
  return (
    <>
      <PageHeader title={account.name} documentTitle={`${account.name} · Service Accounts`} trail={TRAIL}
        actions={<>
          <PermittedButton access={canEdit} variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>Edit Service Account</PermittedButton>
          <PermittedButton access={canDelete} variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>Delete Service Account</PermittedButton>
        </>} />
      <Stack gap="xl">
        {justCreated && (
          <Alert color="teal" role="status" withCloseButton closeButtonLabel="Close" onClose={() => setJustCreated(false)}>
            Service account {account.name} created. Give it roles, then add API keys.
          </Alert>
        )}
        <Paper withBorder p="md" radius="md" component="section" aria-label="Service account details">
          <Stack gap={4} style={{ overflowWrap: 'anywhere' }}>
            <Text size="sm"><Text span c="dimmed">Id:</Text> {account.identifier}</Text>
            <Text size="sm"><Text span c="dimmed">Email:</Text> {account.email}</Text>
            {account.description && <Text size="sm">{account.description}</Text>}
            <TagList tags={account.tags} />
            <Text size="xs" c="dimmed">Created {formatDate(sa.data.createdAt)}</Text>
          </Stack>
        </Paper>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sa-roles">
          <Title order={2} size="h3" id="sa-roles" mb="sm">Role Assignments</Title>
          <RoleAssignments principal={{ identifier: account.identifier, type: 'SERVICE_ACCOUNT' }} principalLabel={`service account ${account.name}`}
            throughGroups={givingRoles(groupsOf(groups.data, account.identifier)).map((g) => g.name)} />
        </Paper>
        <Paper withBorder p="md" radius="md" component="section" aria-labelledby="sa-groups">
          <Title order={2} size="h3" id="sa-groups" mb="sm">User Groups</Title>
          <ServiceAccountGroups identifier={account.identifier} label={`Service account ${account.name}`} />
        </Paper>
        <ApiKeyPanel scope={scope} owner={{ apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: account.identifier }}
          title="API Keys" ownerLabel={`service account ${account.name}`} />
      </Stack>
      <ServiceAccountDialog opened={editing} existing={account} onClose={() => setEditing(false)} />
      {deleting && (
        <ConfirmDialog opened title="Delete Service Account" onClose={() => setDeleting(false)} onConfirm={async () => {
          await deleteServiceAccount(account);
          // Marked stale without refetching: this page's own queries, still mounted, would ask for
          // the deleted account again (a 404 in the browser's console); the list refetches as it opens.
          await Promise.all([serviceAccountKeys.all, apiKeyKeys.all, tokenKeys.all]
            .map((queryKey) => queryClient.invalidateQueries({ queryKey, refetchType: 'none' })));
          notifications.show({ color: 'teal', message: `Service account ${account.name} was deleted.` });
          // The focus goes on from the list the account was in (ServiceAccountsTab reads this state).
          navigate(scoped('/account-settings/access-control/service-accounts'), { state: { focusList: true } });
        }}>
          Delete the service account <b>{account.name}</b>
          {sa.data.tokensCount > 0 ? <> and its <b>{sa.data.tokensCount} API {sa.data.tokensCount === 1 ? 'key' : 'keys'}</b> with all their
            tokens? Everything using those tokens stops working at once.</> : '?'} This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}
