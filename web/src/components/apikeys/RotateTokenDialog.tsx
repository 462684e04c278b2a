// More Options → Rotate Token: how long the old value keeps working (rotateTimestamp), an optional
// new expiration date (validTo), and the new value shown once.
import { useState } from 'react';
import { Radio, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { apiKeyKeys, rotateToken, tokenKeys } from '../../api/apiKeys';
import type { TokenAggregate } from '../../api/types';
import { formatDateTime, formatUsDate, fromDateTimeLocal, localIsoDate, toDateTimeLocal } from '../../lib/dates';
import { lifetimeLimitProblem } from '../../lib/tokenLifetime';
import { useAction } from '../../lib/useAction';
import { Dialog } from '../Dialog';
import { ExpirationDateField, useExpirationDate } from '../fields';
import { FormButtons } from '../FormButtons';
import { ActionError } from '../states';
import { TokenCreated } from '../TokenValue';
import { useMaxTokenLifetime } from './useLimits';

type Grace = 'now' | '1h' | '24h' | 'custom';
const HOUR = 3600_000;

export function RotateTokenDialog({ opened, onClose, token }: { opened: boolean; onClose: () => void; token: TokenAggregate }) {
  return (
    <Dialog opened={opened} onClose={onClose} centered size="lg" closeOnClickOutside={false} title={`Rotate Token ${token.token.name}`}>
      {opened && <RotateForm onClose={onClose} token={token} />}
    </Dialog>
  );
}

function RotateForm({ onClose, token }: { onClose: () => void; token: TokenAggregate }) {
  const queryClient = useQueryClient();
  const [grace, setGrace] = useState<Grace>('now');
  const [until, setUntil] = useState(() => toDateTimeLocal(Date.now() + 2 * HOUR));
  const maxLifetime = useMaxTokenLifetime(token.token.accountIdentifier);
  // Ticking Set Expiration Date starts from the current date (as Edit Token does), unless that day
  // is over or lies past the account's maximum for a token starting now: then from an empty field,
  // its calendar on a month with days to choose.
  const currentDay = token.token.validTo ? localIsoDate(token.token.validTo) : null;
  const newExpiry = useExpirationDate({
    prefill: currentDay ? formatUsDate(currentDay) : null,
    limit: { maxMs: maxLifetime },
  });
  const [submitted, setSubmitted] = useState(false);
  const [result, setResult] = useState<{ value: string; oldUntil: number | null } | null>(null);
  const rotate = useAction(rotateToken);

  const expiry = token.expiryAt ?? token.token.validTo ?? Number.POSITIVE_INFINITY;
  const now = Date.now();
  const graceEnd = (g: Grace): number | null =>
    g === 'now' ? null : g === '1h' ? now + HOUR : g === '24h' ? now + 24 * HOUR : fromDateTimeLocal(until);
  const chosenEnd = graceEnd(grace);
  const graceError = grace === 'custom' && (chosenEnd === null || chosenEnd <= now)
    ? 'Choose a time in the future'
    : chosenEnd !== null && chosenEnd > expiry ? `The current token expires ${formatDateTime(expiry)}; choose a time before that` : null;
  // The new token starts now: keeping a far expiration date may outlast the account's maximum.
  const keptDateProblem = newExpiry.enabled ? null : lifetimeLimitProblem(now, token.token.validTo, maxLifetime,
    'select Set Expiration Date and choose a date');

  if (result) {
    return (
      <TokenCreated value={result.value} onDone={() => { setResult(null); onClose(); }}>
        Token <b>{token.token.name}</b> was rotated.{' '}
        {result.oldUntil ? <>The old value keeps working until <b>{formatDateTime(result.oldUntil)}</b>.</> : <>The old value no longer works.</>}
      </TokenCreated>
    );
  }

  return (
    // Enter on a radio or a checkbox would submit the form, rotating at once: only the button (or
    // Enter in a text field) does.
    <form noValidate onKeyDown={(e) => {
      const target = e.target as HTMLInputElement;
      if (e.key === 'Enter' && (target.type === 'radio' || target.type === 'checkbox')) e.preventDefault();
    }} onSubmit={async (e) => {
      e.preventDefault();
      setSubmitted(true);
      if (graceError || newExpiry.error || keptDateProblem) return;
      const end = graceEnd(grace);
      const r = await rotate.run(token.token, end ?? undefined, newExpiry.validTo);
      if (r.ok) {
        setResult({ value: r.value, oldUntil: end });
        void queryClient.invalidateQueries({ queryKey: tokenKeys.all });
        void queryClient.invalidateQueries({ queryKey: apiKeyKeys.all });
      }
    }}>
      <Stack>
        <Text size="sm">Rotating replaces the token's value. The new token keeps the Id, name, description and tags.</Text>
        <Radio.Group label="How long should the current value keep working?" value={grace} onChange={(v) => setGrace(v as Grace)}
          error={submitted && grace !== 'custom' ? graceError : null}>
          <Stack gap="xs" mt="xs">
            <Radio value="now" label="Stop it now" data-autofocus />
            <Radio value="1h" label="1 hour" disabled={now + HOUR > expiry}
              description={now + HOUR > expiry ? 'Not available: the token expires before then.' : undefined} />
            <Radio value="24h" label="24 hours" disabled={now + 24 * HOUR > expiry}
              description={now + 24 * HOUR > expiry ? 'Not available: the token expires before then.' : undefined} />
            <Radio value="custom" label="Until a time I choose" />
          </Stack>
        </Radio.Group>
        {grace === 'custom' && (
          <TextInput type="datetime-local" label="Current value works until" value={until} required
            onChange={(e) => setUntil(e.currentTarget.value)} error={submitted ? graceError : null}
            min={toDateTimeLocal(now)} />
        )}
        <ExpirationDateField state={newExpiry} error={submitted ? newExpiry.error : null}
          instead={keptDateProblem ? 'Ask an account admin to raise the limit.' : 'Leave it unticked to keep the current expiration date, or ask an account admin to raise the limit.'}
          withoutDate={keptDateProblem ? (
            <Text span inherit c="red" data-problem="kept-date">
              The new token would keep the current expiration date, <b>{formatDateTime(token.token.validTo)}</b>, which is too far away for a
              token starting now. {keptDateProblem}
            </Text>
          ) : <>The new token keeps the current expiration date: <b>{formatDateTime(token.token.validTo)}</b>.</>} />
        <ActionError error={rotate.error} title="The token was not rotated" />
        <FormButtons onCancel={onClose} pending={rotate.pending} submitLabel="Rotate Token" lockCancel />
      </Stack>
    </form>
  );
}
