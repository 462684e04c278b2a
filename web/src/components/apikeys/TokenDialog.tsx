// "+ Token" (Generate Token, value shown once) and More Options → Edit for a token.
import { useEffect, useState } from 'react';
import { Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { apiKeyKeys, createToken, tokenKeys, updateToken } from '../../api/apiKeys';
import type { ApiKey, TokenAggregate } from '../../api/types';
import { DEFAULT_TOKEN_LIFETIME_MS, formatDateTime, formatDuration, formatUsDate, localIsoDate } from '../../lib/dates';
import { descriptionProblem, identifierProblem, nameProblem } from '../../lib/identifier';
import { chipsToTags, tagsToChips } from '../../lib/tags';
import { useAction } from '../../lib/useAction';
import { Dialog } from '../Dialog';
import { DescriptionField, ExpirationDateField, NameAndIdFields, TagsField, useExpirationDate, useNameAndId } from '../fields';
import { FormButtons } from '../FormButtons';
import { ActionError } from '../states';
import { TokenCreated } from '../TokenValue';
import { useMaxTokenLifetime } from './useLimits';
import { addTokenHintId } from './ApiKeyDialog';

interface TokenDialogProps {
  opened: boolean;
  onClose: () => void;
  apiKey: ApiKey;
  existing?: TokenAggregate | null;
}

export function TokenDialog({ opened, onClose, apiKey, existing }: TokenDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} centered size="lg" closeOnClickOutside={false}
      title={existing ? 'Edit Token' : `New Token for ${apiKey.name}`}>
      {/* Mounted only while open, so a generated value dies with the dialog. */}
      {opened && (existing
        ? <EditTokenForm onClose={onClose} token={existing} />
        : <NewTokenForm onClose={onClose} apiKey={apiKey} />)}
    </Dialog>
  );
}

function NewTokenForm({ onClose, apiKey }: { onClose: () => void; apiKey: ApiKey }) {
  const queryClient = useQueryClient();
  const ids = useNameAndId();
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  // The key's default lifetime, cut to the account's maximum when it has one (as the server does).
  const maxLifetime = useMaxTokenLifetime(apiKey.accountIdentifier);
  const expiry = useExpirationDate({ limit: { maxMs: maxLifetime } });
  const [submitted, setSubmitted] = useState(false);
  const [value, setValue] = useState<string | null>(null);
  const generate = useAction(createToken);
  // + Token is open: the message that pointed here, if still shown, has done its work.
  useEffect(() => { notifications.hide(addTokenHintId(apiKey)); }, [apiKey]);

  const keyLifetime = apiKey.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS;
  const lifetime = typeof maxLifetime === 'number' ? Math.min(keyLifetime, maxLifetime) : keyLifetime;
  const lifetimeSource = lifetime < keyLifetime
    ? `the account's maximum token lifetime of ${formatDuration(lifetime)}`
    : `the API key's default of ${formatDuration(lifetime)}`;
  const nameError = nameProblem(ids.name);
  const idError = identifierProblem(ids.id);

  if (value !== null) {
    return (
      <TokenCreated value={value} onDone={() => { setValue(null); onClose(); }}>
        Token <b>{ids.name}</b> was generated for API Key <b>{apiKey.name}</b>.
      </TokenCreated>
    );
  }

  return (
    <form noValidate onSubmit={async (e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || expiry.error || descriptionProblem(description)) return;
      ids.send();
      const result = await generate.run(apiKey, {
        identifier: ids.id, name: ids.name.trim(), description, tags: chipsToTags(tags),
        ...(expiry.validTo !== undefined ? { validTo: expiry.validTo } : {}),
      });
      if (result.ok) {
        setValue(result.value);
        void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
        void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all });
      }
    }}>
      <Stack>
        <NameAndIdFields state={ids} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus
          taken={{ refusal: generate.error, thing: 'A token', where: `in API key ${apiKey.name}` }} />
        <DescriptionField value={description} onChange={setDescription} error={descriptionProblem(description)} />
        <TagsField value={tags} onChange={setTags} />
        <ExpirationDateField state={expiry} error={submitted ? expiry.error : null}
          instead="Leave it unticked (the token then expires as said below), or ask an account admin to raise the limit."
          withoutDate={<>Without an expiration date, the token expires on <b>{formatDateTime(Date.now() + lifetime)}</b>, {lifetimeSource}.</>} />
        <ActionError error={generate.error} limit="tokens" duplicateAtField title="The token was not generated" />
        <FormButtons onCancel={onClose} pending={generate.pending} submitLabel="Generate Token" lockCancel />
      </Stack>
    </form>
  );
}

function EditTokenForm({ onClose, token }: { onClose: () => void; token: TokenAggregate }) {
  const queryClient = useQueryClient();
  const ids = useNameAndId(token.token.name, token.token.identifier);
  const [description, setDescription] = useState(token.token.description ?? '');
  const [tags, setTags] = useState(tagsToChips(token.token.tags));
  const expiresAt = token.expiryAt ?? token.token.validTo;
  const expired = !!expiresAt && expiresAt <= Date.now();
  const maxLifetime = useMaxTokenLifetime(token.token.accountIdentifier);
  // Ticking Set Expiration Date starts from the current date, unless that day is over or past the
  // account's maximum counted from the token's start (known first: until then the field waits).
  const currentDay = expiresAt ? localIsoDate(expiresAt) : null;
  const expiry = useExpirationDate({
    prefill: currentDay ? formatUsDate(currentDay) : null,
    limit: { maxMs: maxLifetime, validFrom: token.token.validFrom ?? token.createdAt },
  });
  const [submitted, setSubmitted] = useState(false);
  const save = useAction(updateToken);

  const nameError = nameProblem(ids.name);

  return (
    <form noValidate onSubmit={async (e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || expiry.error || descriptionProblem(description)) return;
      const result = await save.run(token.token, {
        name: ids.name.trim(), description, tags: chipsToTags(tags),
        ...(expiry.validTo !== undefined ? { validTo: expiry.validTo } : {}),
      });
      if (result.ok) {
        await queryClient.invalidateQueries({ queryKey: tokenKeys.all });
        notifications.show({ color: 'teal', message: `Token ${ids.name.trim()} saved.` });
        onClose();
      }
    }}>
      <Stack>
        <NameAndIdFields state={ids} locked nameError={submitted ? nameError : null} autoFocus />
        <DescriptionField value={description} onChange={setDescription} error={descriptionProblem(description)} />
        <TagsField value={tags} onChange={setTags} />
        <ExpirationDateField state={expiry} error={submitted ? expiry.error : null}
          instead={expired
            ? 'For a token that works again, create a new one with + Token under its API key, or ask an account admin to raise the limit.'
            : 'Leave it unticked to keep the current expiration date. For a later one, use Rotate Token (the new token starts now), or ask an account admin to raise the limit.'}
          withoutDate={!expiresAt ? <>The token does not expire. Select Set Expiration Date to give it a date.</>
            : expired ? <>The token expired on <b>{formatDateTime(expiresAt)}</b>. Select Set Expiration Date to give it a later date.</>
            : <>The token expires on <b>{formatDateTime(expiresAt)}</b>. Select Set Expiration Date to change it.</>} />
        <Text size="sm" c="dimmed">
          The token's value cannot be shown again or changed.{' '}
          {expired
            ? 'An expired token cannot be rotated: to get a new value, create a new token with + Token under its API key.'
            : 'To get a new value, use Rotate Token.'}
        </Text>
        <ActionError error={save.error} title="The token was not saved" />
        <FormButtons onCancel={onClose} pending={save.pending} lockCancel />
      </Stack>
    </form>
  );
}
