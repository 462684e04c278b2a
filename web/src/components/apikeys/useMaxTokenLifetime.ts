// The account's maximum token lifetime, for the token dialogs to check dates before the server does.
// Reading the account settings needs core_account_view; without it this is null and the server's
// refusal (put into days by describeError) is what the person sees.
import { useQuery } from '@tanstack/react-query';
import { getAccountSettings, settingsKeys } from '../../api/audit';

export function useMaxTokenLifetime(accountIdentifier: string): number | null {
  const settings = useQuery({
    queryKey: settingsKeys.one(accountIdentifier),
    queryFn: ({ signal }) => getAccountSettings(accountIdentifier, signal),
    retry: false,
  });
  return settings.data?.effective?.maxTokenLifetimeMs ?? settings.data?.maxTokenLifetimeMs ?? null;
}
