// The scope every page works in (account, organization or project), kept in the URL's query
// parameters — accountIdentifier, orgIdentifier, projectIdentifier — so links and reloads keep it.
import { useCallback, useMemo } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import type { Scope } from '../api/types';
import { useUser } from './session';

export type ScopeLevel = 'account' | 'organization' | 'project';

export interface CurrentScope extends Scope {
  level: ScopeLevel;
}

export function useScope(): CurrentScope {
  const user = useUser();
  const [params] = useSearchParams();
  return useMemo(() => {
    const accountIdentifier = params.get('accountIdentifier') || user.defaultAccountId;
    const orgIdentifier = params.get('orgIdentifier') || null;
    const projectIdentifier = orgIdentifier ? params.get('projectIdentifier') || null : null;
    const level: ScopeLevel = projectIdentifier ? 'project' : orgIdentifier ? 'organization' : 'account';
    return { accountIdentifier, orgIdentifier, projectIdentifier, level };
  }, [params, user.defaultAccountId]);
}

function scopeSearch(scope: Scope, extra?: Record<string, string>): string {
  const p = new URLSearchParams();
  p.set('accountIdentifier', scope.accountIdentifier);
  if (scope.orgIdentifier) p.set('orgIdentifier', scope.orgIdentifier);
  if (scope.orgIdentifier && scope.projectIdentifier) p.set('projectIdentifier', scope.projectIdentifier);
  for (const [k, v] of Object.entries(extra ?? {})) p.set(k, v);
  return `?${p.toString()}`;
}

/** Turns an app path into a link that keeps the current scope. */
export function useScopedPath(): (path: string) => string {
  const scope = useScope();
  return useCallback((path: string) => `${path}${scopeSearch(scope)}`, [scope]);
}

/** Switches the scope, staying on the same page. */
export function useSetScope(): (scope: Scope) => void {
  const navigate = useNavigate();
  const location = useLocation();
  return useCallback((scope: Scope) => {
    // A detail page (a service account) belongs to one scope: go back to its list.
    const path = location.pathname.replace(/(\/service-accounts)\/[^/]+$/, '$1');
    navigate(`${path}${scopeSearch(scope)}`);
  }, [navigate, location.pathname]);
}

export function describeScope(scope: Scope): string {
  if (scope.projectIdentifier) return `project ${scope.projectIdentifier} in organization ${scope.orgIdentifier}`;
  if (scope.orgIdentifier) return `organization ${scope.orgIdentifier}`;
  return 'the account';
}
