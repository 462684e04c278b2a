// Create or edit a service account: Name, Id (derived), Email (derived, fixed once saved), Description, Tags.
import { useState } from 'react';
import { Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createServiceAccount, serviceAccountEmail, serviceAccountKeys, updateServiceAccount } from '../../api/serviceAccounts';
import type { ServiceAccount } from '../../api/types';
import { useScope } from '../../app/scope';
import { Dialog } from '../../components/Dialog';
import { DescriptionField, NameAndIdFields, TagsField, useNameAndId } from '../../components/fields';
import { FormButtons } from '../../components/FormButtons';
import { ActionError } from '../../components/states';
import { descriptionProblem, identifierProblem, isEmail, nameProblem } from '../../lib/identifier';
import { chipsToTags, tagsToChips } from '../../lib/tags';

export function ServiceAccountDialog({ opened, existing, onClose, onCreated }: {
  opened: boolean; existing: ServiceAccount | null; onClose: () => void; onCreated?: (sa: ServiceAccount) => void;
}) {
  return (
    <Dialog opened={opened} onClose={onClose} centered size="lg" title={existing ? 'Edit Service Account' : 'New Service Account'}>
      {opened && <ServiceAccountForm existing={existing} onClose={onClose} onCreated={onCreated} />}
    </Dialog>
  );
}

function ServiceAccountForm({ existing, onClose, onCreated }: { existing: ServiceAccount | null; onClose: () => void; onCreated?: (sa: ServiceAccount) => void }) {
  const scope = useScope();
  const queryClient = useQueryClient();
  const ids = useNameAndId(existing?.name ?? '', existing?.identifier ?? '');
  const [email, setEmail] = useState(existing?.email ?? '');
  const [emailTouched, setEmailTouched] = useState(!!existing);
  const [description, setDescription] = useState(existing?.description ?? '');
  const [tags, setTags] = useState(tagsToChips(existing?.tags));
  const [submitted, setSubmitted] = useState(false);
  const shownEmail = emailTouched ? email : ids.id ? serviceAccountEmail(ids.id) : '';
  const nameError = nameProblem(ids.name);
  const idError = existing ? null : identifierProblem(ids.id);
  const emailError = isEmail(shownEmail.trim()) ? null : 'Enter a valid email address';
  const save = useMutation({
    mutationFn: () => existing
      ? updateServiceAccount(existing, { name: ids.name.trim(), description, tags: chipsToTags(tags) })
      : createServiceAccount(scope, { identifier: ids.id, name: ids.name.trim(), email: shownEmail.trim(), description, tags: chipsToTags(tags) }),
    onSuccess: async (sa) => {
      await queryClient.invalidateQueries({ queryKey: serviceAccountKeys.all });
      onClose();
      // A new one's page says it was created (a notice would cover its + API Key button).
      if (existing) notifications.show({ color: 'teal', message: `Service account ${sa.name} saved.` });
      else onCreated?.(sa);
    },
  });
  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || emailError || descriptionProblem(description)) return;
      ids.send();
      save.mutate();
    }}>
      <Stack>
        <NameAndIdFields state={ids} locked={!!existing} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus
          taken={{ refusal: save.error, thing: 'A service account' }} />
        <TextInput label="Email" type="email" value={shownEmail} readOnly={!!existing} required={!existing}
          description={existing ? 'The email cannot be changed.' : 'Made from the Id; you can change it until you save.'}
          onChange={(e) => { setEmail(e.currentTarget.value); setEmailTouched(true); }} error={submitted ? emailError : null} />
        <DescriptionField value={description} onChange={setDescription} error={descriptionProblem(description)} />
        <TagsField value={tags} onChange={setTags} />
        <ActionError error={save.error} duplicateAtField title="The service account was not saved" />
        <FormButtons onCancel={onClose} pending={save.isPending} />
      </Stack>
    </form>
  );
}
