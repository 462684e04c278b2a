// The API keys of one owner (you, or a service account) with their tokens: "+ API Key", "+ Token",
// and More Options → Edit / Rotate Token / Delete, as the documents describe. A service account's
// are offered to whoever may manage them; your own are always yours to manage.
import { useMemo, useState } from 'react';
import { ActionIcon, Badge, Collapse, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { apiKeyKeys, deleteApiKey, deleteToken, listApiKeys, refreshApiKeys, type Owner } from '../../api/apiKeys';
import type { ApiKey, ApiKeyAggregate, Scope, TokenAggregate } from '../../api/types';
import { unlessAtLimit, useAccess, type Access } from '../../app/access';
import * as needs from '../../app/needs';
import { formatDate, formatDuration, newestFirst, DEFAULT_TOKEN_LIFETIME_MS } from '../../lib/dates';
import { isRotated, tokenState, useTokenList } from '../../lib/tokenStatus';
import { ConfirmDialog } from '../ConfirmDialog';
import { DataList, type Column } from '../DataList';
import { IconChevronDown, IconChevronRight, IconPencil, IconPlus, IconRefresh } from '../icons';
import { deleteOption, editOption, MoreOptions, permittedOption } from '../MoreOptions';
import { PermittedButton } from '../PermittedButton';
import { EmptyState, ErrorState, LoadingState, PermittedHint } from '../states';
import { TagList } from '../TagList';
import { ApiKeyDialog } from './ApiKeyDialog';
import { RotateTokenDialog } from './RotateTokenDialog';
import { TokenDialog } from './TokenDialog';
import { useLimits } from './useLimits';
import { ExpiryText, LastUsedText, TokenStatus } from './TokenStatus';
import { DateTimeText } from '../DateText';

const plural = (n: number, thing: string) => `${n} ${thing}${n === 1 ? '' : 's'}`;

type DialogState =
  | { kind: 'newKey' }
  | { kind: 'editKey'; key: ApiKey }
  | { kind: 'deleteKey'; key: ApiKeyAggregate; tokens: number; rotated: number }
  | { kind: 'newToken'; key: ApiKey }
  | { kind: 'editToken'; key: ApiKey; token: TokenAggregate }
  | { kind: 'rotate'; token: TokenAggregate }
  | { kind: 'deleteToken'; token: TokenAggregate }
  | null;

interface ApiKeyPanelProps {
  scope: Scope;
  owner: Owner;
  title: string;
  /** Who owns these keys, in words: "you", "service account deploy-bot". */
  ownerLabel: string;
}

export function ApiKeyPanel({ scope, owner, title, ownerLabel }: ApiKeyPanelProps) {
  const queryClient = useQueryClient();
  const keys = useQuery({ queryKey: apiKeyKeys.owner(scope, owner), queryFn: ({ signal }) => listApiKeys(scope, owner, signal) });
  const tokens = useTokenList(scope, owner);
  const [dialog, setDialog] = useState<DialogState>(null);
  const close = () => setDialog(null);
  const canManage = useAccess(owner.apiKeyType === 'SERVICE_ACCOUNT' ? [needs.manageServiceAccountKeys(scope, owner.parentIdentifier)] : []);
  // The account's limits, so that + API Key and + Token say so ahead instead of failing after the form.
  const limits = useLimits(scope.accountIdentifier);
  const canAddKey = unlessAtLimit(canManage, limits && keys.data && keys.data.length >= limits.maxApiKeysPerOwner
    ? `${owner.apiKeyType === 'USER' ? 'You already have' : 'This service account already has'} ${plural(keys.data.length, 'API key')} here, the most this account allows. Delete one to add another.`
    : null);

  const tokensByKey = useMemo(() => {
    const map = new Map<string, TokenAggregate[]>();
    for (const t of tokens.data ?? []) {
      const list = map.get(t.token.apiKeyIdentifier) ?? [];
      list.push(t);
      map.set(t.token.apiKeyIdentifier, list);
    }
    for (const list of map.values()) list.sort(newestFirst);
    return map;
  }, [tokens.data]);

  const refresh = () => refreshApiKeys(queryClient);

  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Title order={2} size="h3">{title}</Title>
        <PermittedButton access={canAddKey} leftSection={<IconPlus />} onClick={() => setDialog({ kind: 'newKey' })}>API Key</PermittedButton>
      </Group>

      {keys.isPending ? <LoadingState label="Loading API keys…" />
        : keys.isError ? <ErrorState error={keys.error} what="the API keys" onRetry={() => keys.refetch()} />
        : keys.data.length === 0 ? (
          <EmptyState title="No API keys yet">
            <PermittedHint access={canAddKey}>
              Select + API Key above to create one for {ownerLabel}, then select + Token under it to generate a token to use in API requests.
            </PermittedHint>
            {/* Personal keys may be made at any scope, and each scope lists its own. */}
            {owner.apiKeyType === 'USER' && ' Each scope has its own API keys: choose another organization or project under Scope to see the keys made there.'}
          </EmptyState>
        ) : (
          <Stack gap="md">
            {tokens.isError && <ErrorState error={tokens.error} what="the tokens" onRetry={() => tokens.refetch()} />}
            {[...keys.data].sort(newestFirst).map((agg) => (
              <ApiKeyCard key={agg.apiKey.identifier} agg={agg} tokens={tokensByKey.get(agg.apiKey.identifier) ?? []}
                tokensLoading={tokens.isPending} setDialog={setDialog} access={canManage} maxTokens={limits?.maxTokensPerApiKey ?? null} />
            ))}
          </Stack>
        )}

      <ApiKeyDialog opened={dialog?.kind === 'newKey' || dialog?.kind === 'editKey'} onClose={close} scope={scope} owner={owner}
        existing={dialog?.kind === 'editKey' ? dialog.key : null} />
      {(dialog?.kind === 'newToken' || dialog?.kind === 'editToken') && (
        <TokenDialog opened onClose={close} apiKey={dialog.key} existing={dialog.kind === 'editToken' ? dialog.token : null} />
      )}
      {dialog?.kind === 'rotate' && <RotateTokenDialog opened onClose={close} token={dialog.token} />}
      {dialog?.kind === 'deleteKey' && (
        <ConfirmDialog opened title="Delete API Key" onClose={close} onConfirm={async () => {
          await deleteApiKey(dialog.key.apiKey);
          await refresh();
          notifications.show({ color: 'teal', message: dialog.tokens > 0
            ? `API Key ${dialog.key.apiKey.name} and its tokens were deleted.` : `API Key ${dialog.key.apiKey.name} was deleted.` });
        }}>
          Delete the API Key <b>{dialog.key.apiKey.name}</b>
          {dialog.tokens > 0 ? <> and its <b>{plural(dialog.tokens, 'token')}</b>{rotatedNote(dialog.tokens, dialog.rotated)}? Anything using{' '}
            {dialog.tokens === 1 ? 'that token' : 'those tokens'} stops working at once.</> : '?'} This cannot be undone.
        </ConfirmDialog>
      )}
      {dialog?.kind === 'deleteToken' && (
        <ConfirmDialog opened title="Delete Token" onClose={close} onConfirm={async () => {
          await deleteToken(dialog.token.token);
          await refresh();
          notifications.show({ color: 'teal', message: `Token ${dialog.token.token.name} was deleted.` });
        }}>
          Delete the Token <b>{dialog.token.token.name}</b> (Id {dialog.token.token.identifier})? Anything using it stops working at once.
          This cannot be undone.
        </ConfirmDialog>
      )}
    </Stack>
  );
}

/** Which of a key's tokens are rotated ones in their grace period, as the card counts them apart. */
function rotatedNote(tokens: number, rotated: number): string {
  if (rotated === 0) return '';
  if (rotated === tokens) return tokens === 1 ? ' (rotated, in its grace period)' : ' (all rotated, in their grace period)';
  return ` (${rotated} of them rotated, in ${rotated === 1 ? 'its' : 'their'} grace period)`;
}

function ApiKeyCard({ agg, tokens, tokensLoading, setDialog, access, maxTokens }: {
  agg: ApiKeyAggregate; tokens: TokenAggregate[]; tokensLoading: boolean; setDialog: (d: DialogState) => void;
  /** To change the key and its tokens (deleting included). */
  access: Access;
  /** The account's tokens per API key, when known. */
  maxTokens: number | null;
}) {
  const [open, setOpen] = useState(true);
  const key = agg.apiKey;
  const panelId = `tokens-of-${key.identifier}`;
  const count = tokensLoading ? agg.tokensCount : tokens.length;
  // Rotated tokens in their grace period do not count against the limit (SPEC §4).
  const rotatedCount = tokensLoading ? 0 : tokens.filter(isRotated).length;
  const counted = count - rotatedCount;
  const canAddToken = unlessAtLimit(access, !tokensLoading && maxTokens !== null && counted >= maxTokens
    ? `This API key already has ${plural(counted, 'token')}, the most this account allows (rotated tokens in their grace period do not count). Delete one to add another.`
    : null);
  const lifetime = key.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS;

  const columns: Column<TokenAggregate>[] = [
    {
      key: 'name', header: 'Token', render: (t) => (
        <Stack gap={2} miw={0} style={{ overflowWrap: 'anywhere' }}>
          <Text fw={600} size="sm">{t.token.name}</Text>
          <Text size="xs" c="dimmed">Id: {t.token.identifier}</Text>
          {t.token.description && <Text size="xs">{t.token.description}</Text>}
          <TagList tags={t.token.tags} />
        </Stack>
      ),
    },
    { key: 'status', header: 'Status', render: (t) => <TokenStatus token={t} /> },
    { key: 'created', header: 'Created', render: (t) => <Text size="sm"><DateTimeText at={t.createdAt} /></Text>, hideOnMobile: true },
    { key: 'expires', header: 'Expires', render: (t) => <ExpiryText token={t} /> },
    { key: 'lastUsed', header: 'Last used', render: (t) => <LastUsedText at={t.lastUsedAt} /> },
  ];

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={`API Key ${key.name}`} data-apikey={key.identifier}>
      {/* On a phone the buttons go under the name, which otherwise had a third of the card's width. */}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="nowrap" align="flex-start" miw={0} style={{ flex: '1 1 15rem' }}>
          <ActionIcon variant="subtle" color="gray" onClick={() => setOpen((o) => !o)} aria-expanded={open} aria-controls={panelId}
            aria-label={`${open ? 'Collapse' : 'Expand'} ${key.name}`} mt={2}>
            {open ? <IconChevronDown /> : <IconChevronRight />}
          </ActionIcon>
          <Stack gap={2} miw={0} style={{ overflowWrap: 'anywhere' }}>
            {/* Selecting the key shows its tokens (the documents' "select the API key"); it never hides them.
                A heading under the panel's, so that a screen reader goes from key to key. */}
            <Text component="h3" m={0} fw={700} onClick={() => setOpen(true)} style={{ cursor: open ? undefined : 'pointer' }}>{key.name}</Text>
            <Text size="xs" c="dimmed">Id: {key.identifier}</Text>
          </Stack>
        </Group>
        <Group gap="xs" wrap="nowrap" ml="auto">
          <PermittedButton access={canAddToken} size="xs" variant="light" leftSection={<IconPlus size={14} />}
            onClick={() => setDialog({ kind: 'newToken', key })}>Token</PermittedButton>
          <MoreOptions of={`API Key ${key.name}`} options={[
            editOption(() => setDialog({ kind: 'editKey', key })),
            deleteOption(() => setDialog({ kind: 'deleteKey', key: agg, tokens: count, rotated: rotatedCount })),
          ].map((o) => permittedOption(o, access))} />
        </Group>
      </Group>
      <Stack gap={4} mt="xs" pl={36} miw={0} style={{ overflowWrap: 'anywhere' }}>
        {key.description && <Text size="sm">{key.description}</Text>}
        <TagList tags={key.tags} />
        <Group gap="xs">
          <Badge variant="outline" color="gray" tt="none">{plural(counted, 'token')}</Badge>
          {rotatedCount > 0 && <Badge variant="outline" color="orange" tt="none">+ {rotatedCount} rotated, in grace period</Badge>}
          <Text size="xs" c="dimmed">Created {formatDate(agg.createdAt)} · new tokens last {formatDuration(lifetime)} unless given a date</Text>
        </Group>
      </Stack>
      <Collapse in={open} id={panelId}>
        <Stack mt="sm">
          {tokensLoading ? <LoadingState label="Loading tokens…" /> : tokens.length === 0 ? (
            <Text size="sm" c="dimmed">No tokens yet. <PermittedHint access={canAddToken}>Select + Token to generate one.</PermittedHint></Text>
          ) : (
            <DataList label={`Tokens of ${key.name}`} rows={tokens} columns={columns} rowKey={(t) => t.token.identifier}
              rowName={(t) => t.token.identifier}
              actions={(t) => {
                const rotated = isRotated(t);
                const expired = tokenState(t) === 'expired';
                const why = rotated ? 'A rotated token only works until its grace period ends and cannot be changed.' : undefined;
                return (
                  <MoreOptions of={`Token ${t.token.name}${rotated ? ' (rotated)' : ''}`} options={[
                    { label: 'Edit', icon: <IconPencil size={16} />, disabled: rotated, hint: why, onClick: () => setDialog({ kind: 'editToken', key, token: t }) },
                    { label: 'Rotate Token', icon: <IconRefresh size={16} />, disabled: rotated || expired,
                      hint: why ?? (expired ? 'An expired token cannot be rotated; generate a new token instead.' : undefined), onClick: () => setDialog({ kind: 'rotate', token: t }) },
                    deleteOption(() => setDialog({ kind: 'deleteToken', token: t })),
                  ].map((o) => permittedOption(o, access))} />
                );
              }} />
          )}
        </Stack>
      </Collapse>
    </Paper>
  );
}
