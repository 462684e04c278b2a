// Role assignments of one principal (user, user group or service account) in the current scope:
// which role, over which resource group; assign another, or remove one.
import { useMemo, useState } from 'react';
import { Badge, Group, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accessKeys } from '../api/accessChecks';
import { isDuplicate } from '../api/errors';
import {
  createRoleAssignment, deleteRoleAssignment, listResourceGroups, listRoleAssignments, listRoles, resourceGroupKeys,
  roleAssignmentKeys, roleKeys, userKeys,
} from '../api/accessControl';
import { serviceAccountKeys } from '../api/serviceAccounts';
import type { PrincipalType, RoleAssignmentResponse } from '../api/types';
import { useAccess } from '../app/access';
import * as needs from '../app/needs';
import { describeScope, useScope } from '../app/scope';
import { ConfirmDialog } from './ConfirmDialog';
import { DataList } from './DataList';
import { Dialog } from './Dialog';
import { FormButtons } from './FormButtons';
import { IconPlus, IconTrash } from './icons';
import { PermittedButton } from './PermittedButton';
import { ActionError, EmptyState, ErrorState, LoadingState, PermittedHint } from './states';

interface Principal { identifier: string; type: PrincipalType }

/** The scope's role assignments, with the names of the roles and resource groups they use (cached queries, shared by every panel). */
export function useScopeAssignments() {
  const scope = useScope();
  const assignments = useQuery({ queryKey: roleAssignmentKeys.list(scope), queryFn: ({ signal }) => listRoleAssignments(scope, signal) });
  const roles = useQuery({ queryKey: roleKeys.list(scope), queryFn: ({ signal }) => listRoles(scope, signal) });
  const resourceGroups = useQuery({ queryKey: resourceGroupKeys.list(scope), queryFn: ({ signal }) => listResourceGroups(scope, signal) });
  return {
    assignments,
    roleName: (id: string) => roles.data?.find((r) => r.role.identifier === id)?.role.name ?? id,
    resourceGroupName: (id: string) => resourceGroups.data?.find((g) => g.resourceGroup.identifier === id)?.resourceGroup.name ?? id,
  };
}

export function RoleAssignments({ principal, principalLabel, throughGroups = [] }: {
  principal: Principal; principalLabel: string;
  /** Names of the user groups the principal belongs to, whose roles it has as well. */
  throughGroups?: string[];
}) {
  const scope = useScope();
  const queryClient = useQueryClient();
  const { assignments, roleName, resourceGroupName: groupName } = useScopeAssignments();
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<RoleAssignmentResponse | null>(null);
  // Assigning and removing need the same permission, on the principal.
  const canChange = useAccess([needs.changeRoleAssignments(scope, principal)]);

  const mine = useMemo(() => (assignments.data ?? []).filter((a) =>
    a.roleAssignment.principal.identifier === principal.identifier && a.roleAssignment.principal.type === principal.type), [assignments.data, principal]);

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed">Roles of {principalLabel} in {describeScope(scope)}.</Text>
        <PermittedButton access={canChange} size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>Assign Role</PermittedButton>
      </Group>
      {assignments.isPending ? <LoadingState label="Loading role assignments…" />
        : assignments.isError ? <ErrorState error={assignments.error} what="the role assignments" onRetry={() => assignments.refetch()} />
        : mine.length === 0 && throughGroups.length > 0 ? (
          <EmptyState title="No roles of its own in this scope">
            {principalLabel.replace(/^./, (c) => c.toUpperCase())} has the roles of its user {throughGroups.length === 1 ? 'group' : 'groups'}{' '}
            {throughGroups.join(', ')} (see User Groups). <PermittedHint access={canChange}>Select Assign Role to give it a role of its own.</PermittedHint>
          </EmptyState>
        ) : mine.length === 0 ? (
          <EmptyState title="No roles in this scope">
            <PermittedHint access={canChange}>Select Assign Role to give {principalLabel} a role over a resource group.</PermittedHint>
            {principal.type !== 'USER_GROUP' && ' Roles can also come from user groups.'}
          </EmptyState>
        ) : (
          <DataList label={`Role assignments of ${principalLabel}`} rows={mine} rowKey={(a) => a.roleAssignment.identifier}
            columns={[
              { key: 'role', header: 'Role', render: (a) => <Text size="sm" fw={600}>{roleName(a.roleAssignment.roleIdentifier)}</Text> },
              { key: 'rg', header: 'Resource group', render: (a) => <Text size="sm">{groupName(a.roleAssignment.resourceGroupIdentifier)}</Text> },
              { key: 'state', header: 'State', render: (a) => (
                <Group gap={4}>
                  {a.roleAssignment.disabled ? <Badge color="gray" variant="light">Disabled</Badge> : <Badge color="teal" variant="light">Enabled</Badge>}
                  {a.harnessManaged && <Badge variant="outline" color="gray">Managed</Badge>}
                </Group>
              ) },
            ]}
            actions={(a) => (
              <PermittedButton access={canChange} size="compact-sm" variant="subtle" color="red" leftSection={<IconTrash size={14} />}
                disabled={a.harnessManaged} aria-label={`Remove role ${roleName(a.roleAssignment.roleIdentifier)} from ${principalLabel}`}
                onClick={() => setRemoving(a)}>
                Remove
              </PermittedButton>
            )} />
        )}
      <Dialog opened={adding} onClose={() => setAdding(false)} title={`Assign Role to ${principalLabel}`} centered>
        {adding && <AssignForm principal={principal} principalLabel={principalLabel} onClose={() => setAdding(false)} />}
      </Dialog>
      {removing && (
        <ConfirmDialog opened title="Remove Role" confirmLabel="Remove" onClose={() => setRemoving(null)} onConfirm={async () => {
          await deleteRoleAssignment(scope, removing.roleAssignment.identifier);
          await queryClient.invalidateQueries({ queryKey: roleAssignmentKeys.all });
          await queryClient.invalidateQueries({ queryKey: serviceAccountKeys.all });
          await queryClient.invalidateQueries({ queryKey: userKeys.all });
          await queryClient.invalidateQueries({ queryKey: accessKeys.all });
          notifications.show({ color: 'teal', message: `Role ${roleName(removing.roleAssignment.roleIdentifier)} removed from ${principalLabel}.` });
        }}>
          Remove the role <b>{roleName(removing.roleAssignment.roleIdentifier)}</b> over <b>{groupName(removing.roleAssignment.resourceGroupIdentifier)}</b> from{' '}
          {principalLabel}? Its API keys and tokens lose these permissions at once.
        </ConfirmDialog>
      )}
    </Stack>
  );
}

function AssignForm({ principal, principalLabel, onClose }: { principal: Principal; principalLabel: string; onClose: () => void }) {
  const scope = useScope();
  const queryClient = useQueryClient();
  const roles = useQuery({ queryKey: roleKeys.list(scope), queryFn: ({ signal }) => listRoles(scope, signal) });
  const groups = useQuery({ queryKey: resourceGroupKeys.list(scope), queryFn: ({ signal }) => listResourceGroups(scope, signal) });
  const [role, setRole] = useState<string | null>(null);
  const [group, setGroup] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState(false);
  const assign = useMutation({
    mutationFn: (sent: { role: string; group: string }) =>
      createRoleAssignment(scope, { roleIdentifier: sent.role, resourceGroupIdentifier: sent.group, principal }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: roleAssignmentKeys.all });
      await queryClient.invalidateQueries({ queryKey: serviceAccountKeys.all });
      await queryClient.invalidateQueries({ queryKey: userKeys.all });
      // The principal may be the person themselves, or a group they are in.
      await queryClient.invalidateQueries({ queryKey: accessKeys.all });
      notifications.show({ color: 'teal', message: 'Role assigned.' });
      onClose();
    },
  });
  const roleOptions = (roles.data ?? [])
    .filter((r) => !r.role.allowedScopeLevels?.length || r.role.allowedScopeLevels.includes(scope.level))
    .map((r) => ({ value: r.role.identifier, label: `${r.role.name}${r.harnessManaged ? ' (managed)' : ''}` }));
  const groupOptions = (groups.data ?? []).map((g) => ({ value: g.resourceGroup.identifier, label: g.resourceGroup.name }));
  // The form has no Id: a repeated assignment is said in words (the server's names the assignment
  // by its internal Id), and only while the same role and resource group are chosen.
  const sent = assign.variables;
  const repeated = isDuplicate(assign.error) && sent?.role === role && sent.group === group;
  const roleName = roles.data?.find((r) => r.role.identifier === role)?.role.name ?? role;
  const groupName = groups.data?.find((g) => g.resourceGroup.identifier === group)?.resourceGroup.name ?? group;
  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); setSubmitted(true); if (role && group) assign.mutate({ role, group }); }}>
      <Stack>
        {(roles.isError || groups.isError) && <ErrorState error={roles.error ?? groups.error} what="the roles and resource groups" />}
        {/* Focused as the dialog opens, its list stays shut until asked for (a click, a key): open, it covered the rest of the form. */}
        <Select label="Role" data={roleOptions} value={role} onChange={setRole} searchable required data-autofocus openOnFocus={false}
          placeholder={roles.isPending ? 'Loading…' : 'Choose a role'} error={submitted && !role ? 'Choose a role' : null}
          nothingFoundMessage="No role fits this scope" comboboxProps={{ withinPortal: true }} />
        <Select label="Resource group" data={groupOptions} value={group} onChange={setGroup} searchable required openOnFocus={false}
          placeholder={groups.isPending ? 'Loading…' : 'Choose what the role applies to'} error={submitted && !group ? 'Choose a resource group' : null}
          comboboxProps={{ withinPortal: true }} />
        <ActionError error={isDuplicate(assign.error) && !repeated ? null : assign.error} title="The role was not assigned"
          duplicate={`The role ${roleName} is already assigned to ${principalLabel} with the resource group ${groupName}.`} />
        <FormButtons onCancel={onClose} pending={assign.isPending} submitLabel="Assign" />
      </Stack>
    </form>
  );
}

/** The same panel in a dialog, for rows of the Users and User Groups lists. */
export function RoleAssignmentsDialog({ principal, principalLabel, onClose }: { principal: Principal | null; principalLabel: string; onClose: () => void }) {
  return (
    <Dialog opened={!!principal} onClose={onClose} title={`Role Assignments: ${principalLabel}`} size="xl" centered>
      {principal && <RoleAssignments principal={principal} principalLabel={principalLabel} />}
    </Dialog>
  );
}
