// The limits in force in an account, for the key and token dialogs to check before the server
// does: anyone in the account may read them (GET /ng/api/account-settings/effective). If they cannot
// be read, the dialogs check nothing ahead and the server's refusal is what the person sees.
import { useQuery } from '@tanstack/react-query';
import { getEffectiveSettings, settingsKeys } from '../../api/audit';
import type { Limits } from '../../api/types';

function useEffectiveSettings(accountIdentifier: string) {
  return useQuery({
    queryKey: settingsKeys.effective(accountIdentifier),
    queryFn: ({ signal }) => getEffectiveSettings(accountIdentifier, signal),
    retry: false,
  });
}

export function useLimits(accountIdentifier: string): Limits | null {
  return useEffectiveSettings(accountIdentifier).data?.effective ?? null;
}

/**
 * The account's maximum token lifetime in ms: undefined while it is still being asked, null when
 * there is none or it cannot be read (the request failed, or waits for a network that may never come).
 */
export function useMaxTokenLifetime(accountIdentifier: string): number | null | undefined {
  const settings = useEffectiveSettings(accountIdentifier);
  if (settings.data) return settings.data.effective.maxTokenLifetimeMs ?? null;
  return settings.isError || settings.fetchStatus === 'paused' ? null : undefined;
}
