// The organization a project request is about: query and body must agree, and, as in Harness,
// a request that names none means the account's `default` organization.
import type { FastifyRequest } from 'fastify';
import { requestScope, type ScopeFields } from '../../http/request-scope.js';
import { DEFAULT_ORGANIZATION, makeScope, type Scope } from '../../domain/scope.js';

export function projectParentScope(req: FastifyRequest, body?: Pick<ScopeFields, 'accountIdentifier' | 'orgIdentifier'>): Scope {
  const scope = requestScope(req, body ? { accountIdentifier: body.accountIdentifier, orgIdentifier: body.orgIdentifier } : undefined);
  return makeScope(scope.accountIdentifier, scope.orgIdentifier ?? DEFAULT_ORGANIZATION);
}
