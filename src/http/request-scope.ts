// Works out the scope a request acts in: query parameters, the body's scope fields when it has
// them (they must agree), and the caller's own account when none is named.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { entityNotFound, invalidRequest, invalidToken, Messages, unauthorized } from '../domain/errors.js';
import { makeScope, type Scope } from '../domain/scope.js';
import type { Principal } from '../auth/principal.js';
import { denial } from '../auth/authorize.js';
import type { Database } from '../store/schema.js';
import type { Services } from '../services.js';
import { getOrganization } from '../store/organizations.js';
import { getProject } from '../store/projects.js';
import { lockScope } from '../store/locks.js';
import { actorScopeKey, type AuditActor } from '../store/audit-events.js';

export interface ScopeFields {
  accountIdentifier?: string | null;
  orgIdentifier?: string | null;
  projectIdentifier?: string | null;
}

function pick(field: keyof ScopeFields, query: ScopeFields, body: ScopeFields | undefined): string | null {
  const q = query[field] || null;
  const b = body?.[field] || null;
  if (q !== null && b !== null && q !== b) throw invalidRequest(Messages.valueMismatch(q, b));
  return q ?? b;
}

/** The authenticated caller; routes behind authentication always have one. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw unauthorized();
  return req.principal;
}

export function requestScope(req: FastifyRequest, body?: ScopeFields): Scope {
  const principal = principalOf(req);
  const query = (req.query ?? {}) as ScopeFields;
  const account = pick('accountIdentifier', query, body) ?? principal.accountIdentifier;
  if (account !== principal.accountIdentifier) {
    // A token never acts in another account (401); a console user asking about one is denied (403)
    // whatever it asks, lists included, before anything is looked up.
    if (principal.via === 'token') throw invalidToken();
    throw denial(principal, 'core_account_view', { scope: makeScope(account), type: 'ACCOUNT', identifier: account });
  }
  const org = pick('orgIdentifier', query, body);
  const project = pick('projectIdentifier', query, body);
  if (project && !org) throw invalidRequest(Messages.projectWithoutOrg('projectIdentifier'));
  return makeScope(account, org, project);
}

/**
 * The account a request acts in, for resources that live at the account itself (organizations,
 * users, settings, audit): any org/project in the query is not part of that scope.
 */
export function accountScope(req: FastifyRequest, body?: Pick<ScopeFields, 'accountIdentifier'>): Scope {
  return makeScope(requestScope(req, body ? { accountIdentifier: body.accountIdentifier } : undefined).accountIdentifier);
}

/** 404 when the scope's organization or project does not exist (call after authorizing). */
export async function assertScopeExists(db: Kysely<Database>, scope: Scope): Promise<void> {
  if (scope.orgIdentifier) {
    const org = await db.selectFrom('organizations').select('identifier')
      .where('account_id', '=', scope.accountIdentifier).where('identifier', '=', scope.orgIdentifier).executeTakeFirst();
    if (!org) throw entityNotFound(Messages.organizationNotFound(scope.orgIdentifier));
  }
  if (scope.orgIdentifier && scope.projectIdentifier) {
    const project = await db.selectFrom('projects').select('identifier')
      .where('account_id', '=', scope.accountIdentifier).where('org_identifier', '=', scope.orgIdentifier)
      .where('identifier', '=', scope.projectIdentifier).executeTakeFirst();
    if (!project) throw entityNotFound(Messages.projectNotFound(scope.projectIdentifier, scope.orgIdentifier));
  }
}

/**
 * For a list (call after reading the scope): 404 when the scope's organization or project does not
 * exist, for a caller allowed to see that organization or project; any other caller gets its list
 * (empty), so a list never tells it what exists. Costs a lookup only when the scope names an org.
 */
export async function assertListedScopeExists(services: Services, principal: Principal, scope: Scope): Promise<void> {
  const { accountIdentifier: account, orgIdentifier: org, projectIdentifier: project } = scope;
  if (!org) return;
  if (!(await getOrganization(services.db, account, org))) {
    if (await services.authz.isAllowed(principal, 'core_organization_view', { scope: makeScope(account), type: 'ORGANIZATION', identifier: org })) {
      throw entityNotFound(Messages.organizationNotFound(org));
    }
    return;
  }
  if (project && !(await getProject(services.db, account, org, project))
    && await services.authz.isAllowed(principal, 'core_project_view', { scope: makeScope(account, org), type: 'PROJECT', identifier: project })) {
    throw entityNotFound(Messages.projectNotFound(project, org));
  }
}

/**
 * Inside a write transaction, before it puts anything in the scope: the scope's organization and
 * project still exist (404 otherwise), and — PostgreSQL — cannot be deleted until the transaction
 * ends (store/locks.ts), so nothing is left behind in a deleted scope and no foreign key fails.
 */
export async function holdScope(trx: Kysely<Database>, engine: 'sqlite' | 'postgres', scope: Scope): Promise<void> {
  await lockScope(trx, engine, scope, 'shared');
  await assertScopeExists(trx, scope);
}

/** The request's actor, for the audit trail. */
export function auditActor(req: FastifyRequest): AuditActor {
  const p = principalOf(req);
  const ua = req.headers['user-agent'];
  return { principal: actorOf(p), ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
}

/** A principal as the audit trail names it: a service account with its scope (an identifier is unique only there). */
export function actorOf(p: Principal): AuditActor['principal'] {
  return p.type === 'SERVICE_ACCOUNT'
    ? { type: p.type, identifier: p.identifier, scope: actorScopeKey(p.scope) }
    : { type: p.type, identifier: p.identifier };
}

