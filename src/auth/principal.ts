// Who is making a request: a user (by console session or by one of their tokens) or a service
// account (by one of its tokens). Tokens carry no rights of their own; the principal does.
import type { Scope } from '../domain/scope.js';

export type ApiKeyType = 'USER' | 'SERVICE_ACCOUNT';

/** What the token that authenticated a request was, for rate limits and last-used tracking. */
export interface TokenContext {
  tokenId: string;
  apiKeyId: string;
  apiKeyIdentifier: string;
  apiKeyType: ApiKeyType;
}

export interface UserPrincipal {
  type: 'USER';
  identifier: string; // the user's uuid
  accountIdentifier: string;
  email: string;
  name: string;
  via: 'session' | 'token';
  token: TokenContext | null;
  sessionIdHash: string | null;
}

export interface ServiceAccountPrincipal {
  type: 'SERVICE_ACCOUNT';
  identifier: string;
  accountIdentifier: string;
  scope: Scope;
  email: string;
  name: string;
  via: 'token';
  token: TokenContext;
  sessionIdHash: null;
}

export type Principal = UserPrincipal | ServiceAccountPrincipal;

export function describePrincipal(p: Principal): string {
  return `Principal of type ${p.type} with identifier ${p.identifier}`;
}
