// User groups of the scope: members are users and (keysmith's addition) service accounts of the
// same scope, so a service account can take its rights from groups.
import { useState } from 'react';
import { Badge, Group, MultiSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accessKeys } from '../../api/accessChecks';
import {
  createUserGroup, deleteUserGroup, listUserGroups, listUsers, updateUserGroup, userGroupKeys, userKeys,
} from '../../api/accessControl';
import { listServiceAccounts, serviceAccountKeys } from '../../api/serviceAccounts';
import type { UserGroup } from '../../api/types';
import { useAccess } from '../../app/access';
import * as needs from '../../app/needs';
import { describeScope, useScope } from '../../app/scope';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { SearchedList, useListSearch } from '../../components/ListSearch';
import { Dialog } from '../../components/Dialog';
import { DescriptionField, NameAndIdFields, TagsField, useNameAndId } from '../../components/fields';
import { FormButtons } from '../../components/FormButtons';
import { IconPlus, IconShield } from '../../components/icons';
import { deleteOption, editOption, MoreOptions } from '../../components/MoreOptions';
import { PermittedButton } from '../../components/PermittedButton';
import { RoleAssignmentsDialog } from '../../components/RoleAssignments';
import { ActionError, EmptyState, ErrorState, LoadingState, PermittedHint } from '../../components/states';
import { TagList } from '../../components/TagList';
import { descriptionProblem, identifierProblem, nameProblem } from '../../lib/identifier';
import { chipsToTags, tagsToChips } from '../../lib/tags';

const searchFields = (g: UserGroup) => [g.name, g.identifier, g.description, ...Object.entries(g.tags ?? {}).flat()];

export function UserGroupsTab() {
  const scope = useScope();
  const queryClient = useQueryClient();
  const groups = useQuery({ queryKey: userGroupKeys.list(scope), queryFn: ({ signal }) => listUserGroups(scope, signal) });
  const search = useListSearch(groups.data, searchFields);
  const users = useQuery({ queryKey: userKeys.list(scope.accountIdentifier), queryFn: ({ signal }) => listUsers(scope.accountIdentifier, signal) });
  const sas = useQuery({ queryKey: serviceAccountKeys.list(scope), queryFn: ({ signal }) => listServiceAccounts(scope, signal) });
  const [editing, setEditing] = useState<UserGroup | 'new' | null>(null);
  const [roles, setRoles] = useState<UserGroup | null>(null);
  const [deleting, setDeleting] = useState<UserGroup | null>(null);
  const userName = (id: string) => users.data?.find((u) => u.uuid === id)?.name ?? id;
  const saName = (id: string) => sas.data?.find((s) => s.serviceAccount.identifier === id)?.serviceAccount.name ?? id;
  const canCreate = useAccess([needs.createUserGroup(scope)]);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>Groups in {describeScope(scope)}. A group's roles apply to all its members, users and service accounts alike.</Text>
        <PermittedButton access={canCreate} leftSection={<IconPlus />} onClick={() => setEditing('new')}>New User Group</PermittedButton>
      </Group>
      {groups.isPending ? <LoadingState label="Loading user groups…" />
        : groups.isError ? <ErrorState error={groups.error} what="the user groups" onRetry={() => groups.refetch()} />
        : groups.data.length === 0 ? (
          <EmptyState title="No user groups that you can see in this scope">
            <PermittedHint access={canCreate}>
              Select New User Group, add users and service accounts, then give the group roles with More Options → Role Assignments.
            </PermittedHint>
          </EmptyState>
        ) : (
          <SearchedList search={search} label="Search user groups" placeholder="Search by name, Id or tag">{(shown) => (
            <DataList label="User groups" rows={shown} rowKey={(g) => g.identifier} rowName={(g) => g.identifier}
              columns={[
                { key: 'name', header: 'User group', render: (g) => (
                  <Stack gap={2}>
                    <Text size="sm" fw={600}>{g.name}</Text>
                    <Text size="xs" c="dimmed">Id: {g.identifier}</Text>
                    {g.description && <Text size="xs">{g.description}</Text>}
                    <TagList tags={g.tags} />
                  </Stack>
                ) },
                { key: 'users', header: 'Users', render: (g) => g.users.length === 0 ? <Text size="sm" c="dimmed">None</Text> : (
                  <Group gap={4}>{g.users.map((u) => <Badge key={u} variant="light" tt="none">{userName(u)}</Badge>)}</Group>
                ) },
                { key: 'sas', header: 'Service accounts', render: (g) => g.serviceAccounts.length === 0 ? <Text size="sm" c="dimmed">None</Text> : (
                  <Group gap={4}>{g.serviceAccounts.map((s) => <Badge key={s} variant="light" color="grape" tt="none">{saName(s)}</Badge>)}</Group>
                ) },
              ]}
              actions={(g) => (
                <MoreOptions of={`user group ${g.name}`} options={[
                  editOption(() => setEditing(g)),
                  { label: 'Role Assignments', icon: <IconShield size={16} />, onClick: () => setRoles(g) },
                  deleteOption(() => setDeleting(g)),
                ]} />
              )} />
          )}</SearchedList>
        )}
      <Dialog opened={editing !== null} onClose={() => setEditing(null)} centered size="lg" title={editing === 'new' ? 'New User Group' : 'Edit User Group'}>
        {editing !== null && <UserGroupForm existing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </Dialog>
      <RoleAssignmentsDialog principal={roles ? { identifier: roles.identifier, type: 'USER_GROUP' } : null} principalLabel={roles ? `user group ${roles.name}` : ''}
        onClose={() => setRoles(null)} />
      {deleting && (
        <ConfirmDialog opened title="Delete User Group" onClose={() => setDeleting(null)} onConfirm={async () => {
          await deleteUserGroup(scope, deleting.identifier);
          await queryClient.invalidateQueries({ queryKey: userGroupKeys.all });
          await queryClient.invalidateQueries({ queryKey: accessKeys.all });
          notifications.show({ color: 'teal', message: `User group ${deleting.name} was deleted.` });
        }}>
          Delete the user group <b>{deleting.name}</b>? Its {deleting.users.length} user(s) and {deleting.serviceAccounts.length} service account(s)
          lose the roles they had through it, and so do their tokens, at once.
        </ConfirmDialog>
      )}
    </Stack>
  );
}

function UserGroupForm({ existing, onClose }: { existing: UserGroup | null; onClose: () => void }) {
  const scope = useScope();
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: userKeys.list(scope.accountIdentifier), queryFn: ({ signal }) => listUsers(scope.accountIdentifier, signal) });
  const sas = useQuery({ queryKey: serviceAccountKeys.list(scope), queryFn: ({ signal }) => listServiceAccounts(scope, signal) });
  const ids = useNameAndId(existing?.name ?? '', existing?.identifier ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [tags, setTags] = useState(tagsToChips(existing?.tags));
  const [members, setMembers] = useState<string[]>(existing?.users ?? []);
  const [saMembers, setSaMembers] = useState<string[]>(existing?.serviceAccounts ?? []);
  const [submitted, setSubmitted] = useState(false);
  const nameError = nameProblem(ids.name);
  const idError = existing ? null : identifierProblem(ids.id);
  const save = useMutation({
    mutationFn: () => {
      const input = { identifier: ids.id, name: ids.name.trim(), description, tags: chipsToTags(tags), users: members, serviceAccounts: saMembers };
      return existing ? updateUserGroup(scope, input) : createUserGroup(scope, input);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: userGroupKeys.all });
      await queryClient.invalidateQueries({ queryKey: accessKeys.all });
      notifications.show({ color: 'teal', message: `User group ${ids.name.trim()} saved.` });
      onClose();
    },
  });
  const userOptions = (users.data ?? []).map((u) => ({ value: u.uuid, label: `${u.name} (${u.email})` }));
  for (const id of members) if (!userOptions.some((o) => o.value === id)) userOptions.push({ value: id, label: id });
  const saOptions = (sas.data ?? []).map((s) => ({ value: s.serviceAccount.identifier, label: `${s.serviceAccount.name} (${s.serviceAccount.identifier})` }));
  for (const id of saMembers) if (!saOptions.some((o) => o.value === id)) saOptions.push({ value: id, label: id });
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || descriptionProblem(description)) return;
      ids.send();
      save.mutate();
    }}>
      <Stack>
        <NameAndIdFields state={ids} locked={!!existing} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus
          taken={{ refusal: save.error, thing: 'A user group' }} />
        <DescriptionField value={description} onChange={setDescription} error={descriptionProblem(description)} />
        <TagsField value={tags} onChange={setTags} />
        <MultiSelect label="Users" data={userOptions} value={members} onChange={setMembers} searchable clearable
          placeholder={users.isPending ? 'Loading…' : 'Add users'} comboboxProps={{ withinPortal: true }} />
        <MultiSelect label="Service accounts" data={saOptions} value={saMembers} onChange={setSaMembers} searchable clearable
          description="Service accounts of this same scope." placeholder={sas.isPending ? 'Loading…' : 'Add service accounts'} comboboxProps={{ withinPortal: true }} />
        <ActionError error={save.error} duplicateAtField title="The user group was not saved" />
        <FormButtons onCancel={onClose} pending={save.isPending} />
      </Stack>
    </form>
  );
}
