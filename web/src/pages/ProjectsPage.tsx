// Projects: those of the organization in scope, or of every organization at account scope.
import { useState } from 'react';
import { Anchor, ColorInput, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accessKeys } from '../api/accessChecks';
import { createProject, deleteProject, listOrganizations, listProjects, organizationKeys, projectKeys, updateProject } from '../api/organizations';
import type { ProjectResponse } from '../api/types';
import { allOf, anyOf, LOADING, PERMITTED, useAccessEach, type Access } from '../app/access';
import * as needs from '../app/needs';
import { useScope, useSetScope, type CurrentScope } from '../app/scope';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DataList } from '../components/DataList';
import { Dialog } from '../components/Dialog';
import { DescriptionField, NameAndIdFields, TagsField, useNameAndId } from '../components/fields';
import { FormButtons } from '../components/FormButtons';
import { IconPlus } from '../components/icons';
import { deleteOption, editOption, MoreOptions } from '../components/MoreOptions';
import { PageHeader } from '../components/PageHeader';
import { PermittedButton } from '../components/PermittedButton';
import { ActionError, EmptyState, ErrorState, LoadingState, PermittedHint } from '../components/states';
import { TagList } from '../components/TagList';
import { descriptionProblem, identifierProblem, nameProblem } from '../lib/identifier';
import { chipsToTags, tagsToChips } from '../lib/tags';
import { DateText } from '../components/DateText';

const TRAIL = [{ label: 'Account Settings', to: '/account-settings' }];

/**
 * New Project makes the project in the organization in scope or, at account scope, in the one the
 * person chooses: then it is offered when they may create projects in any organization they see.
 */
function useProjectCreation(scope: CurrentScope): Access {
  const account = scope.accountIdentifier;
  const atAccount = !scope.orgIdentifier;
  const orgs = useQuery({ queryKey: organizationKeys.list(account), queryFn: ({ signal }) => listOrganizations(account, signal), enabled: atAccount });
  const each = useAccessEach(scope.orgIdentifier
    ? [needs.createProject(account, scope.orgIdentifier)]
    : (orgs.data ?? []).map((o) => needs.createProject(account, o.organization.identifier)));
  if (!atAccount) return allOf(each);
  // Without the list the person can still choose an organization the server then judges.
  if (orgs.isError) return PERMITTED;
  return anyOf(orgs.isPending ? [LOADING] : each,
    { permission: 'core_project_create', action: 'create projects in any organization you can see' });
}

export function ProjectsPage() {
  const scope = useScope();
  const setScope = useSetScope();
  const queryClient = useQueryClient();
  const account = scope.accountIdentifier;
  const projects = useQuery({
    queryKey: projectKeys.list(account, scope.orgIdentifier),
    queryFn: ({ signal }) => listProjects(account, scope.orgIdentifier, signal),
  });
  const [editing, setEditing] = useState<ProjectResponse | 'new' | null>(null);
  const [deleting, setDeleting] = useState<ProjectResponse | null>(null);
  const rows = (projects.data ?? []).filter((p) => !scope.orgIdentifier || p.project.orgIdentifier === scope.orgIdentifier);
  const canCreate = useProjectCreation(scope);

  return (
    <>
      <PageHeader title="Projects" trail={TRAIL}
        description={scope.orgIdentifier ? `Projects of organization ${scope.orgIdentifier}.` : 'Projects of every organization. Choose an organization in the scope switcher to see only its projects.'}
        actions={<PermittedButton access={canCreate} leftSection={<IconPlus />} onClick={() => setEditing('new')}>New Project</PermittedButton>} />
      {projects.isPending ? <LoadingState label="Loading projects…" />
        : projects.isError ? <ErrorState error={projects.error} what="the projects" onRetry={() => projects.refetch()} />
        : rows.length === 0 ? (
          <EmptyState title="No projects">
            <PermittedHint access={canCreate}>
              Select New Project to create one. A project holds its own service accounts, user groups and API keys.
            </PermittedHint>
          </EmptyState>
        ) : (
          <DataList label="Projects" rows={rows} rowKey={(p) => `${p.project.orgIdentifier}/${p.project.identifier}`} rowName={(p) => p.project.identifier}
            columns={[
              { key: 'name', header: 'Project', render: (p) => (
                <Stack gap={2}>
                  <Group gap={6} wrap="nowrap">
                    {p.project.color && <span aria-hidden style={{ width: 10, height: 10, borderRadius: 5, background: p.project.color, flexShrink: 0 }} />}
                    <Anchor component="button" type="button" fw={600} ta="left" title="Work in this project"
                      onClick={() => setScope({ accountIdentifier: account, orgIdentifier: p.project.orgIdentifier, projectIdentifier: p.project.identifier })}>
                      {p.project.name}
                    </Anchor>
                  </Group>
                  <Text size="xs" c="dimmed">Id: {p.project.identifier}</Text>
                </Stack>
              ) },
              { key: 'org', header: 'Organization', render: (p) => <Text size="sm">{p.project.orgIdentifier}</Text> },
              { key: 'description', header: 'Description', render: (p) => (
                <Stack gap={4}><Text size="sm">{p.project.description || '—'}</Text><TagList tags={p.project.tags} /></Stack>
              ), hideOnMobile: true },
              { key: 'created', header: 'Created', render: (p) => <Text size="sm"><DateText at={p.createdAt} /></Text>, hideOnMobile: true },
            ]}
            actions={(p) => (
              <MoreOptions of={`project ${p.project.name}`} options={[
                editOption(() => setEditing(p)),
                deleteOption(() => setDeleting(p)),
              ]} />
            )} />
        )}
      <Dialog opened={editing !== null} onClose={() => setEditing(null)} centered size="lg" title={editing === 'new' ? 'New Project' : 'Edit Project'}>
        {editing !== null && <ProjectForm account={account} defaultOrg={scope.orgIdentifier} existing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </Dialog>
      {deleting && (
        <ConfirmDialog opened title="Delete Project" onClose={() => setDeleting(null)} onConfirm={async () => {
          await deleteProject(account, deleting.project.orgIdentifier, deleting.project.identifier);
          await queryClient.invalidateQueries({ queryKey: projectKeys.all });
          await queryClient.invalidateQueries({ queryKey: accessKeys.all });
          if (scope.projectIdentifier === deleting.project.identifier) setScope({ ...scope, projectIdentifier: null });
          notifications.show({ color: 'teal', message: `Project ${deleting.project.name} was deleted.` });
        }}>
          Delete the project <b>{deleting.project.name}</b> ({deleting.project.orgIdentifier} / {deleting.project.identifier})? Everything inside it
          goes too: its service accounts, user groups, roles, resource groups, role assignments and every API key and token created in it.
          Tokens stop working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}

function ProjectForm({ account, defaultOrg, existing, onClose }: { account: string; defaultOrg: string | null; existing: ProjectResponse | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const orgs = useQuery({ queryKey: organizationKeys.list(account), queryFn: ({ signal }) => listOrganizations(account, signal) });
  const ids = useNameAndId(existing?.project.name ?? '', existing?.project.identifier ?? '');
  const [org, setOrg] = useState(existing?.project.orgIdentifier ?? defaultOrg ?? '');
  const [color, setColor] = useState(existing?.project.color ?? '#0063F7');
  const [description, setDescription] = useState(existing?.project.description ?? '');
  const [tags, setTags] = useState(tagsToChips(existing?.project.tags));
  const [submitted, setSubmitted] = useState(false);
  // A project's Id is unique in its organization: a refusal as taken is about the organization it was sent with.
  const [sentOrg, setSentOrg] = useState(org);
  const nameError = nameProblem(ids.name);
  const idError = existing ? null : identifierProblem(ids.id);
  const orgError = org ? null : 'Choose the organization';
  const save = useMutation({
    mutationFn: () => {
      const project = {
        identifier: ids.id, orgIdentifier: org, name: ids.name.trim(), color, modules: existing?.project.modules ?? [],
        description, tags: chipsToTags(tags),
      };
      return existing ? updateProject(account, project) : createProject(account, project);
    },
    onSuccess: async (res) => {
      await queryClient.invalidateQueries({ queryKey: projectKeys.all });
      // Its creator becomes its admin.
      if (!existing) await queryClient.invalidateQueries({ queryKey: accessKeys.all });
      notifications.show({ color: 'teal', message: `Project ${res.project.name} saved.` });
      onClose();
    },
  });
  const orgOptions = [{ value: '', label: 'Choose an organization' }, ...(orgs.data ?? []).map((o) => ({ value: o.organization.identifier, label: `${o.organization.name} (${o.organization.identifier})` }))];
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || orgError || descriptionProblem(description)) return;
      ids.send();
      setSentOrg(org);
      save.mutate();
    }}>
      <Stack>
        {/* The dialog starts on its first field (the organization, fixed once the project exists), not on ✕. */}
        <NativeSelect label="Organization" data={orgOptions} value={org} onChange={(e) => setOrg(e.currentTarget.value)} disabled={!!existing}
          error={submitted ? orgError : null} required data-autofocus={!existing || undefined} />
        <NameAndIdFields state={ids} locked={!!existing} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null}
          autoFocus={!!existing}
          taken={{ refusal: org === sentOrg ? save.error : null, thing: 'A project', where: `in organization ${org}` }} />
        <ColorInput label="Color" value={color} onChange={setColor} format="hex"
          eyeDropperButtonProps={{ 'aria-label': 'Pick the color from the screen' }} />
        <DescriptionField value={description} onChange={setDescription} error={descriptionProblem(description)} />
        <TagsField value={tags} onChange={setTags} />
        <ActionError error={save.error} duplicateAtField title="The project was not saved" />
        <FormButtons onCancel={onClose} pending={save.isPending} />
      </Stack>
    </form>
  );
}
