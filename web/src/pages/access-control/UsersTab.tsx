// Users of the account: create, disable or enable, delete, and their role assignments.
import { useState } from 'react';
import { Alert, Badge, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createUser, deleteUser, listUsers, updateUser, userKeys, type UserRow } from '../../api/accessControl';
import { useAccess } from '../../app/access';
import * as needs from '../../app/needs';
import { describeScope, useScope } from '../../app/scope';
import { useUser } from '../../app/session';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { SearchedList, useListSearch } from '../../components/ListSearch';
import { Dialog } from '../../components/Dialog';
import { FormButtons } from '../../components/FormButtons';
import { IconPlus, IconShield, IconUser } from '../../components/icons';
import { deleteOption, MoreOptions } from '../../components/MoreOptions';
import { PermittedButton } from '../../components/PermittedButton';
import { RoleAssignmentsDialog } from '../../components/RoleAssignments';
import { ActionError, EmptyState, ErrorState, LoadingState, PermittedHint } from '../../components/states';
import { isEmail, personNameProblem } from '../../lib/identifier';
import { useAction } from '../../lib/useAction';
import { DateText } from '../../components/DateText';

const searchFields = (u: UserRow) => [u.name, u.email];

export function UsersTab() {
  const scope = useScope();
  const me = useUser();
  const queryClient = useQueryClient();
  const account = scope.accountIdentifier;
  const users = useQuery({ queryKey: userKeys.withRoles(scope), queryFn: ({ signal }) => listUsers(account, signal, scope) });
  const search = useListSearch(users.data, searchFields);
  const [creating, setCreating] = useState(false);
  const [roles, setRoles] = useState<UserRow | null>(null);
  const [toggling, setToggling] = useState<UserRow | null>(null);
  const [deleting, setDeleting] = useState<UserRow | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: userKeys.all });
  const canCreate = useAccess([needs.createUser(scope)]);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>
          Users belong to the account. Role assignments made here apply in {describeScope(scope)}.
        </Text>
        <PermittedButton access={canCreate} leftSection={<IconPlus />} onClick={() => setCreating(true)}>New User</PermittedButton>
      </Group>
      {users.isPending ? <LoadingState label="Loading users…" />
        : users.isError ? <ErrorState error={users.error} what="the users" onRetry={() => users.refetch()} />
        : users.data.length === 0 ? (
          <EmptyState title="No users"><PermittedHint access={canCreate}>Select New User to add someone.</PermittedHint></EmptyState>
        )
        : (
          <SearchedList search={search} label="Search users" placeholder="Search by name or email">{(shown) => (
            <DataList label="Users" rows={shown} rowKey={(u) => u.uuid} rowName={(u) => u.email}
              columns={[
                { key: 'name', header: 'User', render: (u) => (
                  <Stack gap={0}><Text size="sm" fw={600}>{u.name}{u.uuid === me.uuid ? ' (you)' : ''}</Text><Text size="xs" c="dimmed">{u.email}</Text></Stack>
                ) },
                { key: 'status', header: 'Status', render: (u) => (
                  <Group gap={4}>
                    {u.disabled ? <Badge color="gray" variant="light">Disabled</Badge> : <Badge color="teal" variant="light">Active</Badge>}
                    {u.admin && <Badge variant="light">Account Admin</Badge>}
                  </Group>
                ) },
                { key: 'roles', header: 'Roles here', render: (u) => u.roles.length === 0 ? <Text size="sm" c="dimmed">None</Text>
                  : <Group gap={4}>{u.roles.map((r) => <Badge key={r} variant="outline" color="gray">{r}</Badge>)}</Group> },
                { key: 'created', header: 'Created', render: (u) => <Text size="sm"><DateText at={u.createdAt} /></Text>, hideOnMobile: true },
              ]}
              actions={(u) => (
                <MoreOptions of={`user ${u.name}`} options={[
                  { label: 'Role Assignments', icon: <IconShield size={16} />, onClick: () => setRoles(u) },
                  { label: u.disabled ? 'Enable' : 'Disable', icon: <IconUser size={16} />, onClick: () => setToggling(u) },
                  deleteOption(() => setDeleting(u)),
                ]} />
              )} />
          )}</SearchedList>
        )}
      <Dialog opened={creating} onClose={() => setCreating(false)} title="New User" centered>
        {creating && <NewUserForm account={account} onClose={() => setCreating(false)} />}
      </Dialog>
      <RoleAssignmentsDialog principal={roles ? { identifier: roles.uuid, type: 'USER' } : null} principalLabel={roles?.name ?? ''} onClose={() => setRoles(null)} />
      {toggling && (
        <ConfirmDialog opened title={toggling.disabled ? 'Enable User' : 'Disable User'} confirmLabel={toggling.disabled ? 'Enable' : 'Disable'}
          danger={!toggling.disabled} onClose={() => setToggling(null)} onConfirm={async () => {
            await updateUser(account, toggling, { disabled: !toggling.disabled });
            await refresh();
            notifications.show({ color: 'teal', message: `${toggling.name} was ${toggling.disabled ? 'enabled' : 'disabled'}.` });
          }}>
          {toggling.disabled
            ? <>Enable <b>{toggling.name}</b>? They can sign in again and their tokens work again (unless expired).</>
            : <>Disable <b>{toggling.name}</b> ({toggling.email})? They are signed out, cannot sign in, and every token of their API keys stops working until they are enabled again.</>}
        </ConfirmDialog>
      )}
      {deleting && (
        <ConfirmDialog opened title="Delete User" onClose={() => setDeleting(null)} onConfirm={async () => {
          await deleteUser(account, deleting.uuid);
          await refresh();
          notifications.show({ color: 'teal', message: `${deleting.name} was deleted.` });
        }}>
          Delete <b>{deleting.name}</b> ({deleting.email})? Their API keys and tokens are deleted too and stop working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </Stack>
  );
}

function NewUserForm({ account, onClose }: { account: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const create = useAction(createUser);
  const nameError = personNameProblem(name);
  const emailError = isEmail(email.trim()) ? null : 'Enter a valid email address';
  const passwordError = password.length >= 8 ? null : 'At least 8 characters';
  return (
    <form noValidate onSubmit={async (e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || emailError || passwordError) return;
      const r = await create.run(account, { name: name.trim(), email: email.trim(), password });
      if (r.ok) {
        setPassword('');
        await queryClient.invalidateQueries({ queryKey: userKeys.all });
        notifications.show({ color: 'teal', message: `User ${r.value.name} created. Give them their password by a safe channel.` });
        onClose();
      }
    }}>
      <Stack>
        <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={submitted ? nameError : null} data-autofocus />
        <TextInput label="Email" type="email" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={submitted ? emailError : null} />
        <PasswordInput label="Initial password" required autoComplete="new-password" value={password} onChange={(e) => setPassword(e.currentTarget.value)}
          error={submitted ? passwordError : null} description="They can change it in My Profile." />
        <Alert color="blue" variant="light">New users have no roles. Assign one with More Options → Role Assignments, or add them to a user group.</Alert>
        <ActionError error={create.error} title="The user was not created" />
        <FormButtons onCancel={onClose} pending={create.pending} />
      </Stack>
    </form>
  );
}
