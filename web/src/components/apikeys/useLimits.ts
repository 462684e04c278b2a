// The limits in force in an account, for the key and token dialogs to check before the server
// does: anyone in the account may read them (GET /ng/api/account-settings/effective). If they cannot
// be read, the dialogs check nothing ahead and the server's refusal is what the person sees.
import { useQuery } from '@tanstack/react-query';
import { getEffectiveSettings, settingsKeys } from '../../api/audit';
import type { Limits } from '../../api/types';

export function useLimits(accountIdentifier: string): Limits | null {
  const settings = useQuery({
    queryKey: settingsKeys.effective(accountIdentifier),
    queryFn: ({ signal }) => getEffectiveSettings(accountIdentifier, signal),
    retry: false,
  });
  return settings.data?.effective ?? null;
}

/** The account's maximum token lifetime in ms; null when there is none or it is not known. */
export function useMaxTokenLifetime(accountIdentifier: string): number | null {
  return useLimits(accountIdentifier)?.maxTokenLifetimeMs ?? null;
}
