// The user groups a service account belongs to, with the roles each group holds in this scope: the
// rights a service account of the older document's Add API Key has, which it holds through its groups.
import { Badge, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { listUserGroups, userGroupKeys } from '../../api/accessControl';
import { useScopeAssignments } from '../../components/RoleAssignments';
import { describeScope, useScope } from '../../app/scope';
import { DataList } from '../../components/DataList';
import { ErrorState, LoadingState } from '../../components/states';
import { groupsOf } from './addApiKeyServiceAccount';

/** The user groups (that the caller may see) with this service account as a member; the list for the Service Accounts tab too. */
export function useServiceAccountGroups() {
  const scope = useScope();
  return useQuery({ queryKey: userGroupKeys.list(scope), queryFn: ({ signal }) => listUserGroups(scope, signal) });
}

/**
 * The user groups of `groups` that give their members a role here: those with an enabled assignment
 * that the caller can see (all of them while the assignments are not read yet, or cannot be).
 */
export function useGroupsGivingRoles() {
  const { assignments } = useScopeAssignments();
  return <T extends { identifier: string }>(groups: T[]): T[] => !assignments.isSuccess ? groups
    : groups.filter((g) => assignments.data.some((a) => a.roleAssignment.principal.type === 'USER_GROUP'
      && a.roleAssignment.principal.identifier === g.identifier && !a.roleAssignment.disabled));
}

/** "Service account x" inside a sentence: "service account x". */
const midSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

export function ServiceAccountGroups({ identifier, label }: { identifier: string; label: string }) {
  const scope = useScope();
  const groups = useServiceAccountGroups();
  const mine = groupsOf(groups.data, identifier);
  // The Role Assignments panel above makes the same queries, so no extra requests.
  const { assignments, roleName, resourceGroupName } = useScopeAssignments();
  const rolesOf = (group: string) => (assignments.data ?? []).filter((a) =>
    a.roleAssignment.principal.type === 'USER_GROUP' && a.roleAssignment.principal.identifier === group);

  if (groups.isPending) return <LoadingState label="Loading user groups…" />;
  if (groups.isError) return <ErrorState error={groups.error} what="the user groups" onRetry={() => groups.refetch()} />;
  if (mine.length === 0) {
    return <Text size="sm" c="dimmed">{label} is not a member of any user group that you can see in {describeScope(scope)}.</Text>;
  }
  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">{label} has the roles of these groups in {describeScope(scope)}, besides any of its own.</Text>
      <DataList label={`User groups of ${label}`} rows={mine} rowKey={(g) => g.identifier} rowName={(g) => g.identifier}
        columns={[
          { key: 'group', header: 'User group', render: (g) => (
            <Stack gap={2}>
              <Text size="sm" fw={600}>{g.name}</Text>
              <Text size="xs" c="dimmed">Id: {g.identifier}</Text>
            </Stack>
          ) },
          { key: 'roles', header: 'Roles of the group', render: (g) => {
            if (assignments.isPending) return <Text size="sm" c="dimmed">Loading…</Text>;
            if (assignments.isError) return <Text size="sm" c="dimmed">Not known (the role assignments could not be read)</Text>;
            const list = rolesOf(g.identifier);
            if (list.length === 0) return <Text size="sm" c="dimmed">No roles that you can see: through it, {midSentence(label)} can do nothing here</Text>;
            return (
              <Group gap={4}>
                {list.map((a) => (
                  <Badge key={a.roleAssignment.identifier} variant="light" tt="none" color={a.roleAssignment.disabled ? 'gray' : undefined}>
                    {roleName(a.roleAssignment.roleIdentifier)} · {resourceGroupName(a.roleAssignment.resourceGroupIdentifier)}
                    {a.roleAssignment.disabled ? ' (disabled)' : ''}
                  </Badge>
                ))}
              </Group>
            );
          } },
        ]} />
    </Stack>
  );
}
