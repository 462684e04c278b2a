// The older document's "Add API Key": a name and user groups → a service account in those groups
// (marked as the flow's), its API key and a token, shown once. A failure part-way undoes it all.
import { useState } from 'react';
import { List, Stack, ThemeIcon } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { listUserGroups, updateUserGroup, userGroupKeys } from '../../api/accessControl';
import { createApiKey, createToken } from '../../api/apiKeys';
import { describeError, isDuplicate } from '../../api/errors';
import { createServiceAccount, deleteServiceAccount, serviceAccountEmail } from '../../api/serviceAccounts';
import type { Scope, UserGroup } from '../../api/types';
import { NameAndIdFields, useNameAndId } from '../../components/fields';
import { FormButtons } from '../../components/FormButtons';
import { IconAlert, IconCheck } from '../../components/icons';
import { ActionError } from '../../components/states';
import { TokenCreated } from '../../components/TokenValue';
import { DEFAULT_TOKEN_LIFETIME_MS, formatDateTime } from '../../lib/dates';
import { identifierProblem, nameProblem } from '../../lib/identifier';
import { addApiKeyMarker } from './addApiKeyServiceAccount';
import { UserGroupsField } from './ApiKeyUserGroups';

type StepState = 'waiting' | 'running' | 'done' | 'failed' | 'undone';
interface Step { label: string; state: StepState }

/**
 * The older document's flow in four steps. A failure part-way undoes what was done (the group
 * memberships are restored and the service account, with any key and token, is deleted).
 */
export function AddApiKeyFlow({ scope, onClose, onChanged }: { scope: Scope; onClose: () => void; onChanged: () => Promise<unknown> }) {
  const groups = useQuery({ queryKey: userGroupKeys.list(scope), queryFn: ({ signal }) => listUserGroups(scope, signal) });
  const ids = useNameAndId();
  const [selected, setSelected] = useState<string[]>([]);
  const [submitted, setSubmitted] = useState(false);
  const [steps, setSteps] = useState<Step[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // The first step's refusal: a taken Id is said at the Id field, with nothing done to undo.
  const [refusal, setRefusal] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const [value, setValue] = useState<string | null>(null);
  const [summary, setSummary] = useState<{ sa: string; key: string; expires: number } | null>(null);

  const nameError = nameProblem(ids.name);
  const idError = identifierProblem(ids.id);
  // A group started under New User Group but not made yet: Submit would leave it out, or find no group.
  const [pendingGroup, setPendingGroup] = useState<string | null>(null);
  const groupsError = pendingGroup !== null ? `Select Create User Group to make the group ${pendingGroup} first, or Discard it`
    : selected.length === 0 ? 'Choose at least one user group' : null;

  async function run() {
    const chosen: UserGroup[] = (groups.data ?? []).filter((g) => selected.includes(g.identifier));
    const name = ids.name.trim();
    const plan: Step[] = [
      { label: `Create service account ${name}`, state: 'waiting' },
      { label: `Add it to ${chosen.map((g) => g.name).join(', ')}`, state: 'waiting' },
      { label: `Create API Key ${name}`, state: 'waiting' },
      { label: 'Generate its token', state: 'waiting' },
    ];
    const mark = (i: number, state: StepState) => { plan[i] = { ...plan[i], state }; setSteps([...plan]); };
    setSteps([...plan]);
    setFailure(null);
    setRefusal(null);
    ids.send();
    setRunning(true);

    let saCreated = false;
    const changedGroups: UserGroup[] = [];
    let step = 0;
    try {
      mark(0, 'running');
      const sa = await createServiceAccount(scope, { identifier: ids.id, name, email: serviceAccountEmail(ids.id), ...addApiKeyMarker() });
      saCreated = true;
      mark(0, 'done');

      step = 1;
      mark(1, 'running');
      for (const g of chosen) {
        await updateUserGroup(scope, {
          identifier: g.identifier, name: g.name, description: g.description ?? '', tags: g.tags ?? {},
          users: g.users, serviceAccounts: [...g.serviceAccounts.filter((s) => s !== sa.identifier), sa.identifier],
        });
        changedGroups.push(g);
      }
      mark(1, 'done');

      step = 2;
      mark(2, 'running');
      const key = await createApiKey(scope, { apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: sa.identifier }, {
        identifier: ids.id, name, description: '', tags: {}, defaultTimeToExpireToken: DEFAULT_TOKEN_LIFETIME_MS,
      });
      mark(2, 'done');

      step = 3;
      mark(3, 'running');
      const token = await createToken(key, { identifier: ids.id, name, description: '', tags: {} });
      mark(3, 'done');
      setSummary({ sa: sa.name, key: key.name, expires: Date.now() + (key.defaultTimeToExpireToken ?? DEFAULT_TOKEN_LIFETIME_MS) });
      setValue(token);
    } catch (error) {
      if (step === 0 && isDuplicate(error)) {
        setSteps(null);
        setRefusal(error);
        return;
      }
      mark(step, 'failed');
      const undoProblems: string[] = [];
      // Undo in reverse: restore each group's members, then delete the service account (which takes its key and token with it).
      for (const g of changedGroups.reverse()) {
        try {
          await updateUserGroup(scope, { identifier: g.identifier, name: g.name, description: g.description ?? '', tags: g.tags ?? {}, users: g.users, serviceAccounts: g.serviceAccounts });
        } catch (e) {
          undoProblems.push(`restoring the members of ${g.name} failed (${describeError(e)})`);
        }
      }
      if (saCreated) {
        try {
          await deleteServiceAccount({ ...scope, identifier: ids.id });
        } catch (e) {
          undoProblems.push(`deleting service account ${ids.id} failed (${describeError(e)})`);
        }
      }
      for (let i = 0; i < step; i++) if (plan[i].state === 'done') mark(i, undoProblems.length ? 'done' : 'undone');
      setFailure(`"${plan[step].label}" failed: ${describeError(error)} ` + (undoProblems.length
        ? `Cleaning up did not fully work: ${undoProblems.join('; ')}. Remove what is left by hand.`
        : step > 0 ? 'Everything done before it was undone, so nothing was left behind.' : 'Nothing was created.'));
    } finally {
      setRunning(false);
      await onChanged().catch(() => undefined);
    }
  }

  if (value !== null && summary) {
    return (
      <TokenCreated value={value} onDone={() => { setValue(null); onClose(); }}>
        API Key <b>{summary.key}</b> was created for the new service account <b>{summary.sa}</b>, a member of{' '}
        {selected.length === 1 ? 'the group' : 'the groups'} {(groups.data ?? []).filter((g) => selected.includes(g.identifier)).map((g) => g.name).join(', ')}.
        Its token expires on {formatDateTime(summary.expires)}.
      </TokenCreated>
    );
  }

  return (
    <form noValidate onSubmit={(e) => {
      e.preventDefault();
      setSubmitted(true);
      if (nameError || idError || groupsError || running) return;
      void run();
    }}>
      <Stack>
        <NameAndIdFields state={ids} nameError={submitted ? nameError : null} idError={submitted || ids.id ? idError : null} autoFocus
          taken={{ refusal, thing: 'A service account', where: "here (Add API Key makes one with the key's Id)" }} />
        <UserGroupsField groups={groups.data} loading={groups.isPending} value={selected} onChange={setSelected}
          error={submitted ? groupsError : null} withNewGroup onPendingGroup={setPendingGroup} />
        {groups.isError && <ActionError error={groups.error} title="The user groups could not be loaded" />}
        {steps && (
          <List spacing={4} size="sm" center aria-label="Progress">
            {steps.map((s) => (
              <List.Item key={s.label} icon={
                <ThemeIcon size={18} radius="xl" variant="light" color={s.state === 'done' ? 'teal' : s.state === 'failed' ? 'red' : s.state === 'undone' ? 'orange' : 'gray'}>
                  {s.state === 'failed' ? <IconAlert size={12} /> : <IconCheck size={12} />}
                </ThemeIcon>
              }>
                {s.label} — {s.state === 'waiting' ? 'not started' : s.state === 'running' ? 'working…' : s.state === 'done' ? 'done' : s.state === 'failed' ? 'failed' : 'undone'}
              </List.Item>
            ))}
          </List>
        )}
        {failure && <ActionError error={new Error(failure)} title="The API Key was not added" />}
        <FormButtons onCancel={onClose} pending={running} submitLabel="Submit" lockCancel />
      </Stack>
    </form>
  );
}
