// Switches the scope every page works in: the account, one of its organizations, or a project.
import { NativeSelect, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { listOrganizations, listProjects, organizationKeys, projectKeys } from '../api/organizations';
import { describeError } from '../api/errors';
import { useScope, useSetScope } from './scope';

export function ScopeSwitcher() {
  const scope = useScope();
  const setScope = useSetScope();
  const orgs = useQuery({
    queryKey: organizationKeys.list(scope.accountIdentifier),
    queryFn: ({ signal }) => listOrganizations(scope.accountIdentifier, signal),
  });
  const projects = useQuery({
    queryKey: projectKeys.list(scope.accountIdentifier, scope.orgIdentifier),
    queryFn: ({ signal }) => listProjects(scope.accountIdentifier, scope.orgIdentifier, signal),
    enabled: !!scope.orgIdentifier,
  });

  const orgOptions = [
    { value: '', label: 'None (account level)' },
    ...(orgs.data ?? []).map((o) => ({ value: o.organization.identifier, label: `${o.organization.name} (${o.organization.identifier})` })),
  ];
  if (scope.orgIdentifier && !orgOptions.some((o) => o.value === scope.orgIdentifier)) {
    orgOptions.push({ value: scope.orgIdentifier, label: scope.orgIdentifier });
  }
  const projectOptions = [
    { value: '', label: scope.orgIdentifier ? 'None (organization level)' : 'None' },
    ...(projects.data ?? []).filter((p) => p.project.orgIdentifier === scope.orgIdentifier)
      .map((p) => ({ value: p.project.identifier, label: `${p.project.name} (${p.project.identifier})` })),
  ];
  if (scope.projectIdentifier && !projectOptions.some((o) => o.value === scope.projectIdentifier)) {
    projectOptions.push({ value: scope.projectIdentifier, label: scope.projectIdentifier });
  }

  // A name longer than the navigation is wide is cut off in the field: its title gives it whole.
  const labelOf = (options: { value: string; label: string }[], value: string | null) => options.find((o) => o.value === (value ?? ''))?.label;

  return (
    <Stack gap="xs" role="group" aria-label="Scope">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">Scope</Text>
      <NativeSelect label="Organization" size="sm" data={orgOptions} value={scope.orgIdentifier ?? ''} title={labelOf(orgOptions, scope.orgIdentifier)}
        error={orgs.isError ? describeError(orgs.error) : undefined}
        onChange={(e) => setScope({ accountIdentifier: scope.accountIdentifier, orgIdentifier: e.currentTarget.value || null, projectIdentifier: null })} />
      <NativeSelect label="Project" size="sm" data={projectOptions} value={scope.projectIdentifier ?? ''} title={labelOf(projectOptions, scope.projectIdentifier)}
        disabled={!scope.orgIdentifier}
        error={projects.isError ? describeError(projects.error) : undefined}
        onChange={(e) => setScope({ ...scope, projectIdentifier: e.currentTarget.value || null })} />
    </Stack>
  );
}
