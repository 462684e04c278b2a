// Service accounts of the scope: list, create, edit, delete; select one to manage its API keys.
import { useEffect, useRef, useState } from 'react';
import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { apiKeyKeys, tokenKeys } from '../../api/apiKeys';
import { deleteServiceAccount, listServiceAccounts, serviceAccountKeys } from '../../api/serviceAccounts';
import type { ServiceAccount, ServiceAccountAggregate } from '../../api/types';
import { LOADING, useAccess, useAccessByKey } from '../../app/access';
import * as needs from '../../app/needs';
import { describeScope, useScope, useScopedPath } from '../../app/scope';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { IconPlus } from '../../components/icons';
import { deleteOption, editOption, MoreOptions, permittedOption } from '../../components/MoreOptions';
import { PermittedButton } from '../../components/PermittedButton';
import { SearchedList, useListSearch } from '../../components/ListSearch';
import { EmptyState, ErrorState, LoadingState, PermittedHint } from '../../components/states';
import { TagList } from '../../components/TagList';
import { groupsOf } from './addApiKeyServiceAccount';
import { useGroupsGivingRoles, useServiceAccountGroups } from './ServiceAccountGroups';
import { ServiceAccountDialog } from './ServiceAccountForm';
import { DateText } from '../../components/DateText';

export function serviceAccountPath(identifier: string) {
  return `/account-settings/access-control/service-accounts/${encodeURIComponent(identifier)}`;
}

const searchFields = ({ serviceAccount: s }: ServiceAccountAggregate) => [s.name, s.identifier, s.email, s.description, ...Object.entries(s.tags ?? {}).flat()];

export function ServiceAccountsTab() {
  const scope = useScope();
  const scoped = useScopedPath();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sas = useQuery({ queryKey: serviceAccountKeys.list(scope), queryFn: ({ signal }) => listServiceAccounts(scope, signal) });
  const groups = useServiceAccountGroups();
  const givingRoles = useGroupsGivingRoles();
  const search = useListSearch(sas.data, searchFields);
  const [editing, setEditing] = useState<ServiceAccount | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ServiceAccountAggregate | null>(null);
  const canCreate = useAccess([needs.createServiceAccount(scope)]);
  // Edit and Delete of every row, in one request, by the service account's Id.
  const rowAccess = useAccessByKey((sas.data ?? []).map(({ serviceAccount: { identifier } }) =>
    [identifier, [needs.editServiceAccount(scope, identifier), needs.deleteServiceAccount(scope, identifier)]] as const));

  // Arrived here after deleting a service account on its own page: the keyboard goes on from the list.
  const location = useLocation();
  const list = useRef<HTMLDivElement>(null);
  const focusList = (location.state as { focusList?: boolean } | null)?.focusList === true;
  useEffect(() => { if (focusList) list.current?.focus({ preventScroll: true }); }, [focusList]);

  return (
    <Stack ref={list} tabIndex={-1} role="region" aria-label="Service accounts" style={{ outline: 'none' }}>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>
          Service accounts in {describeScope(scope)}. Their API keys and tokens have exactly the service account's permissions.
        </Text>
        <PermittedButton access={canCreate} leftSection={<IconPlus />} onClick={() => setEditing('new')}>New Service Account</PermittedButton>
      </Group>
      {sas.isPending ? <LoadingState label="Loading service accounts…" />
        : sas.isError ? <ErrorState error={sas.error} what="the service accounts" onRetry={() => sas.refetch()} />
        : sas.data.length === 0 ? (
          <EmptyState title="No service accounts that you can see in this scope">
            <PermittedHint access={canCreate}>
              Select New Service Account to create one, give it roles, then select it to add API keys and tokens.
            </PermittedHint>
          </EmptyState>
        ) : (
          <SearchedList search={search} label="Search service accounts" placeholder="Search by name, Id, email or tag">{(shown) => (
            <DataList label="Service accounts" rows={shown} rowKey={(s) => s.serviceAccount.identifier} rowName={(s) => s.serviceAccount.identifier}
              columns={[
                { key: 'name', header: 'Service account', render: (s) => (
                  <Stack gap={2}>
                    <Anchor component={Link} to={scoped(serviceAccountPath(s.serviceAccount.identifier))} fw={600} size="sm">{s.serviceAccount.name}</Anchor>
                    <Text size="xs" c="dimmed">Id: {s.serviceAccount.identifier}</Text>
                    {s.serviceAccount.description && <Text size="xs" lineClamp={2}>{s.serviceAccount.description}</Text>}
                    <TagList tags={s.serviceAccount.tags} />
                  </Stack>
                ) },
                { key: 'email', header: 'Email', render: (s) => <Text size="sm">{s.serviceAccount.email}</Text> },
                { key: 'roles', header: 'Roles', render: (s) => {
                  const own = s.roleAssignmentsMetadataDTO ?? [];
                  // Only groups that give it a role: a group without one gives it nothing (its page says so).
                  const through = givingRoles(groupsOf(groups.data, s.serviceAccount.identifier)).map((g) => g.name);
                  if (own.length === 0 && through.length === 0) return <Text size="sm" c="dimmed">None</Text>;
                  return (
                    <Stack gap={4}>
                      {own.length > 0 && <Group gap={4}>{own.map((r) => <Badge key={r.identifier} variant="light" tt="none">{r.roleName}</Badge>)}</Group>}
                      {through.length > 0 && <Text size="sm">{own.length > 0 ? 'Also through' : 'Through'} {through.length === 1 ? 'group' : 'groups'}: {through.join(', ')}</Text>}
                    </Stack>
                  );
                } },
                { key: 'keys', header: 'API Keys', render: (s) => <Text size="sm">{s.tokensCount}</Text> },
                { key: 'created', header: 'Created', render: (s) => <Text size="sm"><DateText at={s.createdAt} /></Text>, hideOnMobile: true },
              ]}
              actions={(s) => {
                const [canEdit = LOADING, canDelete = LOADING] = rowAccess.get(s.serviceAccount.identifier) ?? [];
                return (
                  <MoreOptions of={`service account ${s.serviceAccount.name}`} options={[
                    { label: 'Manage API Keys', icon: <IconPlus size={16} />, onClick: () => navigate(scoped(serviceAccountPath(s.serviceAccount.identifier))) },
                    permittedOption(editOption(() => setEditing(s.serviceAccount)), canEdit),
                    permittedOption(deleteOption(() => setDeleting(s)), canDelete),
                  ]} />
                );
              }} />
          )}</SearchedList>
        )}
      <ServiceAccountDialog opened={editing !== null} existing={editing === 'new' ? null : editing} onClose={() => setEditing(null)}
        onCreated={(sa) => navigate(scoped(serviceAccountPath(sa.identifier)), { state: { created: true } })} />
      {deleting && (
        <ConfirmDialog opened title="Delete Service Account" onClose={() => setDeleting(null)} onConfirm={async () => {
          await deleteServiceAccount(deleting.serviceAccount);
          await Promise.all([serviceAccountKeys.all, apiKeyKeys.all, tokenKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
          notifications.show({ color: 'teal', message: `Service account ${deleting.serviceAccount.name} was deleted.` });
        }}>
          Delete the service account <b>{deleting.serviceAccount.name}</b> (Id {deleting.serviceAccount.identifier})
          {deleting.tokensCount > 0 ? <> and its <b>{deleting.tokensCount} API {deleting.tokensCount === 1 ? 'key' : 'keys'}</b> with all their
            tokens? Everything using those tokens stops working at once.</> : '?'} This cannot be undone.
        </ConfirmDialog>
      )}
    </Stack>
  );
}
