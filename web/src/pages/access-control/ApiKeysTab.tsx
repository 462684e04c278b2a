// Access Control → API Keys: every API key and token of the scope the caller may see (owner and
// its type, tokens, expiry, last used), and the older document's "Add API Key" flow: a name and
// user groups → a service account in those groups, its API key and a token, shown once. A key of
// that flow is edited with its user groups, and deleting it takes its service account along.
import { useMemo, useState } from 'react';
import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { accessKeys } from '../../api/accessChecks';
import { listUserGroups, listUsers, userGroupKeys, userKeys } from '../../api/accessControl';
import { apiKeyKeys, deleteApiKey, deleteToken, listApiKeys, tokenKeys } from '../../api/apiKeys';
import { describeError, isNotFound } from '../../api/errors';
import { listServiceAccounts, serviceAccountKeys } from '../../api/serviceAccounts';
import type { ApiKey, ApiKeyAggregate, Scope, ServiceAccount, TokenAggregate, UserGroup } from '../../api/types';
import { allOf, deniedBecause, LOADING, useAccess, useAccessByKey, type Access, type Need } from '../../app/access';
import * as needs from '../../app/needs';
import { describeScope, useScope, useScopedPath } from '../../app/scope';
import { useUser } from '../../app/session';
import { ApiKeyDialog } from '../../components/apikeys/ApiKeyDialog';
import { TokenStatus, TokenTimes } from '../../components/apikeys/TokenStatus';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { SearchedList, useListSearch } from '../../components/ListSearch';
import { Dialog } from '../../components/Dialog';
import { IconPencil, IconPlus, IconTrash } from '../../components/icons';
import { PermittedActionIcon, PermittedButton } from '../../components/PermittedButton';
import { EmptyState, ErrorState, LoadingState, PermittedHint } from '../../components/states';
import { TagList } from '../../components/TagList';
import { formatDate, newestFirst } from '../../lib/dates';
import { isRotated, useTokenList } from '../../lib/tokenStatus';
import { AddApiKeyFlow } from './AddApiKeyFlow';
import { deleteIfKeyless, groupsOf, madeForKey, onlyForKey, renameWithKey, setGroupsOf } from './addApiKeyServiceAccount';
import { UserGroupsField } from './ApiKeyUserGroups';
import { serviceAccountPath } from './ServiceAccountsTab';

type DialogState =
  | { kind: 'add' }
  | { kind: 'edit'; key: ApiKey }
  | { kind: 'deleteKey'; key: ApiKeyAggregate; tokens: number; owner: string; alone: { sa: ServiceAccount; groups: string[] } | null }
  | { kind: 'deleteToken'; token: TokenAggregate; keyName: string }
  | null;

/** "1 token", "3 tokens". */
const tokensText = (n: number) => `${n} ${n === 1 ? 'token' : 'tokens'}`;

const ownerOf = (k: { apiKeyType: string; parentIdentifier: string }) => `${k.apiKeyType}/${k.parentIdentifier}`;
const ownerKey = (k: { apiKeyType: string; parentIdentifier: string }, apiKey: string) => `${ownerOf(k)}/${apiKey}`;

export function ApiKeysTab() {
  const scope = useScope();
  const me = useUser();
  const scoped = useScopedPath();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: apiKeyKeys.inventory(scope), queryFn: ({ signal }) => listApiKeys(scope, null, signal) });
  const tokens = useTokenList(scope, null);
  const users = useQuery({ queryKey: userKeys.list(scope.accountIdentifier), queryFn: ({ signal }) => listUsers(scope.accountIdentifier, signal) });
  const sas = useQuery({ queryKey: serviceAccountKeys.list(scope), queryFn: ({ signal }) => listServiceAccounts(scope, signal) });
  const groups = useQuery({ queryKey: userGroupKeys.list(scope), queryFn: ({ signal }) => listUserGroups(scope, signal) });
  const [dialog, setDialog] = useState<DialogState>(null);
  const canAdd = useAccess(needs.addApiKey(scope));
  // What changing and deleting each owner's keys and tokens needs, asked for every owner listed
  // in one request: the person's own need nothing (src/auth/key-access.ts).
  const ownerNeeds = (key: ApiKey): Need[] => key.apiKeyType === 'SERVICE_ACCOUNT' ? [needs.manageServiceAccountKeys(scope, key.parentIdentifier)]
    : key.parentIdentifier === me.uuid ? [] : [needs.deleteUserKeys(scope, key.parentIdentifier)];
  const ownerAccess = useAccessByKey([...new Map((keys.data ?? []).map((k) => [ownerOf(k.apiKey), ownerNeeds(k.apiKey)]))]);
  const accessTo = (key: ApiKey): Access => allOf(ownerAccess.get(ownerOf(key)) ?? [LOADING]);

  const tokensByKey = useMemo(() => {
    const m = new Map<string, TokenAggregate[]>();
    for (const t of tokens.data ?? []) {
      const k = ownerKey(t.token, t.token.apiKeyIdentifier);
      m.set(k, [...(m.get(k) ?? []), t]);
    }
    // Newest first, as a key's panel lists them: a token rotated in its grace period after the one that replaced it.
    for (const list of m.values()) list.sort(newestFirst);
    return m;
  }, [tokens.data]);

  // Names from the user and service account lists; tokens carry their owner's name too, for
  // callers who may not list users.
  const tokenOwnerName = (key: ApiKey) => (tokens.data ?? []).find((t) =>
    t.token.apiKeyType === key.apiKeyType && t.token.parentIdentifier === key.parentIdentifier)?.token.username ?? null;
  const ownerName = (key: ApiKey) => key.apiKeyType === 'USER'
    ? users.data?.find((u) => u.uuid === key.parentIdentifier)?.name ?? (key.parentIdentifier === me.uuid ? me.name : tokenOwnerName(key) ?? key.parentIdentifier)
    : sas.data?.find((s) => s.serviceAccount.identifier === key.parentIdentifier)?.serviceAccount.name ?? tokenOwnerName(key) ?? key.parentIdentifier;
  // Another user's personal key is edited by that user only (src/auth/key-access.ts), whatever the
  // caller's role: its Edit icon is shown disabled, saying so, as the inventory's other refusals are.
  const editAccessTo = (key: ApiKey): Access => key.apiKeyType === 'SERVICE_ACCOUNT' || key.parentIdentifier === me.uuid
    ? accessTo(key) : deniedBecause(`Only its owner, ${ownerName(key)}, can edit a personal API key`);
  // User groups change here, and the person may be in one of them.
  const refresh = () => Promise.all([apiKeyKeys.all, tokenKeys.all, serviceAccountKeys.all, userGroupKeys.all, accessKeys.all]
    .map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  const rows = [...(keys.data ?? [])].sort(newestFirst);
  // A key is found by its own words and tags, its owner's name, or one of its tokens' names or Ids.
  const search = useListSearch(rows, (k) => [k.apiKey.name, k.apiKey.identifier, k.apiKey.description, ownerName(k.apiKey),
    ...Object.entries(k.apiKey.tags ?? {}).flat(),
    ...(tokensByKey.get(ownerKey(k.apiKey, k.apiKey.identifier)) ?? []).flatMap((t) => [t.token.name, t.token.identifier])]);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>
          Every API key and token in {describeScope(scope)} that you may see, personal and service account alike.
          Add API Key creates a service account that takes its rights from the user groups you choose.
          A token's value is shown once, with an eye to reveal it and a Copy button, right after it is
          made or rotated: only a hash of it is kept, so it cannot be revealed here later.
        </Text>
        <PermittedButton access={canAdd} leftSection={<IconPlus />} onClick={() => setDialog({ kind: 'add' })}>Add API Key</PermittedButton>
      </Group>
      {keys.isPending ? <LoadingState label="Loading API keys…" />
        : keys.isError ? <ErrorState error={keys.error} what="the API keys" onRetry={() => keys.refetch()} />
        : rows.length === 0 ? (
          <EmptyState title="No API keys that you can see in this scope">
            <PermittedHint access={canAdd}>
              Select Add API Key, give it a name and choose the user groups whose rights it should have.
            </PermittedHint>
            {' '}Personal keys are made in My Profile.
          </EmptyState>
        ) : (
          <>
            {tokens.isError && <ErrorState error={tokens.error} what="the tokens" onRetry={() => tokens.refetch()} />}
            <SearchedList search={search} label="Search API keys" placeholder="Search by key, owner or token">{(shown) => (
              <DataList label="API keys" rows={shown} rowKey={(k) => ownerKey(k.apiKey, k.apiKey.identifier)} rowName={(k) => k.apiKey.identifier}
                columns={[
                  { key: 'key', header: 'API Key', render: (k) => (
                    <Stack gap={2}>
                      <Text size="sm" fw={600}>{k.apiKey.name}</Text>
                      <Text size="xs" c="dimmed">Id: {k.apiKey.identifier} · created {formatDate(k.createdAt)}</Text>
                      {k.apiKey.description && <Text size="xs" lineClamp={2}>{k.apiKey.description}</Text>}
                      <TagList tags={k.apiKey.tags} />
                    </Stack>
                  ) },
                  { key: 'owner', header: 'Owner', render: (k) => (
                    <Stack gap={2} align="flex-start">
                      {k.apiKey.apiKeyType === 'SERVICE_ACCOUNT'
                        ? <Text size="sm" component={Link} to={scoped(serviceAccountPath(k.apiKey.parentIdentifier))} c="blue">{ownerName(k.apiKey)}</Text>
                        : <Text size="sm">{ownerName(k.apiKey)}</Text>}
                      <Badge size="xs" variant="light" tt="none" color={k.apiKey.apiKeyType === 'USER' ? 'blue' : 'grape'}>
                        {k.apiKey.apiKeyType === 'USER' ? 'User (personal)' : 'Service account'}
                      </Badge>
                    </Stack>
                  ) },
                  // The widest share for the tokens: sized by its content, the key's column took most of the row and
                  // squeezed each token's name and dates to a few words a line.
                  { key: 'tokens', header: 'Tokens', width: '45%', render: (k) => {
                    const list = tokensByKey.get(ownerKey(k.apiKey, k.apiKey.identifier)) ?? [];
                    if (tokens.isPending) return <Text size="sm" c="dimmed">Loading…</Text>;
                    if (list.length === 0) return <Text size="sm" c="dimmed">No tokens</Text>;
                    const access = accessTo(k.apiKey);
                    return (
                      <Stack gap={6}>
                        {/* Each token in a frame of its own with its Delete inside, small and grey: apart from the
                            key's Edit and red Delete at the row's end, which the document's "Delete icon" means. */}
                        {list.map((t) => {
                          const tokenLabel = `token ${t.token.name}${isRotated(t) ? ' (rotated)' : ''}`;
                          return (
                            <Paper key={t.token.identifier} withBorder radius="sm" px={8} py={4} bg="var(--mantine-color-gray-0)" data-token={t.token.identifier}>
                              <Group gap={6} wrap="nowrap" align="flex-start">
                                <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                                  <Group gap={6}><Text size="sm" fw={500}>{t.token.name}</Text><TokenStatus token={t} /></Group>
                                  <TokenTimes token={t} />
                                </Stack>
                                <PermittedActionIcon access={access} tooltip={`Delete ${tokenLabel}`}
                                  variant="subtle" color="gray" size="sm"
                                  aria-label={`Delete ${tokenLabel} of ${k.apiKey.name}`}
                                  onClick={() => setDialog({ kind: 'deleteToken', token: t, keyName: k.apiKey.name })}><IconTrash size={14} /></PermittedActionIcon>
                              </Group>
                            </Paper>
                          );
                        })}
                      </Stack>
                    );
                  } },
                ]}
                actions={(k) => {
                  const count = tokens.isPending ? k.tokensCount : (tokensByKey.get(ownerKey(k.apiKey, k.apiKey.identifier)) ?? []).length;
                  const access = accessTo(k.apiKey);
                  return (
                    <>
                      <PermittedActionIcon access={editAccessTo(k.apiKey)} tooltip="Edit" variant="subtle" aria-label={`Edit API Key ${k.apiKey.name}`}
                        onClick={() => setDialog({ kind: 'edit', key: k.apiKey })}>
                        <IconPencil size={18} />
                      </PermittedActionIcon>
                      <PermittedActionIcon access={access} tooltip="Delete" variant="light" color="red" aria-label={`Delete API Key ${k.apiKey.name}`}
                        onClick={() => {
                          const sa = onlyForKey(sas.data, k.apiKey);
                          setDialog({
                            kind: 'deleteKey', key: k, tokens: count, owner: ownerName(k.apiKey),
                            alone: sa ? { sa, groups: groupsOf(groups.data, sa.identifier).map((g) => g.name) } : null,
                          });
                        }}>
                        <IconTrash size={18} />
                      </PermittedActionIcon>
                    </>
                  );
                }} />
            )}</SearchedList>
          </>
        )}

      <Dialog opened={dialog?.kind === 'add'} onClose={() => setDialog(null)} title="Add API Key" centered size="lg"
        closeOnClickOutside={false}>
        {dialog?.kind === 'add' && <AddApiKeyFlow scope={scope} onClose={() => setDialog(null)} onChanged={refresh} />}
      </Dialog>
      {dialog?.kind === 'edit' && (
        <EditApiKeyDialog scope={scope} apiKey={dialog.key} onClose={() => setDialog(null)} groups={groups.data}
          sa={sas.data?.find((s) => madeForKey(s.serviceAccount, dialog.key))?.serviceAccount ?? null} />
      )}
      {dialog?.kind === 'deleteKey' && (
        <ConfirmDialog opened title="Delete API Key" onClose={() => setDialog(null)} onConfirm={async () => {
          const key = dialog.key.apiKey;
          await deleteApiKey(key);
          let saGone = false;
          if (dialog.alone) {
            try {
              saGone = await deleteIfKeyless(scope, key);
            } catch (e) {
              if (!isNotFound(e)) {
                notifications.show({ color: 'red', autoClose: false, message:
                  `API Key ${key.name} was deleted, but its service account ${dialog.alone.sa.name} was not: ${describeError(e)} Delete it under Service Accounts.` });
              }
            }
          }
          await refresh();
          notifications.show({ color: 'teal', message: saGone
            ? `API Key ${key.name}, its tokens and its service account ${dialog.alone?.sa.name} were deleted.`
            : dialog.tokens > 0 ? `API Key ${key.name} and its tokens were deleted.` : `API Key ${key.name} was deleted.` });
        }}>
          Delete the API Key <b>{dialog.key.apiKey.name}</b> of {dialog.key.apiKey.apiKeyType === 'USER' ? 'user' : 'service account'}{' '}
          <b>{dialog.owner}</b>{dialog.tokens > 0 ? <> and its <b>{tokensText(dialog.tokens)}</b>? Anything using {dialog.tokens === 1 ? 'it' : 'them'} stops
          working at once.</> : '?'}
          {dialog.alone && (
            <>
              {' '}Add API Key made the service account <b>{dialog.alone.sa.name}</b> for this key alone, so it is deleted too
              {dialog.alone.groups.length > 0 && <> and leaves {dialog.alone.groups.length === 1 ? 'the user group' : 'the user groups'} <b>{dialog.alone.groups.join(', ')}</b></>}
              ; a new key may then take the same name.
            </>
          )}
          {' '}This cannot be undone.
        </ConfirmDialog>
      )}
      {dialog?.kind === 'deleteToken' && (
        <ConfirmDialog opened title="Delete Token" onClose={() => setDialog(null)} onConfirm={async () => {
          await deleteToken(dialog.token.token);
          await refresh();
          notifications.show({ color: 'teal', message: `Token ${dialog.token.token.name} was deleted.` });
        }}>
          {/* With its Id, as a key's panel says it: a token and the rotated one it replaced share a name. */}
          Delete the Token <b>{dialog.token.token.name}</b> (Id {dialog.token.token.identifier}) of API Key <b>{dialog.keyName}</b>? Anything
          using it stops working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </Stack>
  );
}

/**
 * "Edit API Key" (the older document's Edit icon): name, description, tags and token lifetime; for a
 * key of Add API Key also its rights, the user groups of its service account, whose name follows
 * the key's.
 */
function EditApiKeyDialog({ scope, apiKey, sa, groups, onClose }: {
  scope: Scope; apiKey: ApiKey; sa: ServiceAccount | null; groups: UserGroup[] | undefined; onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const initial = useMemo(() => groupsOf(groups, apiKey.parentIdentifier).map((g) => g.identifier), [groups, apiKey.parentIdentifier]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const selected = chosen ?? initial;
  const owner = { apiKeyType: apiKey.apiKeyType, parentIdentifier: apiKey.parentIdentifier };
  // Its groups can be changed once they are known (a caller who may not list groups edits the key only).
  const more = sa && groups ? {
    problem: selected.length === 0 ? 'Choose at least one user group' : null,
    render: (submitted: boolean) => (
      <UserGroupsField groups={groups} loading={false} value={selected} onChange={setChosen}
        error={submitted && selected.length === 0 ? 'Choose at least one user group' : null} />
    ),
    save: async (saved: ApiKey) => {
      // In step with the key, as Add API Key made them, unless someone renamed the service account on its own.
      if (sa.name === apiKey.name) await renameWithKey(sa, saved.name);
      await setGroupsOf(scope, sa.identifier, initial, selected);
      await Promise.all([serviceAccountKeys.all, userGroupKeys.all, accessKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
    },
  } : undefined;
  return <ApiKeyDialog opened onClose={onClose} scope={scope} existing={apiKey} submitLabel="Submit" owner={owner} more={more} />;
}
