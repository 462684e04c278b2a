// Roles: the managed ones (read-only) and custom roles of the scope, as sets of permissions.
import { useMemo, useState } from 'react';
import { Anchor, Badge, Checkbox, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accessKeys } from '../../api/accessChecks';
import { createRole, deleteRole, listRoles, roleKeys, updateRole } from '../../api/accessControl';
import { PERMISSION_LABELS } from '../../api/errors';
import type { RoleResponse } from '../../api/types';
import { useAccess } from '../../app/access';
import * as needs from '../../app/needs';
import { describeScope, useScope } from '../../app/scope';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { Dialog } from '../../components/Dialog';
import { DescriptionField, NameAndIdFields, TagsField, useNameAndId } from '../../components/fields';
import { FormButtons } from '../../components/FormButtons';
import { SearchedList, useListSearch } from '../../components/ListSearch';
import { IconPlus } from '../../components/icons';
import { deleteOption, editOption, MoreOptions } from '../../components/MoreOptions';
import { PermittedButton } from '../../components/PermittedButton';
import { ActionError, EmptyState, ErrorState, LoadingState } from '../../components/states';
import { descriptionProblem, identifierProblem, nameProblem } from '../../lib/identifier';
import { chipsToTags, tagsToChips } from '../../lib/tags';

const GROUPS: { title: string; prefix: string }[] = [
  { title: 'Account', prefix: 'core_account_' },
  { title: 'Organizations', prefix: 'core_organization_' },
  { title: 'Projects', prefix: 'core_project_' },
  { title: 'Users', prefix: 'core_user_' },
  { title: 'User Groups', prefix: 'core_usergroup_' },
  { title: 'Service Accounts', prefix: 'core_serviceaccount_' },
  { title: 'Roles', prefix: 'core_role_' },
  { title: 'Resource Groups', prefix: 'core_resourcegroup_' },
  { title: 'Audit Trail', prefix: 'core_audit_' },
];
const ALL_PERMISSIONS = Object.keys(PERMISSION_LABELS);
const searchFields = ({ role: r }: RoleResponse) => [r.name, r.identifier, r.description, ...r.permissions, ...Object.entries(r.tags ?? {}).flat()];
const LEVELS = [{ value: 'account', label: 'Account' }, { value: 'organization', label: 'Organization' }, { value: 'project', label: 'Project' }];

export function RolesTab() {
  const scope = useScope();
  const queryClient = useQueryClient();
  const roles = useQuery({ queryKey: roleKeys.list(scope), queryFn: ({ signal }) => listRoles(scope, signal) });
  const [editing, setEditing] = useState<RoleResponse | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RoleResponse | null>(null);
  const rows = useMemo(() => [...(roles.data ?? [])].sort((a, b) =>
    Number(b.harnessManaged) - Number(a.harnessManaged) || a.role.name.localeCompare(b.role.name)), [roles.data]);
  const search = useListSearch(rows, searchFields);
  const canCreate = useAccess([needs.createRole(scope)]);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>Roles usable in {describeScope(scope)}. Managed roles come with keysmith and cannot be changed.</Text>
        <PermittedButton access={canCreate} leftSection={<IconPlus />} onClick={() => setEditing('new')}>New Role</PermittedButton>
      </Group>
      {roles.isPending ? <LoadingState label="Loading roles…" />
        : roles.isError ? <ErrorState error={roles.error} what="the roles" onRetry={() => roles.refetch()} />
        // The managed roles are in every scope: an empty list means the caller may not view roles here.
        : rows.length === 0 ? (
          <EmptyState title="No roles that you can see in this scope">
            Seeing the roles here takes permission to view roles (core_role_view). Ask an account admin for a role that grants it.
          </EmptyState>
        )
        : (
          <SearchedList search={search} label="Search roles" placeholder="Search by name, Id or permission">{(shown) => (
            <DataList label="Roles" rows={shown} rowKey={(r) => r.role.identifier} rowName={(r) => r.role.identifier}
              columns={[
                { key: 'name', header: 'Role', width: 240, render: (r) => (
                  <Stack gap={2}>
                    <Group gap={6}><Text size="sm" fw={600}>{r.role.name}</Text>{r.harnessManaged && <Badge size="xs" variant="outline" color="gray">Managed</Badge>}</Group>
                    <Text size="xs" c="dimmed">Id: {r.role.identifier}</Text>
                    {r.role.description && <Text size="xs">{r.role.description}</Text>}
                  </Stack>
                ) },
                { key: 'levels', header: 'Scopes', width: 120, render: (r) => <Text size="sm">{(r.role.allowedScopeLevels ?? []).join(', ') || '—'}</Text>, hideOnMobile: true },
                { key: 'permissions', header: 'Permissions', render: (r) => <PermissionList permissions={r.role.permissions} /> },
              ]}
              actions={(r) => r.harnessManaged ? null : (
                <MoreOptions of={`role ${r.role.name}`} options={[
                  editOption(() => setEditing(r)),
                  deleteOption(() => setDeleting(r)),
                ]} />
              )} />
          )}</SearchedList>
        )}
      <Dialog opened={editing !== null} onClose={() => setEditing(null)} centered size="xl" title={editing === 'new' ? 'New Role' : 'Edit Role'}>
        {editing !== null && <RoleForm existing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </Dialog>
      {deleting && (
        <ConfirmDialog opened title="Delete Role" onClose={() => setDeleting(null)} onConfirm={async () => {
          await deleteRole(scope, deleting.role.identifier);
          await queryClient.invalidateQueries({ queryKey: roleKeys.all });
          await queryClient.invalidateQueries({ queryKey: accessKeys.all });
          notifications.show({ color: 'teal', message: `Role ${deleting.role.name} was deleted.` });
        }}>
          Delete the role <b>{deleting.role.name}</b>? A role that is still assigned cannot be deleted: remove its assignments first.
        </ConfirmDialog>
      )}
    </Stack>
  );
}

function RoleForm({ existing, onClose }: { existing: RoleResponse | null; onClose: () => void }) {
  const scope = useScope();
  const queryClient = useQueryClient();
  const ids = useNameAndId(existing?.role.name ?? '', existing?.role.identifier ?? '');
  const [description, setDescription] = useState(existing?.role.description ?? '');
  const [tags, setTags] = useState(tagsToChips(existing?.role.tags));
  const [levels, setLevels] = useState<string[]>(existing?.role.allowedScopeLevels ?? [scope.level]);
  const [permissions, setPermissions] = useState<string[]>(existing?.role.permissions ?? []);
  const [submitted, setSubmitted] = useState(false);
  const nameError = nameProblem(ids.name);
  const idError = existing ? null : identifierProblem(ids.id);
  const levelsError = levels.length === 0 ? 'Choose at least one scope level' : null;
  const save = useMutation({
    mutationFn: () => {
      const input = { identifier: ids.id, name: ids.name.trim(), description, tags: chipsToTags(tags), permissions, allowedScopeLevels: levels };
      return existing ? updateRole(scope, input) : createRole(scope, input);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: roleKeys.all });
      await queryClient.invalidateQueries({ queryKey: accessKeys.all });
      notifications.show({ color: 'teal', message: `Role ${ids.name.trim()} saved.` });
      onClose();
    },
  });
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || levelsError || descriptionProblem(description)) return;
      ids.send();
      save.mutate();
    }}>
      <Stack>
        <NameAndIdFields state={ids} locked={!!existing} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus
          taken={{ refusal: save.error, thing: 'A role' }} />
        <DescriptionField value={description} onChange={setDescription} error={descriptionProblem(description)} />
        <TagsField value={tags} onChange={setTags} />
        <Checkbox.Group label="Can be assigned at" value={levels} onChange={setLevels} error={submitted ? levelsError : null}>
          <Group mt="xs">{LEVELS.map((l) => <Checkbox key={l.value} value={l.value} label={l.label} />)}</Group>
        </Checkbox.Group>
        <Checkbox.Group label="Permissions" value={permissions} onChange={setPermissions}>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} mt="xs">
            {GROUPS.map((g) => (
              <Paper key={g.prefix} withBorder p="xs" radius="sm">
                <Text size="sm" fw={600} mb={4}>{g.title}</Text>
                <Stack gap={4}>
                  {ALL_PERMISSIONS.filter((p) => p.startsWith(g.prefix) && !(g.prefix === 'core_user_' && p.startsWith('core_usergroup_'))).map((p) => (
                    <Checkbox key={p} value={p} label={PERMISSION_LABELS[p]} description={p} size="xs" />
                  ))}
                </Stack>
              </Paper>
            ))}
          </SimpleGrid>
        </Checkbox.Group>
        <ActionError error={save.error} duplicateAtField title="The role was not saved" />
        <FormButtons onCancel={onClose} pending={save.isPending} />
      </Stack>
    </form>
  );
}

/** A role's permissions: the first few, and the rest on request. */
function PermissionList({ permissions }: { permissions: string[] }) {
  const [all, setAll] = useState(false);
  const FEW = 6;
  const shown = all ? permissions : permissions.slice(0, FEW);
  return (
    <Group gap={4}>
      {shown.map((p) => <Badge key={p} size="xs" variant="light" title={PERMISSION_LABELS[p]}>{p}</Badge>)}
      {permissions.length > FEW && (
        <Anchor component="button" type="button" size="xs" onClick={() => setAll((a) => !a)} aria-expanded={all}>
          {all ? 'Show fewer' : `and ${permissions.length - FEW} more`}
        </Anchor>
      )}
      {permissions.length === 0 && <Text size="sm" c="dimmed">None</Text>}
    </Group>
  );
}
