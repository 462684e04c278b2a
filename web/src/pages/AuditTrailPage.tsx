// The audit trail of the scope, newest first, filtered by actor, action, resource type and time.
import { useMemo, useState } from 'react';
import { Badge, Button, Code, Collapse, Group, MultiSelect, Pagination, Paper, SimpleGrid, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listUsers, userKeys } from '../api/accessControl';
import { auditKeys, listAudits, type AuditFilter } from '../api/audit';
import { listServiceAccounts, serviceAccountKeys } from '../api/serviceAccounts';
import type { AuditEvent } from '../api/types';
import { useScope } from '../app/scope';
import { DataList } from '../components/DataList';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, LoadingState } from '../components/states';
import { fromDateTimeLocal } from '../lib/dates';
import { DateTimeText } from '../components/DateText';

const ACTIONS = ['CREATE', 'UPDATE', 'DELETE', 'ROTATE', 'REVOKE', 'LOGIN', 'LOGOUT', 'PASSWORD_CHANGE', 'ADD_MEMBER', 'REMOVE_MEMBER'];
const RESOURCE_TYPES = ['API_KEY', 'TOKEN', 'SERVICEACCOUNT', 'USER', 'USERGROUP', 'ROLE', 'RESOURCEGROUP', 'ROLEASSIGNMENT', 'ORGANIZATION', 'PROJECT', 'ACCOUNT', 'ACCOUNT_SETTINGS'];
const PAGE_SIZE = 25;
const TRAIL = [{ label: 'Account Settings', to: '/account-settings' }];

export function AuditTrailPage() {
  const scope = useScope();
  const [actors, setActors] = useState<string[]>([]);
  const [actions, setActions] = useState<string[]>([]);
  const [types, setTypes] = useState<string[]>([]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [page, setPage] = useState(1);

  const filter: AuditFilter = useMemo(() => ({
    actors, actions, resourceTypes: types, startTime: fromDateTimeLocal(from), endTime: fromDateTimeLocal(to),
  }), [actors, actions, types, from, to]);

  const users = useQuery({ queryKey: userKeys.list(scope.accountIdentifier), queryFn: ({ signal }) => listUsers(scope.accountIdentifier, signal) });
  const sas = useQuery({ queryKey: serviceAccountKeys.list(scope), queryFn: ({ signal }) => listServiceAccounts(scope, signal) });
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const u of users.data ?? []) m.set(u.uuid, `${u.name} (${u.email})`);
    for (const s of sas.data ?? []) m.set(s.serviceAccount.identifier, `${s.serviceAccount.name} (service account)`);
    return m;
  }, [users.data, sas.data]);
  const actorOptions = [...names.entries()].map(([value, label]) => ({ value, label }));

  const audits = useQuery({
    queryKey: auditKeys.page(scope, filter, page - 1),
    queryFn: ({ signal }) => listAudits(scope, filter, page - 1, PAGE_SIZE, signal),
    placeholderData: keepPreviousData,
  });
  const changeFilter = <T,>(set: (v: T) => void) => (v: T) => { set(v); setPage(1); };
  const rows = [...(audits.data?.content ?? [])].sort((a, b) => b.timestamp - a.timestamp);

  return (
    <>
      <PageHeader title="Audit Trail" trail={TRAIL}
        description="Every change in this scope, newest first. Without permission to view the audit trail you see only your own actions." />
      <Paper withBorder p="md" radius="md" mb="md" component="section" aria-label="Filters">
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          <MultiSelect label="Actor" placeholder="Anyone" data={actorOptions} value={actors} onChange={changeFilter(setActors)} searchable clearable
            nothingFoundMessage="No such user or service account" />
          <MultiSelect label="Action" placeholder="Any action" data={ACTIONS} value={actions} onChange={changeFilter(setActions)} clearable searchable />
          <TagsInput label="Resource type" placeholder="Any type" data={RESOURCE_TYPES} value={types} onChange={changeFilter(setTypes)} clearable />
          <TextInput type="datetime-local" label="From" value={from} onChange={(e) => { setFrom(e.currentTarget.value); setPage(1); }} />
          <TextInput type="datetime-local" label="To" value={to} onChange={(e) => { setTo(e.currentTarget.value); setPage(1); }} />
          <Group align="flex-end">
            <Button variant="default" onClick={() => { setActors([]); setActions([]); setTypes([]); setFrom(''); setTo(''); setPage(1); }}>Clear filters</Button>
          </Group>
        </SimpleGrid>
      </Paper>
      {audits.isPending ? <LoadingState label="Loading the audit trail…" />
        : audits.isError ? <ErrorState error={audits.error} what="the audit trail" onRetry={() => audits.refetch()} />
        : rows.length === 0 ? (
          <EmptyState title="No audit entries match">
            {actors.length || actions.length || types.length || from || to ? 'Widen the filters (or clear them) to see more.' : 'Changes made in this scope will appear here.'}
          </EmptyState>
        ) : (
          <Stack>
            <Text size="sm" c="dimmed" aria-live="polite">{audits.data.totalItems} entr{audits.data.totalItems === 1 ? 'y' : 'ies'}</Text>
            <DataList label="Audit entries" rows={rows} rowKey={(e) => e.auditId}
              columns={[
                { key: 'time', header: 'Time', render: (e) => <Text size="sm"><DateTimeText at={e.timestamp} /></Text> },
                { key: 'actor', header: 'Actor', render: (e) => (
                  <Stack gap={0}>
                    <Text size="sm">{names.get(e.authenticationInfo.principal.identifier) ?? e.authenticationInfo.principal.identifier}</Text>
                    <Text size="xs" c="dimmed">{e.authenticationInfo.principal.type}{e.authenticationInfo.ip ? ` · ${e.authenticationInfo.ip}` : ''}</Text>
                  </Stack>
                ) },
                { key: 'action', header: 'Action', render: (e) => <Badge variant="light" tt="none">{e.action}</Badge> },
                { key: 'resource', header: 'Resource', render: (e) => (
                  <Stack gap={0}>
                    <Text size="sm">{(e.resource.type === 'USER' || e.resource.type === 'SERVICEACCOUNT') && names.has(e.resource.identifier)
                      ? names.get(e.resource.identifier) : e.resource.identifier}</Text>
                    <Text size="xs" c="dimmed">{e.resource.type}</Text>
                  </Stack>
                ) },
                // "Account" kept whole: the cells wrap anywhere (long identifiers must), which let the table squeeze it to "Accoun t".
                { key: 'scope', header: 'Scope', render: (e) => e.scope.orgIdentifier === null
                  ? <Text size="sm" className="nowrap">Account</Text>
                  : <Text size="sm">{e.scope.projectIdentifier ? `${e.scope.orgIdentifier} / ${e.scope.projectIdentifier}` : e.scope.orgIdentifier}</Text> },
                { key: 'details', header: 'Changes', render: (e) => <AuditDetails event={e} /> },
              ]} />
            {audits.data.totalPages > 1 && (
              <Group justify="center">
                <Pagination total={audits.data.totalPages} value={page} onChange={setPage} siblings={1} boundaries={1}
                  getControlProps={(control) => ({ 'aria-label': `${control} page` })} />
              </Group>
            )}
          </Stack>
        )}
    </>
  );
}

function AuditDetails({ event }: { event: AuditEvent }) {
  const [open, setOpen] = useState(false);
  if (event.before == null && event.after == null) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Stack gap={4}>
      <Button size="compact-xs" variant="subtle" onClick={() => setOpen((o) => !o)} aria-expanded={open}>{open ? 'Hide' : 'Show'}</Button>
      <Collapse in={open}>
        <Stack gap={4} maw={420}>
          {event.before != null && <><Text size="xs" fw={600}>Before</Text><Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(event.before, null, 2)}</Code></>}
          {event.after != null && <><Text size="xs" fw={600}>After</Text><Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(event.after, null, 2)}</Code></>}
        </Stack>
      </Collapse>
    </Stack>
  );
}
