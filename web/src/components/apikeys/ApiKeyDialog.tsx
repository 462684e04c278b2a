// "+ API Key" and More Options → Edit for an API key: Name, Id (derived, then fixed), Description, Tags.
import { useState } from 'react';
import { Modal, NumberInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiKeyKeys, createApiKey, tokenKeys, updateApiKey, type Owner } from '../../api/apiKeys';
import type { ApiKey, Scope } from '../../api/types';
import { DAY_MS, DEFAULT_TOKEN_LIFETIME_MS } from '../../lib/dates';
import { descriptionProblem, identifierProblem, nameProblem } from '../../lib/identifier';
import { chipsToTags, tagsToChips } from '../../lib/tags';
import { DescriptionField, NameAndIdFields, TagsField, useNameAndId } from '../fields';
import { FormButtons } from '../FormButtons';
import { ActionError } from '../states';

interface ApiKeyDialogProps {
  opened: boolean;
  onClose: () => void;
  scope: Scope;
  owner: Owner;
  existing?: ApiKey | null;
  /** The older document's dialogs say "Submit"; the newer one's say "Save". */
  submitLabel?: string;
}

export function ApiKeyDialog({ opened, onClose, ...rest }: ApiKeyDialogProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={rest.existing ? 'Edit API Key' : 'New API Key'} centered size="lg">
      {opened && <ApiKeyForm onClose={onClose} {...rest} />}
    </Modal>
  );
}

function ApiKeyForm({ onClose, scope, owner, existing, submitLabel = 'Save' }: Omit<ApiKeyDialogProps, 'opened'>) {
  const queryClient = useQueryClient();
  const ids = useNameAndId(existing?.name ?? '', existing?.identifier ?? '');
  const [description, setDescription] = useState(existing?.description ?? '');
  const [tags, setTags] = useState(tagsToChips(existing?.tags));
  const [lifetimeDays, setLifetimeDays] = useState<number | string>(
    Math.round(((existing?.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS) / DAY_MS) * 100) / 100);
  const [submitted, setSubmitted] = useState(false);

  const nameError = nameProblem(ids.name);
  const idError = existing ? null : identifierProblem(ids.id);
  const descriptionError = descriptionProblem(description);
  const days = typeof lifetimeDays === 'number' ? lifetimeDays : Number(lifetimeDays);
  const lifetimeError = !Number.isFinite(days) || days <= 0 ? 'Enter a number of days greater than 0' : null;

  const save = useMutation({
    mutationFn: () => {
      const input = {
        name: ids.name.trim(), description, tags: chipsToTags(tags),
        defaultTimeToExpireToken: Math.round(days * DAY_MS),
      };
      return existing ? updateApiKey(existing, input) : createApiKey(scope, owner, { ...input, identifier: ids.id });
    },
    onSuccess: async (key) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: apiKeyKeys.all }),
        queryClient.invalidateQueries({ queryKey: tokenKeys.all }),
      ]);
      notifications.show({ color: 'teal', message: existing ? `API Key ${key.name} saved.` : `API Key ${key.name} created. Now add a token to it with + Token.` });
      onClose();
    },
  });

  return (
    <form onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || descriptionError || lifetimeError) return;
      save.mutate();
    }} noValidate>
      <Stack>
        <NameAndIdFields state={ids} locked={!!existing} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus />
        <DescriptionField value={description} onChange={setDescription} error={descriptionError} />
        <TagsField value={tags} onChange={setTags} />
        <NumberInput label="Default token lifetime (days)" value={lifetimeDays} onChange={setLifetimeDays} min={0.01} decimalScale={2}
          description="Tokens generated without Set Expiration Date expire this many days after they are made."
          error={submitted ? lifetimeError : null} />
        <ActionError error={save.error} title={existing ? 'The API Key was not saved' : 'The API Key was not created'} />
        <FormButtons onCancel={onClose} pending={save.isPending} submitLabel={submitLabel} lockCancel />
      </Stack>
    </form>
  );
}
