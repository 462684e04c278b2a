// Organizations of the account: create, edit, delete (which deletes everything inside).
import { useState } from 'react';
import { Anchor, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { accessKeys } from '../api/accessChecks';
import { createOrganization, deleteOrganization, listOrganizations, organizationKeys, projectKeys, updateOrganization } from '../api/organizations';
import type { OrganizationResponse } from '../api/types';
import { useAccess } from '../app/access';
import * as needs from '../app/needs';
import { useScope, useSetScope } from '../app/scope';
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

export function OrganizationsPage() {
  const scope = useScope();
  const setScope = useSetScope();
  const queryClient = useQueryClient();
  const account = scope.accountIdentifier;
  const orgs = useQuery({ queryKey: organizationKeys.list(account), queryFn: ({ signal }) => listOrganizations(account, signal) });
  const [editing, setEditing] = useState<OrganizationResponse | 'new' | null>(null);
  const [deleting, setDeleting] = useState<OrganizationResponse | null>(null);
  const canCreate = useAccess([needs.createOrganization(scope)]);

  return (
    <>
      <PageHeader title="Organizations" trail={TRAIL} showScope={false}
        description="Organizations group projects, service accounts, user groups and API keys below the account."
        actions={<PermittedButton access={canCreate} leftSection={<IconPlus />} onClick={() => setEditing('new')}>New Organization</PermittedButton>} />
      {orgs.isPending ? <LoadingState label="Loading organizations…" />
        : orgs.isError ? <ErrorState error={orgs.error} what="the organizations" onRetry={() => orgs.refetch()} />
        : orgs.data.length === 0 ? (
          <EmptyState title="No organizations that you can see">
            <PermittedHint access={canCreate}>
              Select New Organization to create one; then create projects inside it on the Projects page.
            </PermittedHint>
          </EmptyState>
        ) : (
          <DataList label="Organizations" rows={orgs.data} rowKey={(o) => o.organization.identifier} rowName={(o) => o.organization.identifier}
            columns={[
              { key: 'name', header: 'Organization', render: (o) => (
                <Stack gap={2}>
                  <Anchor component="button" type="button" fw={600} ta="left" onClick={() =>
                    setScope({ accountIdentifier: account, orgIdentifier: o.organization.identifier, projectIdentifier: null })}
                    title="Work in this organization">{o.organization.name}</Anchor>
                  <Text size="xs" c="dimmed">Id: {o.organization.identifier}</Text>
                </Stack>
              ) },
              { key: 'description', header: 'Description', render: (o) => (
                <Stack gap={4}><Text size="sm">{o.organization.description || '—'}</Text><TagList tags={o.organization.tags} /></Stack>
              ) },
              { key: 'created', header: 'Created', render: (o) => <Text size="sm"><DateText at={o.createdAt} /></Text>, hideOnMobile: true },
              { key: 'projects', header: 'Projects', render: (o) => (
                <Anchor component={Link} size="sm" to={`/account-settings/projects?accountIdentifier=${encodeURIComponent(account)}&orgIdentifier=${encodeURIComponent(o.organization.identifier)}`}>
                  View projects
                </Anchor>
              ) },
            ]}
            actions={(o) => (
              <MoreOptions of={`organization ${o.organization.name}`} options={[
                editOption(() => setEditing(o)),
                deleteOption(() => setDeleting(o)),
              ]} />
            )} />
        )}
      <Dialog opened={editing !== null} onClose={() => setEditing(null)} centered size="lg"
        title={editing === 'new' ? 'New Organization' : 'Edit Organization'}>
        {editing !== null && <OrganizationForm account={account} existing={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      </Dialog>
      {deleting && (
        <ConfirmDialog opened title="Delete Organization" onClose={() => setDeleting(null)} onConfirm={async () => {
          await deleteOrganization(account, deleting.organization.identifier);
          await queryClient.invalidateQueries({ queryKey: organizationKeys.all });
          await queryClient.invalidateQueries({ queryKey: projectKeys.all });
          await queryClient.invalidateQueries({ queryKey: accessKeys.all });
          if (scope.orgIdentifier === deleting.organization.identifier) setScope({ accountIdentifier: account, orgIdentifier: null, projectIdentifier: null });
          notifications.show({ color: 'teal', message: `Organization ${deleting.organization.name} was deleted.` });
        }}>
          Delete the organization <b>{deleting.organization.name}</b> ({deleting.organization.identifier})? Everything inside it goes too:
          its projects, service accounts, user groups, roles, resource groups, role assignments, and every API key and token
          created in it. Tokens stop working at once. This cannot be undone.
        </ConfirmDialog>
      )}
    </>
  );
}

function OrganizationForm({ account, existing, onClose }: { account: string; existing: OrganizationResponse | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const ids = useNameAndId(existing?.organization.name ?? '', existing?.organization.identifier ?? '');
  const [description, setDescription] = useState(existing?.organization.description ?? '');
  const [tags, setTags] = useState(tagsToChips(existing?.organization.tags));
  const [submitted, setSubmitted] = useState(false);
  const nameError = nameProblem(ids.name);
  const idError = existing ? null : identifierProblem(ids.id);
  const save = useMutation({
    mutationFn: () => {
      const organization = { identifier: ids.id, name: ids.name.trim(), description, tags: chipsToTags(tags) };
      return existing ? updateOrganization(account, organization) : createOrganization(account, organization);
    },
    onSuccess: async (res) => {
      await queryClient.invalidateQueries({ queryKey: organizationKeys.all });
      // Its creator becomes its admin.
      if (!existing) await queryClient.invalidateQueries({ queryKey: accessKeys.all });
      notifications.show({ color: 'teal', message: `Organization ${res.organization.name} saved.` });
      onClose();
    },
  });
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
          taken={{ refusal: save.error, thing: 'An organization', where: 'in this account' }} />
        <DescriptionField value={description} onChange={setDescription} error={descriptionProblem(description)} />
        <TagsField value={tags} onChange={setTags} />
        <ActionError error={save.error} duplicateAtField title="The organization was not saved" />
        <FormButtons onCancel={onClose} pending={save.isPending} />
      </Stack>
    </form>
  );
}
