// Resource groups: which resources a role applies to. Managed ones are read-only.
import { useMemo, useState } from 'react';
import { Badge, Checkbox, Group, MultiSelect, Radio, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accessKeys } from '../../api/accessChecks';
import { createResourceGroup, deleteResourceGroup, listResourceGroups, resourceGroupKeys, updateResourceGroup } from '../../api/accessControl';
import type { ResourceGroup, ResourceGroupResponse } from '../../api/types';
import { useAccess } from '../../app/access';
import * as needs from '../../app/needs';
import { describeScope, useScope } from '../../app/scope';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataList } from '../../components/DataList';
import { Dialog } from '../../components/Dialog';
import { DescriptionField, NameAndIdFields, useNameAndId } from '../../components/fields';
import { FormButtons } from '../../components/FormButtons';
import { SearchedList, useListSearch } from '../../components/ListSearch';
import { IconPlus } from '../../components/icons';
import { deleteOption, editOption, MoreOptions } from '../../components/MoreOptions';
import { PermittedButton } from '../../components/PermittedButton';
import { ActionError, EmptyState, ErrorState, LoadingState } from '../../components/states';
import { descriptionProblem, identifierProblem, nameProblem } from '../../lib/identifier';

const RESOURCE_TYPES = [
  { value: 'ORGANIZATION', label: 'Organizations' }, { value: 'PROJECT', label: 'Projects' }, { value: 'USER', label: 'Users' },
  { value: 'USERGROUP', label: 'User Groups' }, { value: 'SERVICEACCOUNT', label: 'Service Accounts' }, { value: 'ROLE', label: 'Roles' },
  { value: 'RESOURCEGROUP', label: 'Resource Groups' }, { value: 'AUDIT', label: 'Audit Trail' }, { value: 'ACCOUNT', label: 'Account' },
];
const typeLabel = (t: string) => RESOURCE_TYPES.find((r) => r.value === t)?.label ?? t;

const searchFields = ({ resourceGroup: g }: ResourceGroupResponse) => [g.name, g.identifier, g.description, ...Object.entries(g.tags ?? {}).flat()];

function describeResources(g: ResourceGroup): string {
  if (g.resourceFilter?.includeAllResources) return 'All resources';
  return (g.resourceFilter?.resources ?? []).map((r) => r.identifiers?.length ? `${typeLabel(r.resourceType)}: ${r.identifiers.join(', ')}` : `All ${typeLabel(r.resourceType)}`).join('; ') || 'Nothing';
}

export function ResourceGroupsTab() {
  const scope = useScope();
  const queryClient = useQueryClient();
  const groups = useQuery({ queryKey: resourceGroupKeys.list(scope), queryFn: ({ signal }) => listResourceGroups(scope, signal) });
  const [editing, setEditing] = useState<ResourceGroupResponse | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ResourceGroupResponse | null>(null);
  const rows = useMemo(() => [...(groups.data ?? [])].sort((a, b) =>
    Number(b.harnessManaged) - Number(a.harnessManaged) || a.resourceGroup.name.localeCompare(b.resourceGroup.name)), [groups.data]);
  const search = useListSearch(rows, searchFields);
  const canCreate = useAccess([needs.createResourceGroup(scope)]);

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>Resource groups of {describeScope(scope)}. A role assignment pairs a role with one of these.</Text>
        <PermittedButton access={canCreate} leftSection={<IconPlus />} onClick={() => setEditing('new')}>New Resource Group</PermittedButton>
      </Group>
      {groups.isPending ? <LoadingState label="Loading resource groups…" />
        : groups.isError ? <ErrorState error={groups.error} what="the resource groups" onRetry={() => groups.refetch()} />
        // The managed resource groups are in every scope: an empty list means the caller may not view them here.
        : rows.length === 0 ? (
          <EmptyState title="No resource groups that you can see in this scope">
            Seeing the resource groups here takes permission to view resource groups (core_resourcegroup_view). Ask an account admin for a role that grants it.
          </EmptyState>
        )
        : (
          <SearchedList search={search} label="Search resource groups" placeholder="Search by name or Id">{(shown) => (
            <DataList label="Resource groups" rows={shown} rowKey={(g) => g.resourceGroup.identifier} rowName={(g) => g.resourceGroup.identifier}
              columns={[
                { key: 'name', header: 'Resource group', render: (g) => (
                  <Stack gap={2}>
                    <Group gap={6}><Text size="sm" fw={600}>{g.resourceGroup.name}</Text>{g.harnessManaged && <Badge size="xs" variant="outline" color="gray">Managed</Badge>}</Group>
                    <Text size="xs" c="dimmed">Id: {g.resourceGroup.identifier}</Text>
                  </Stack>
                ) },
                { key: 'resources', header: 'Resources', render: (g) => <Text size="sm">{describeResources(g.resourceGroup)}</Text> },
                { key: 'children', header: 'Child scopes', render: (g) => (
                  <Text size="sm">{(g.resourceGroup.includedScopes ?? []).some((s) => s.filter === 'INCLUDING_CHILD_SCOPES') ? 'Included' : 'Not included'}</Text>
                ) },
              ]}
              actions={(g) => g.harnessManaged ? null : (
                <MoreOptions of={`resource group ${g.resourceGroup.name}`} options={[
                  editOption(() => setEditing(g)),
                  deleteOption(() => setDeleting(g)),
                ]} />
              )} />
          )}</SearchedList>
        )}
      <Dialog opened={editing !== null} onClose={() => setEditing(null)} centered size="lg" title={editing === 'new' ? 'New Resource Group' : 'Edit Resource Group'}>
        {editing !== null && <ResourceGroupForm existing={editing === 'new' ? null : editing.resourceGroup} onClose={() => setEditing(null)} />}
      </Dialog>
      {deleting && (
        <ConfirmDialog opened title="Delete Resource Group" onClose={() => setDeleting(null)} onConfirm={async () => {
          await deleteResourceGroup(scope, deleting.resourceGroup.identifier);
          await queryClient.invalidateQueries({ queryKey: resourceGroupKeys.all });
          await queryClient.invalidateQueries({ queryKey: accessKeys.all });
          notifications.show({ color: 'teal', message: `Resource group ${deleting.resourceGroup.name} was deleted.` });
        }}>
          Delete the resource group <b>{deleting.resourceGroup.name}</b>? A resource group that is still used by role assignments cannot be deleted.
        </ConfirmDialog>
      )}
    </Stack>
  );
}

function ResourceGroupForm({ existing, onClose }: { existing: ResourceGroup | null; onClose: () => void }) {
  const scope = useScope();
  const queryClient = useQueryClient();
  const ids = useNameAndId(existing?.name ?? '', existing?.identifier ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [children, setChildren] = useState((existing?.includedScopes ?? []).some((s) => s.filter === 'INCLUDING_CHILD_SCOPES'));
  const [all, setAll] = useState(existing ? existing.resourceFilter.includeAllResources : false);
  const [types, setTypes] = useState<string[]>((existing?.resourceFilter.resources ?? []).map((r) => r.resourceType));
  const [identifiers, setIdentifiers] = useState<Record<string, string[]>>(
    Object.fromEntries((existing?.resourceFilter.resources ?? []).map((r) => [r.resourceType, r.identifiers ?? []])));
  const [submitted, setSubmitted] = useState(false);
  const nameError = nameProblem(ids.name);
  const idError = existing ? null : identifierProblem(ids.id);
  const typesError = !all && types.length === 0 ? 'Choose at least one resource type, or All resources' : null;
  const save = useMutation({
    mutationFn: () => {
      const group: ResourceGroup = {
        identifier: ids.id, name: ids.name.trim(), description, tags: existing?.tags ?? {},
        includedScopes: [{ filter: children ? 'INCLUDING_CHILD_SCOPES' : 'EXCLUDING_CHILD_SCOPES', accountIdentifier: scope.accountIdentifier, orgIdentifier: scope.orgIdentifier, projectIdentifier: scope.projectIdentifier }],
        resourceFilter: { includeAllResources: all, resources: all ? [] : types.map((t) => ({ resourceType: t, identifiers: identifiers[t]?.length ? identifiers[t] : null })) },
      };
      return existing ? updateResourceGroup(scope, group) : createResourceGroup(scope, group);
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: resourceGroupKeys.all });
      await queryClient.invalidateQueries({ queryKey: accessKeys.all });
      notifications.show({ color: 'teal', message: `Resource group ${ids.name.trim()} saved.` });
      onClose();
    },
  });
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || typesError || descriptionProblem(description)) return;
      ids.send();
      save.mutate();
    }}>
      <Stack>
        <NameAndIdFields state={ids} locked={!!existing} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus
          taken={{ refusal: save.error, thing: 'A resource group' }} />
        <DescriptionField value={description} onChange={setDescription} error={descriptionProblem(description)} />
        {scope.level !== 'project' && (
          <Checkbox label="Include the resources of child scopes" checked={children} onChange={(e) => setChildren(e.currentTarget.checked)}
            description={scope.level === 'account' ? 'Also covers resources inside every organization and project.' : 'Also covers resources inside the projects of this organization.'} />
        )}
        <Radio.Group label="Resources" value={all ? 'all' : 'some'} onChange={(v) => setAll(v === 'all')}>
          <Stack gap="xs" mt="xs">
            <Radio value="all" label="All resources" />
            <Radio value="some" label="Only resources of these types" />
          </Stack>
        </Radio.Group>
        {!all && (
          <>
            <MultiSelect label="Resource types" data={RESOURCE_TYPES} value={types} onChange={setTypes} searchable error={submitted ? typesError : null}
              comboboxProps={{ withinPortal: true }} />
            {types.map((t) => (
              <TagsInput key={t} label={`Only these ${typeLabel(t)} (Ids)`} description="Leave empty for all of them." value={identifiers[t] ?? []}
                onChange={(v) => setIdentifiers((m) => ({ ...m, [t]: v }))} />
            ))}
          </>
        )}
        <ActionError error={save.error} duplicateAtField title="The resource group was not saved" />
        <FormButtons onCancel={onClose} pending={save.isPending} />
      </Stack>
    </form>
  );
}
