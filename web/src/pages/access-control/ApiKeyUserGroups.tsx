// The user groups an Add API Key key takes its rights from: the "User Groups" choice (offering only
// groups whose members the person may change, with a warning for a group that has no role, whose
// key could do nothing) and "New User Group", which makes a group with a role on all resources of
// the scope from inside the dialog, so the first key of a fresh install, where no group exists
// yet, needs no detour.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, CheckIcon, Group, MultiSelect, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accessKeys } from '../../api/accessChecks';
import { isDuplicate } from '../../api/errors';
import {
  createRoleAssignment, createUserGroup, deleteUserGroup, listRoleAssignments, listRoles, roleAssignmentKeys, roleKeys, userGroupKeys,
} from '../../api/accessControl';
import type { UserGroup } from '../../api/types';
import { LOADING, useAccess, useAccessByKey } from '../../app/access';
import * as needs from '../../app/needs';
import { describeScope, useScope, type CurrentScope } from '../../app/scope';
import { IconAlert, IconPlus } from '../../components/icons';
import { PermittedButton } from '../../components/PermittedButton';
import { ActionError, PermittedHint } from '../../components/states';
import { identifierFromName, identifierProblem, nameProblem, typedNameProblem } from '../../lib/identifier';

interface UserGroupsFieldProps {
  groups: UserGroup[] | undefined;
  loading: boolean;
  value: string[];
  onChange: (value: string[]) => void;
  error?: string | null;
  /** Offer "New User Group" (Add API Key does; editing a key does not need to). */
  withNewGroup?: boolean;
  /** The name typed in an open New User Group not yet created (null when there is none), for the form around it. */
  onPendingGroup?: (name: string | null) => void;
}

/** Said under a group the person may not put the service account into, or take it out of. */
const CANNOT_CHANGE_MEMBERS = "You can't change the members of this group (core_usergroup_manage)";

export function UserGroupsField({ groups, loading, value, onChange, error, withNewGroup = false, onPendingGroup }: UserGroupsFieldProps) {
  const scope = useScope();
  const [creating, setCreating] = useState(false);
  const none = !loading && (groups ?? []).length === 0;
  // Each chosen group is updated with the service account as a member, which the server allows
  // group by group: every listed group is asked about, in one request. As with buttons, a group is
  // offered once the answer permits it (or the check failed), and says why when it does not.
  const canChange = useAccessByKey((groups ?? []).map((g) => [g.identifier, [needs.changeUserGroupMembers(scope, g.identifier)]] as const));
  const answer = (g: UserGroup) => canChange.get(g.identifier)?.[0] ?? LOADING;
  const denied = new Set((groups ?? []).filter((g) => answer(g).state === 'denied').map((g) => g.identifier));
  // Asked only where New User Group is offered; the lists' hints name it only to whoever may use it.
  const canCreate = useAccess(withNewGroup ? [needs.createUserGroup(scope)] : []);
  return (
    <Stack gap="xs">
      <MultiSelect label="User Groups" required
        data={(groups ?? []).map((g) => ({ value: g.identifier, label: g.name, disabled: answer(g).state !== 'permitted' }))}
        renderOption={({ option, checked }) => (
          <>
            {checked && <CheckIcon size={12} style={{ flexShrink: 0 }} />}
            <div>
              {option.label}
              {denied.has(option.value) && <Text size="xs" c="dimmed">{CANNOT_CHANGE_MEMBERS}</Text>}
            </div>
          </>
        )}
        value={value} onChange={onChange} searchable error={error}
        placeholder={loading ? 'Loading…' : 'Choose user groups'} comboboxProps={{ withinPortal: true }}
        description="The API key has exactly the rights of these groups."
        nothingFoundMessage={withNewGroup && canCreate.state === 'permitted' ? 'No such user group: select New User Group to make one.' : 'No such user group in this scope.'} />
      {none && (
        <Text size="sm" c="dimmed">
          {/* Lists hold only what the caller may view: groups may exist that this person cannot see. */}
          No user groups that you can see in {describeScope(scope)}.
          {withNewGroup && <> <PermittedHint access={canCreate}>Select New User Group to make one with a role; it is then chosen here.</PermittedHint></>}
        </Text>
      )}
      <GroupsWithoutRole scope={scope} groups={(groups ?? []).filter((g) => value.includes(g.identifier))} />
      {withNewGroup && (creating ? (
        <NewUserGroup scope={scope} onNameChange={onPendingGroup}
          onCancel={() => { setCreating(false); onPendingGroup?.(null); }}
          onCreated={(g) => {
            setCreating(false);
            onPendingGroup?.(null);
            onChange([...value.filter((v) => v !== g.identifier), g.identifier]);
          }} />
      ) : (
        <Group>
          <PermittedButton access={canCreate} variant="light" size="xs" leftSection={<IconPlus size={14} />} onClick={() => setCreating(true)}>
            New User Group
          </PermittedButton>
        </Group>
      ))}
    </Stack>
  );
}

/** Warns about chosen groups with no enabled role assignment in this scope (when the caller may list them). */
function GroupsWithoutRole({ scope, groups }: { scope: CurrentScope; groups: UserGroup[] }) {
  const assignments = useQuery({
    queryKey: roleAssignmentKeys.list(scope), queryFn: ({ signal }) => listRoleAssignments(scope, signal), enabled: groups.length > 0,
  });
  if (!assignments.data) return null;
  const withRole = new Set(assignments.data
    .filter((a) => a.roleAssignment.principal.type === 'USER_GROUP' && !a.roleAssignment.disabled)
    .map((a) => a.roleAssignment.principal.identifier));
  const without = groups.filter((g) => !withRole.has(g.identifier));
  if (without.length === 0) return null;
  const names = without.map((g) => g.name).join(', ');
  return (
    <Alert color="yellow" icon={<IconAlert />} title={without.length === 1 ? `${names} has no role` : `${names} have no role`}>
      <Text size="sm">
        A user group without a role assignment in {describeScope(scope)} gives its members no rights here, so through{' '}
        {without.length === 1 ? 'it' : 'them'} the API key could do nothing. Give {without.length === 1 ? 'it' : 'them'} a role
        under User Groups (More Options → Role Assignments), or make a group with a role here.
      </Text>
    </Alert>
  );
}

/** The managed read-only role of each scope level, offered first. */
const VIEWER_ROLE: Record<CurrentScope['level'], string> = {
  account: '_account_viewer', organization: '_organization_viewer', project: '_project_viewer',
};
/** The managed resource group "all resources at this level" of each scope level. */
const ALL_RESOURCES: Record<CurrentScope['level'], string> = {
  account: '_all_account_level_resources', organization: '_all_organization_level_resources', project: '_all_project_level_resources',
};

interface NewUserGroupProps {
  scope: CurrentScope;
  onCreated: (g: UserGroup) => void;
  onCancel: () => void;
  /** The typed name while this form is open and the group not made; null once it closes. */
  onNameChange?: (name: string | null) => void;
}

function NewUserGroup({ scope, onCreated, onCancel, onNameChange }: NewUserGroupProps) {
  const queryClient = useQueryClient();
  const roles = useQuery({ queryKey: roleKeys.list(scope), queryFn: ({ signal }) => listRoles(scope, signal) });
  const [name, setName] = useState('');
  const reportName = useRef(onNameChange);
  reportName.current = onNameChange;
  useEffect(() => { reportName.current?.(name.trim() || null); }, [name]);
  // A backstop: the form's own buttons say so as they close it.
  useEffect(() => () => reportName.current?.(null), []);
  const [role, setRole] = useState<string | null>(VIEWER_ROLE[scope.level]);
  const [submitted, setSubmitted] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  useEffect(() => { nameInput.current?.focus(); }, []);

  const identifier = identifierFromName(name);
  const nameError = nameProblem(name) ?? (identifierProblem(identifier) ? 'Choose a name that starts with a letter' : null);
  const roleOptions = (roles.data ?? [])
    .filter((r) => !r.role.allowedScopeLevels?.length || r.role.allowedScopeLevels.includes(scope.level))
    .map((r) => ({ value: r.role.identifier, label: r.role.name }));

  const create = useMutation({
    mutationFn: async (identifier: string) => {
      const group = await createUserGroup(scope, { identifier, name: name.trim(), description: '', tags: {}, users: [], serviceAccounts: [] });
      try {
        await createRoleAssignment(scope, {
          roleIdentifier: role!, resourceGroupIdentifier: ALL_RESOURCES[scope.level], principal: { identifier, type: 'USER_GROUP' },
        });
      } catch (e) {
        // A group without its role would be the trap this is here to avoid: take it back.
        await deleteUserGroup(scope, identifier).catch(() => undefined);
        throw e;
      }
      return group;
    },
    onSuccess: async (group) => {
      await Promise.all([userGroupKeys.all, roleAssignmentKeys.all, accessKeys.all].map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      onCreated(group);
    },
  });
  // The Id is made from the name, and this form shows no Id field: a taken one is said at the name.
  const taken = isDuplicate(create.error) && create.variables === identifier
    ? `A user group with the Id ${identifier} already exists here: choose another Group name, or select that group under User Groups.`
    : null;
  const submit = () => {
    setSubmitted(true);
    if (nameError || !role || create.isPending) return;
    create.mutate(identifier);
  };

  return (
    <Paper withBorder p="sm" radius="md" role="group" aria-label="New User Group">
      <Stack gap="xs">
        <Text size="sm" fw={600}>New User Group</Text>
        <TextInput ref={nameInput} label="Group name" required value={name} maxLength={128}
          description={identifier ? `Id: ${identifier}` : 'The group is made in this scope, with no users; the new API key joins it.'}
          error={(submitted ? nameError : typedNameProblem(name)) ?? taken} onChange={(e) => setName(e.currentTarget.value)}
          // Enter makes the group; it must not submit the Add API Key form around it.
          onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); submit(); } }} />
        <Select label="Role" required data={roleOptions} value={role} onChange={setRole} allowDeselect={false} searchable
          placeholder={roles.isPending ? 'Loading…' : 'Choose a role'} error={submitted && !role ? 'Choose a role' : null}
          description={`The group gets this role on all resources of ${describeScope(scope)}.`} comboboxProps={{ withinPortal: true }} />
        {roles.isError && <ActionError error={roles.error} title="The roles could not be loaded" />}
        {/* Said at the Group name while it is the one sent; gone, not left here, once the name changes. */}
        <ActionError error={create.error} duplicateAtField title="The user group was not created" />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onCancel} disabled={create.isPending}>Discard</Button>
          <Button size="xs" onClick={submit} loading={create.isPending}>Create User Group</Button>
        </Group>
      </Stack>
    </Paper>
  );
}
