// Access Control → API Keys: every API key and token of the scope the caller may see (owner and
// its type, tokens, expiry, last used), and the older document's "Add API Key" flow: a name and
// user groups → a service account in those groups, its API key and a token, shown once.
import { useMemo, useState } from 'react';
import { ActionIcon, Badge, Button, Group, List, Modal, MultiSelect, Stack, Text, ThemeIcon } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { listUserGroups, listUsers, updateUserGroup, userGroupKeys, userKeys } from '../../api/accessControl';
import { apiKeyKeys, createApiKey, createToken, deleteApiKey, deleteToken, listApiKeys, listTokens, tokenKeys } from '../../api/apiKeys';
import { describeError } from '../../api/errors';
import { createServiceAccount, deleteServiceAccount, listServiceAccounts, serviceAccountEmail, serviceAccountKeys } from '../../api/serviceAccounts';
import type { ApiKey, ApiKeyAggregate, Scope, TokenAggregate, UserGroup } from '../../api/types';
import { describeScope, useScope, useScopedPath } from '../../app/scope';
import { useUser } from '../../app/session';
import { ApiKeyDialog } from '../../components/apikeys/ApiKeyDialog';
import { TokenStatus, TokenTimes } from '../../components/apikeys/TokenStatus';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { NameAndIdFields, useNameAndId } from '../../components/fields';
import { FormButtons } from '../../components/FormButtons';
import { IconAlert, IconCheck, IconPencil, IconPlus, IconTrash } from '../../components/icons';
import { ActionError, EmptyState, ErrorState, LoadingState } from '../../components/states';
import { TokenCreated } from '../../components/TokenValue';
import { DEFAULT_TOKEN_LIFETIME_MS, formatDate, formatDateTime } from '../../lib/dates';
import { identifierProblem, nameProblem } from '../../lib/identifier';
import { serviceAccountPath } from './ServiceAccountsTab';

type Dialog =
  | { kind: 'add' }
  | { kind: 'edit'; key: ApiKey }
  | { kind: 'deleteKey'; key: ApiKeyAggregate; tokens: number; owner: string }
  | { kind: 'deleteToken'; token: TokenAggregate }
  | null;

const ownerKey = (k: { apiKeyType: string; parentIdentifier: string }, apiKey: string) => `${k.apiKeyType}/${k.parentIdentifier}/${apiKey}`;

export function ApiKeysTab() {
  const scope = useScope();
  const me = useUser();
  const scoped = useScopedPath();
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: apiKeyKeys.inventory(scope), queryFn: ({ signal }) => listApiKeys(scope, null, signal) });
  const tokens = useQuery({ queryKey: tokenKeys.inventory(scope), queryFn: ({ signal }) => listTokens(scope, null, signal) });
  const users = useQuery({ queryKey: userKeys.list(scope.accountIdentifier), queryFn: ({ signal }) => listUsers(scope.accountIdentifier, signal) });
  const sas = useQuery({ queryKey: serviceAccountKeys.list(scope), queryFn: ({ signal }) => listServiceAccounts(scope, signal) });
  const [dialog, setDialog] = useState<Dialog>(null);

  const tokensByKey = useMemo(() => {
    const m = new Map<string, TokenAggregate[]>();
    for (const t of tokens.data ?? []) {
      const k = ownerKey(t.token, t.token.apiKeyIdentifier);
      m.set(k, [...(m.get(k) ?? []), t]);
    }
    return m;
  }, [tokens.data]);

  // Names from the user and service account lists; tokens carry their owner's name too, for
  // callers who may not list users.
  const tokenOwnerName = (key: ApiKey) => (tokens.data ?? []).find((t) =>
    t.token.apiKeyType === key.apiKeyType && t.token.parentIdentifier === key.parentIdentifier)?.token.username ?? null;
  const ownerName = (key: ApiKey) => key.apiKeyType === 'USER'
    ? users.data?.find((u) => u.uuid === key.parentIdentifier)?.name ?? (key.parentIdentifier === me.uuid ? me.name : tokenOwnerName(key) ?? key.parentIdentifier)
    : sas.data?.find((s) => s.serviceAccount.identifier === key.parentIdentifier)?.serviceAccount.name ?? tokenOwnerName(key) ?? key.parentIdentifier;
  const canEdit = (key: ApiKey) => key.apiKeyType === 'SERVICE_ACCOUNT' || key.parentIdentifier === me.uuid;
  const refresh = () => Promise.all([apiKeyKeys.all, tokenKeys.all, serviceAccountKeys.all, userGroupKeys.all]
    .map((queryKey) => queryClient.invalidateQueries({ queryKey })));
  const rows = [...(keys.data ?? [])].sort((a, b) => b.createdAt - a.createdAt);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>
          Every API key and token in {describeScope(scope)} that you may see, personal and service account alike.
          Add API Key creates a service account that takes its rights from the user groups you choose.
        </Text>
        <Button leftSection={<IconPlus />} onClick={() => setDialog({ kind: 'add' })}>Add API Key</Button>
      </Group>
      {keys.isPending ? <LoadingState label="Loading API keys…" />
        : keys.isError ? <ErrorState error={keys.error} what="the API keys" onRetry={() => keys.refetch()} />
        : rows.length === 0 ? (
          <EmptyState title="No API keys in this scope" action={<Button variant="light" onClick={() => setDialog({ kind: 'add' })}>Add API Key</Button>}>
            Select Add API Key, give it a name and choose the user groups whose rights it should have. Personal keys are made in My Profile.
          </EmptyState>
        ) : (
          <>
            {tokens.isError && <ErrorState error={tokens.error} what="the tokens" onRetry={() => tokens.refetch()} />}
            <DataList label="API keys" rows={rows} rowKey={(k) => ownerKey(k.apiKey, k.apiKey.identifier)} rowName={(k) => k.apiKey.identifier}
              columns={[
                { key: 'key', header: 'API Key', render: (k) => (
                  <Stack gap={2}>
                    <Text size="sm" fw={600}>{k.apiKey.name}</Text>
                    <Text size="xs" c="dimmed">Id: {k.apiKey.identifier} · created {formatDate(k.createdAt)}</Text>
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
                { key: 'tokens', header: 'Tokens', render: (k) => {
                  const list = tokensByKey.get(ownerKey(k.apiKey, k.apiKey.identifier)) ?? [];
                  if (tokens.isPending) return <Text size="sm" c="dimmed">Loading…</Text>;
                  if (list.length === 0) return <Text size="sm" c="dimmed">No tokens</Text>;
                  return (
                    <Stack gap={6}>
                      {list.map((t) => (
                        <Group key={t.token.identifier} gap={6} wrap="nowrap" align="flex-start" data-token={t.token.identifier}>
                          <Stack gap={0} style={{ flex: 1, minWidth: 0 }}>
                            <Group gap={6}><Text size="sm" fw={500}>{t.token.name}</Text><TokenStatus token={t} /></Group>
                            <TokenTimes token={t} />
                          </Stack>
                          <ActionIcon variant="subtle" color="red" aria-label={`Delete token ${t.token.name} of ${k.apiKey.name}`} title="Delete token"
                            onClick={() => setDialog({ kind: 'deleteToken', token: t })}><IconTrash size={16} /></ActionIcon>
                        </Group>
                      ))}
                    </Stack>
                  );
                } },
              ]}
              actions={(k) => {
                const count = tokens.isPending ? k.tokensCount : (tokensByKey.get(ownerKey(k.apiKey, k.apiKey.identifier)) ?? []).length;
                return (
                  <>
                    {canEdit(k.apiKey) && (
                      <ActionIcon variant="subtle" aria-label={`Edit API Key ${k.apiKey.name}`} title="Edit" onClick={() => setDialog({ kind: 'edit', key: k.apiKey })}>
                        <IconPencil size={18} />
                      </ActionIcon>
                    )}
                    <ActionIcon variant="subtle" color="red" aria-label={`Delete API Key ${k.apiKey.name}`} title="Delete"
                      onClick={() => setDialog({ kind: 'deleteKey', key: k, tokens: count, owner: ownerName(k.apiKey) })}>
                      <IconTrash size={18} />
                    </ActionIcon>
                  </>
                );
              }} />
          </>
        )}

      <Modal opened={dialog?.kind === 'add'} onClose={() => setDialog(null)} title="Add API Key" centered size="lg"
        closeOnClickOutside={false}>
        {dialog?.kind === 'add' && <AddApiKeyFlow scope={scope} onClose={() => setDialog(null)} onChanged={refresh} />}
      </Modal>
      {dialog?.kind === 'edit' && (
        <ApiKeyDialog opened onClose={() => setDialog(null)} scope={scope} existing={dialog.key} submitLabel="Submit"
          owner={{ apiKeyType: dialog.key.apiKeyType, parentIdentifier: dialog.key.parentIdentifier }} />
      )}
      {dialog?.kind === 'deleteKey' && (
        <ConfirmDialog opened title="Delete API Key" onClose={() => setDialog(null)} onConfirm={async () => {
          await deleteApiKey(dialog.key.apiKey);
          await refresh();
          notifications.show({ color: 'teal', message: `API Key ${dialog.key.apiKey.name} and its tokens were deleted.` });
        }}>
          Delete the API Key <b>{dialog.key.apiKey.name}</b> of {dialog.key.apiKey.apiKeyType === 'USER' ? 'user' : 'service account'}{' '}
          <b>{dialog.owner}</b> and its <b>{dialog.tokens} {dialog.tokens === 1 ? 'token' : 'tokens'}</b>? Anything using them stops working at once.
        </ConfirmDialog>
      )}
      {dialog?.kind === 'deleteToken' && (
        <ConfirmDialog opened title="Delete Token" onClose={() => setDialog(null)} onConfirm={async () => {
          await deleteToken(dialog.token.token);
          await refresh();
          notifications.show({ color: 'teal', message: `Token ${dialog.token.token.name} was deleted.` });
        }}>
          Delete the Token <b>{dialog.token.token.name}</b> of API Key <b>{dialog.token.token.apiKeyIdentifier}</b>? Anything using it stops working at once.
        </ConfirmDialog>
      )}
    </Stack>
  );
}

type StepState = 'waiting' | 'running' | 'done' | 'failed' | 'undone';
interface Step { label: string; state: StepState }

/**
 * The older document's flow in four steps. A failure part-way undoes what was done (the group
 * memberships are restored and the service account, with any key and token, is deleted).
 */
function AddApiKeyFlow({ scope, onClose, onChanged }: { scope: Scope; onClose: () => void; onChanged: () => Promise<unknown> }) {
  const groups = useQuery({ queryKey: userGroupKeys.list(scope), queryFn: ({ signal }) => listUserGroups(scope, signal) });
  const ids = useNameAndId();
  const [selected, setSelected] = useState<string[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [steps, setSteps] = useState<Step[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [value, setValue] = useState<string | null>(null);
  const [summary, setSummary] = useState<{ sa: string; key: string; expires: number } | null>(null);

  const nameError = nameProblem(ids.name);
  const idError = identifierProblem(ids.id);
  const groupsError = selected.length === 0 ? 'Choose at least one user group' : null;

  async function run() {
    const chosen: UserGroup[] = (groups.data ?? []).filter((g) => selected.includes(g.identifier));
    const name = ids.name.trim();
    const plan: Step[] = [
      { label: `Create service account ${name}`, state: 'waiting' },
      { label: `Add it to ${chosen.map((g) => g.name).join(', ')}`, state: 'waiting' },
      { label: `Create API Key ${name}`, state: 'waiting' },
      { label: 'Generate its token', state: 'waiting' },
    ];
    const mark = (i: number, state: StepState) => { plan[i] = { ...plan[i], state }; setSteps([...plan]); };
    setSteps([...plan]);
    setFailure(null);
    setRunning(true);

    let saCreated = false;
    const changedGroups: UserGroup[] = [];
    let step = 0;
    try {
      mark(0, 'running');
      const sa = await createServiceAccount(scope, { identifier: ids.id, name, email: serviceAccountEmail(ids.id), description: 'Created by Add API Key', tags: {} });
      saCreated = true;
      mark(0, 'done');

      step = 1;
      mark(1, 'running');
      for (const g of chosen) {
        await updateUserGroup(scope, {
          identifier: g.identifier, name: g.name, description: g.description ?? '', tags: g.tags ?? {},
          users: g.users, serviceAccounts: [...g.serviceAccounts.filter((s) => s !== sa.identifier), sa.identifier],
        });
        changedGroups.push(g);
      }
      mark(1, 'done');

      step = 2;
      mark(2, 'running');
      const key = await createApiKey(scope, { apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa.identifier }, {
        identifier: ids.id, name, description: '', tags: {}, defaultTimeToExpireToken: DEFAULT_TOKEN_LIFETIME_MS,
      });
      mark(2, 'done');

      step = 3;
      mark(3, 'running');
      const token = await createToken(key, { identifier: ids.id, name, description: '', tags: {} });
      mark(3, 'done');
      setSummary({ sa: sa.identifier, key: key.name, expires: Date.now() + (key.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS) });
      setValue(token);
    } catch (error) {
      mark(step, 'failed');
      const undoProblems: string[] = [];
      // Undo in reverse: restore each group's members, then delete the service account (which takes its key and token with it).
      for (const g of changedGroups.reverse()) {
        try {
          await updateUserGroup(scope, { identifier: g.identifier, name: g.name, description: g.description ?? '', tags: g.tags ?? {}, users: g.users, serviceAccounts: g.serviceAccounts });
        } catch (e) {
          undoProblems.push(`restoring the members of ${g.name} failed (${describeError(e)})`);
        }
      }
      if (saCreated) {
        try {
          await deleteServiceAccount({ ...scope, identifier: ids.id });
        } catch (e) {
          undoProblems.push(`deleting service account ${ids.id} failed (${describeError(e)})`);
        }
      }
      for (let i = 0; i < step; i++) if (plan[i].state === 'done') mark(i, undoProblems.length ? 'done' : 'undone');
      setFailure(`"${plan[step].label}" failed: ${describeError(error)} ` + (undoProblems.length
        ? `Cleaning up did not fully work: ${undoProblems.join('; ')}. Remove what is left by hand.`
        : step > 0 ? 'Everything done before it was undone, so nothing was left behind.' : 'Nothing was created.'));
    } finally {
      setRunning(false);
      await onChanged().catch(() => undefined);
    }
  }

  if (value !== null && summary) {
    return (
      <TokenCreated value={value} onDone={() => { setValue(null); onClose(); }}>
        API Key <b>{summary.key}</b> was created for the new service account <b>{summary.sa}</b>, a member of{' '}
        {selected.length === 1 ? 'the group' : 'the groups'} {(groups.data ?? []).filter((g) => selected.includes(g.identifier)).map((g) => g.name).join(', ')}.
        Its token expires on {formatDate(summary.expires)} ({formatDateTime(summary.expires)}).
      </TokenCreated>
    );
  }

  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || groupsError || running) return;
      void run();
    }}>
      <Stack>
        <NameAndIdFields state={ids} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus />
        <MultiSelect label="User Groups" required data={(groups.data ?? []).map((g) => ({ value: g.identifier, label: g.name }))}
          value={selected} onChange={setSelected} searchable error={submitted ? groupsError : null}
          placeholder={groups.isPending ? 'Loading…' : 'Choose user groups'} comboboxProps={{ withinPortal: true }}
          description="The API key has exactly the rights of these groups."
          nothingFoundMessage="No user group in this scope: create one under User Groups first." />
        {groups.isError && <ActionError error={groups.error} title="The user groups could not be loaded" />}
        {steps && (
          <List spacing={4} size="sm" center aria-label="Progress">
            {steps.map((s) => (
              <List.Item key={s.label} icon={
                <ThemeIcon size={18} radius="xl" variant="light" color={s.state === 'done' ? 'teal' : s.state === 'failed' ? 'red' : s.state === 'undone' ? 'orange' : 'gray'}>
                  {s.state === 'failed' ? <IconAlert size={12} /> : <IconCheck size={12} />}
                </ThemeIcon>
              }>
                {s.label} — {s.state === 'waiting' ? 'not started' : s.state === 'running' ? 'working…' : s.state === 'done' ? 'done' : s.state === 'failed' ? 'failed' : 'undone'}
              </List.Item>
            ))}
          </List>
        )}
        {failure && <ActionError error={new Error(failure)} title="The API Key was not added" />}
        <FormButtons onCancel={onClose} pending={running} submitLabel="Submit" lockCancel />
      </Stack>
    </form>
  );
}
