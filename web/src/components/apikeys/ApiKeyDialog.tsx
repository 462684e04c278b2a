// "+ API Key" and More Options → Edit for an API key: Name, Id (derived, then fixed), Description, Tags.
import { useState, type ReactNode } from 'react';
import { NumberInput, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createApiKey, refreshApiKeys, updateApiKey, type Owner } from '../../api/apiKeys';
import { describeError } from '../../api/errors';
import type { ApiKey, Scope } from '../../api/types';
import { DAY_MS, DEFAULT_TOKEN_LIFETIME_MS } from '../../lib/dates';
import { descriptionProblem, identifierProblem, nameProblem } from '../../lib/identifier';
import { chipsToTags, tagsToChips } from '../../lib/tags';
import { Dialog } from '../Dialog';
import { DescriptionField, NameAndIdFields, TagsField, useNameAndId } from '../fields';
import { FormButtons } from '../FormButtons';
import { ActionError } from '../states';

/**
 * The message that follows a new key, pointing at + Token: it has done its work once + Token is
 * opened for that key (TokenDialog closes it), rather than staying over the page, stale, for its 4 s.
 */
export const addTokenHintId = (key: ApiKey) =>
  `add-token-hint:${key.accountIdentifier}/${key.orgIdentifier ?? ''}/${key.projectIdentifier ?? ''}/${key.apiKeyType}/${key.parentIdentifier}/${key.identifier}`;

interface ApiKeyDialogProps {
  opened: boolean;
  onClose: () => void;
  scope: Scope;
  owner: Owner;
  existing?: ApiKey | null;
  /** The older document's dialogs say "Submit"; the newer one's say "Save". */
  submitLabel?: string;
  /** Fields beyond the key's own (an Add API Key key's user groups), saved after the key. */
  more?: MoreFields;
}

export interface MoreFields {
  /** The fields; `submitted` says whether to show their problems. */
  render: (submitted: boolean) => ReactNode;
  /** What keeps the form from being saved, or null. */
  problem: string | null;
  /** Saves them, once the key is saved. */
  save: (saved: ApiKey) => Promise<void>;
}

/** The key was saved, the fields beyond it were not (entirely). */
class SavedInPart extends Error {}

export function ApiKeyDialog({ opened, onClose, ...rest }: ApiKeyDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title={rest.existing ? 'Edit API Key' : 'New API Key'} centered size="lg">
      {opened && <ApiKeyForm onClose={onClose} {...rest} />}
    </Dialog>
  );
}

function ApiKeyForm({ onClose, scope, owner, existing, submitLabel = 'Save', more }: Omit<ApiKeyDialogProps, 'opened'>) {
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
    mutationFn: async () => {
      const input = {
        name: ids.name.trim(), description, tags: chipsToTags(tags),
        defaultTimeToExpireToken: Math.round(days * DAY_MS),
      };
      const saved = existing ? await updateApiKey(existing, input) : await createApiKey(scope, owner, { ...input, identifier: ids.id });
      try {
        await more?.save(saved);
      } catch (e) {
        throw new SavedInPart(describeError(e));
      }
      return saved;
    },
    onSuccess: async (key) => {
      await refreshApiKeys(queryClient);
      notifications.show(existing
        ? { color: 'teal', message: `API Key ${key.name} saved.` }
        : { id: addTokenHintId(key), color: 'teal', message: `API Key ${key.name} created. Now add a token to it with + Token.` });
      onClose();
    },
    // Saved in part: the lists show what was saved.
    onError: () => { void refreshApiKeys(queryClient); },
  });

  return (
    <form onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || descriptionError || lifetimeError || more?.problem) return;
      ids.send();
      save.mutate();
    }} noValidate>
      <Stack>
        <NameAndIdFields state={ids} locked={!!existing} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus
          taken={{ refusal: save.error, thing: 'An API key' }} />
        <DescriptionField value={description} onChange={setDescription} error={descriptionError} />
        <TagsField value={tags} onChange={setTags} />
        <NumberInput label="Default token lifetime (days)" value={lifetimeDays} onChange={setLifetimeDays} min={0.01} decimalScale={2}
          // Not clamped: a 0 typed stays 0 and is refused with a message, instead of turning into 0.01 unseen.
          clampBehavior="none"
          description="Tokens generated without Set Expiration Date expire this many days after they are made."
          error={submitted ? lifetimeError : null} />
        {more?.render(submitted)}
        <ActionError error={save.error} limit="apiKeys" duplicateAtField title={save.error instanceof SavedInPart ? 'The API Key was saved, but not everything else'
          : existing ? 'The API Key was not saved' : 'The API Key was not created'} />
        <FormButtons onCancel={onClose} pending={save.isPending} submitLabel={submitLabel} lockCancel />
      </Stack>
    </form>
  );
}
