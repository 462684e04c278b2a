// Account Settings: the way to Access Control, organizations, projects and the audit trail, and
// the account's limits (rate limit per API key, keys per owner, tokens per key, token lifetime).
import { useEffect, useId, useState } from 'react';
import { Card, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient, type UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { getAccountSettings, getEffectiveSettings, putAccountSettings, settingsKeys } from '../api/audit';
import type { AccountSettings, EffectiveSettings, Limits } from '../api/types';
import { useAccess } from '../app/access';
import * as needs from '../app/needs';
import { useScope, useScopedPath } from '../app/scope';
import { IconBuilding, IconFolder, IconHistory, IconShield } from '../components/icons';
import { PageHeader } from '../components/PageHeader';
import { PermittedButton } from '../components/PermittedButton';
import { ActionError, ErrorState, LoadingState } from '../components/states';
import { DAY_MS, formatDuration } from '../lib/dates';

const AREAS = [
  { to: '/account-settings/access-control', title: 'Access Control', icon: IconShield,
    text: 'Users, User Groups, Service Accounts, Roles, Resource Groups and every API Key in the scope. Older documentation calls it Security → Access Management.' },
  { to: '/account-settings/organizations', title: 'Organizations', icon: IconBuilding, text: 'Create, rename and delete organizations.' },
  { to: '/account-settings/projects', title: 'Projects', icon: IconFolder, text: 'The projects inside each organization.' },
  { to: '/account-settings/audit-trail', title: 'Audit Trail', icon: IconHistory, text: 'Who did what, and when, newest first.' },
];

export function AccountSettingsPage() {
  const scoped = useScopedPath();
  const areaIds = useId();
  return (
    <>
      <PageHeader title="Account Settings" showScope={false}
        description="Manage who can do what (Access Control), the organizations and projects of the account, and its limits." />
      <Stack gap="xl">
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {/* Each card is one link, named by its title and described by its text; its focus shows as Mantine's buttons' does. */}
          {AREAS.map((a, i) => (
            <Card key={a.to} withBorder component={Link} to={scoped(a.to)} padding="md" radius="md" className="mantine-focus-auto"
              aria-labelledby={`${areaIds}-${i}-title`} aria-describedby={`${areaIds}-${i}-text`}>
              <Group gap="sm" wrap="nowrap" align="flex-start">
                <a.icon size={28} color="var(--mantine-color-blue-6)" style={{ flexShrink: 0 }} />
                <Stack gap={2}>
                  <Text fw={700} id={`${areaIds}-${i}-title`}>{a.title}</Text>
                  <Text size="sm" c="dimmed" id={`${areaIds}-${i}-text`}>{a.text}</Text>
                </Stack>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
        <LimitsSection />
      </Stack>
    </>
  );
}

type Field = number | string;
const toField = (v: number | null | undefined, scale = 1): Field => (v === null || v === undefined ? '' : Math.round((v / scale) * 1000) / 1000);
const fromField = (v: Field, scale = 1): number | null => (v === '' || v === null ? null : Number(v) * scale);
/** What is wrong with a field's value, or null ('' is the server's default, always fine). */
function outOfRange(value: Field, min: number, max: number, whole: boolean): string | null {
  if (value === '') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) return `Enter a number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, or leave it empty`;
  if (whole && !Number.isInteger(n)) return 'Enter a whole number, or leave it empty';
  return null;
}


/** The account's limits: a form for those who may view the settings, the limits in force for anyone else. */
function LimitsSection() {
  const scope = useScope();
  const account = scope.accountIdentifier;
  const canView = useAccess([needs.viewAccountSettings(scope)]);
  const limits = useQuery({ queryKey: settingsKeys.effective(account), queryFn: ({ signal }) => getEffectiveSettings(account, signal) });
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="limits-title">
      <Title order={2} size="h3" id="limits-title" mb="xs">Limits</Title>
      {canView.state === 'loading' ? <LoadingState label="Loading the account settings…" />
        : canView.state === 'denied' ? <LimitsInForce limits={limits} />
        : <LimitsForm defaults={limits.data?.defaults ?? null} />}
    </Paper>
  );
}

/** Read-only: what every API key and token of the account is held to. */
function LimitsInForce({ limits }: { limits: UseQueryResult<EffectiveSettings> }) {
  if (limits.isPending) return <LoadingState label="Loading the limits…" />;
  if (limits.isError) return <ErrorState error={limits.error} what="the limits" onRetry={() => limits.refetch()} />;
  const { effective } = limits.data;
  const rows: [string, string][] = [
    ['Rate limit', `${effective.apiKeyQps} ${effective.apiKeyQps === 1 ? 'request' : 'requests'} per second per API key`],
    ['Maximum API keys per owner', String(effective.maxApiKeysPerOwner)],
    ['Maximum tokens per API key', String(effective.maxTokensPerApiKey)],
    ['Maximum token lifetime', effective.maxTokenLifetimeMs === null ? 'No maximum' : formatDuration(effective.maxTokenLifetimeMs)],
  ];
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">The limits in force for every API key and token of this account. An account administrator sets them.</Text>
      <Table variant="vertical" layout="fixed" withTableBorder aria-label="Limits in force">
        <Table.Tbody>
          {rows.map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w="50%">{label}</Table.Th>
              <Table.Td>{value}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

function LimitsForm({ defaults }: { defaults: Limits | null }) {
  const scope = useScope();
  const account = scope.accountIdentifier;
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: settingsKeys.one(account), queryFn: ({ signal }) => getAccountSettings(account, signal) });
  const [qps, setQps] = useState<Field>('');
  const [maxKeys, setMaxKeys] = useState<Field>('');
  const [maxTokens, setMaxTokens] = useState<Field>('');
  const [lifetimeDays, setLifetimeDays] = useState<Field>('');
  const canSave = useAccess([needs.editAccountSettings(scope)]);
  const [submitted, setSubmitted] = useState(false);
  // The API's own bounds; nothing is changed behind the person's back (as clamping on blur would).
  const errors = {
    qps: outOfRange(qps, 0.001, 1_000_000, false),
    maxKeys: outOfRange(maxKeys, 1, 1_000_000, true),
    maxTokens: outOfRange(maxTokens, 1, 1_000_000, true),
    lifetime: outOfRange(lifetimeDays, 0.001, 36_500, false),
  };
  const shown = (error: string | null) => (submitted ? error : null);
  // The server's own defaults (its environment variables), once known.
  const byDefault = (value: number | undefined) => (value === undefined ? '' : ` Default: ${value}.`);

  useEffect(() => {
    if (!settings.data) return;
    setQps(toField(settings.data.apiKeyQps));
    setMaxKeys(toField(settings.data.maxApiKeysPerOwner));
    setMaxTokens(toField(settings.data.maxTokensPerApiKey));
    setLifetimeDays(toField(settings.data.maxTokenLifetimeMs, DAY_MS));
  }, [settings.data]);

  const save = useMutation({
    mutationFn: () => {
      const body: AccountSettings = {
        apiKeyQps: fromField(qps),
        maxApiKeysPerOwner: fromField(maxKeys),
        maxTokensPerApiKey: fromField(maxTokens),
        maxTokenLifetimeMs: lifetimeDays === '' ? null : Math.round(Number(lifetimeDays) * DAY_MS),
      };
      return putAccountSettings(account, body);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: settingsKeys.all });
      notifications.show({ color: 'teal', message: 'Account settings saved.' });
    },
  });

  return (
    <>
      <Text size="sm" c="dimmed" mb="md">Leave a field empty to use the server's default (set by its environment variables).</Text>
      {settings.isPending ? <LoadingState label="Loading the account settings…" />
        : settings.isError ? <ErrorState error={settings.error} what="the account settings" onRetry={() => settings.refetch()} />
        : (
          <form noValidate onSubmit={(e) => {
            e.preventDefault();
            setSubmitted(true);
            if (Object.values(errors).every((x) => x === null)) save.mutate();
          }}>
            <Stack>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <NumberInput label="Rate limit (requests per second per API key)" value={qps} onChange={setQps} min={0.001} decimalScale={3} clampBehavior="none" error={shown(errors.qps)}
                  description={`All tokens of a key share this budget.${byDefault(defaults?.apiKeyQps)}`} placeholder="Server default" />
                <NumberInput label="Maximum API keys per owner" value={maxKeys} onChange={setMaxKeys} min={1} clampBehavior="none" error={shown(errors.maxKeys)}
                  description={`Per user or service account, per scope.${byDefault(defaults?.maxApiKeysPerOwner)}`} placeholder="Server default" />
                <NumberInput label="Maximum tokens per API key" value={maxTokens} onChange={setMaxTokens} min={1} clampBehavior="none" error={shown(errors.maxTokens)}
                  description={`Rotated tokens in their grace period do not count.${byDefault(defaults?.maxTokensPerApiKey)}`} placeholder="Server default" />
                <NumberInput label="Maximum token lifetime (days)" value={lifetimeDays} onChange={setLifetimeDays} min={0.001} decimalScale={3} clampBehavior="none" error={shown(errors.lifetime)}
                  description="No token may be valid for longer. Empty: no maximum." placeholder="No maximum" />
              </SimpleGrid>
              <ActionError error={save.error} title="The settings were not saved" />
              <Group justify="flex-end">
                <PermittedButton access={canSave} type="submit" loading={save.isPending}>Save</PermittedButton>
              </Group>
            </Stack>
          </form>
        )}
    </>
  );
}
