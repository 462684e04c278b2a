// The authorizer: evaluates from a cached per-principal snapshot, which only an invalidation for
// that principal (or its account), or the TTL, refreshes. Rows are written straight to the store,
// without publishing, to see exactly when the cache is and is not consulted.
import { describe, expect } from 'vitest';
import { createAuthorizer } from '../../src/auth/authorize.js';
import type { Principal } from '../../src/auth/principal.js';
import { makeScope, type Scope } from '../../src/domain/scope.js';
import type { InvalidationEvent } from '../../src/services.js';
import { newRoleAssignmentIdentifier } from '../../src/store/accounts.js';
import { ensureOrg, unique } from '../helpers/access-control.js';
import { describeEachEngine, it, type Harness } from '../helpers/harness.js';

async function insertAssignment(h: Harness, scope: Scope, type: string, id: string, role: string, rg: string, principalScopeLevel: string | null = null) {
  const now = Date.now();
  await h.store.db.insertInto('role_assignments').values({
    account_id: scope.accountIdentifier, org_identifier: scope.orgIdentifier ?? '', project_identifier: scope.projectIdentifier ?? '',
    identifier: newRoleAssignmentIdentifier(), role_identifier: role, resource_group_identifier: rg, principal_type: type,
    principal_identifier: id, principal_scope_level: principalScopeLevel, disabled: 0, managed: 0, created_at: now, last_modified_at: now,
  }).execute();
}

describeEachEngine('authorizer', (h) => {
  const user = (id: string): Principal => ({
    type: 'USER', identifier: id, accountIdentifier: h().accountId, email: `${id}@x.io`, name: id, via: 'session', token: null, sessionIdHash: null,
  });
  function setup(ttlMs = 60_000) {
    let t = 1_000_000;
    const authz = createAuthorizer(h().store.db, { ttlMs, now: () => t });
    return { authz, advance: (ms: number) => { t += ms; } };
  }
  const account = () => makeScope(h().accountId);

  describe('snapshots and invalidation', () => {
    it('keeps a snapshot until an invalidation for the principal or its account', async () => {
      const { authz } = setup();
      const u = unique('u');
      const p = user(u);
      expect(await authz.isAllowed(p, 'core_audit_view', { scope: account() })).toBe(false);
      await insertAssignment(h(), account(), 'USER', u, '_account_viewer', '_all_account_level_resources');
      expect(await authz.isAllowed(p, 'core_audit_view', { scope: account() })).toBe(false); // cached
      authz.invalidate({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: 'someone_else' });
      expect(await authz.isAllowed(p, 'core_audit_view', { scope: account() })).toBe(false); // not this one
      authz.invalidate({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: u });
      expect(await authz.isAllowed(p, 'core_audit_view', { scope: account() })).toBe(true);
    });

    it('an account, group or "all" invalidation drops every snapshot of the account', async () => {
      const events: InvalidationEvent[] = [
        { kind: 'account', accountIdentifier: h().accountId },
        { kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER_GROUP', principalIdentifier: 'g' },
        { kind: 'all' },
      ];
      for (const event of events) {
        const { authz } = setup();
        const u = unique('u');
        expect(await authz.isAllowed(user(u), 'core_role_view', { scope: account() })).toBe(false);
        await insertAssignment(h(), account(), 'USER', u, '_account_viewer', '_all_account_level_resources');
        authz.invalidate(event);
        expect(await authz.isAllowed(user(u), 'core_role_view', { scope: account() })).toBe(true);
      }
    });

    it('isAccountAdmin answers at once from a loaded snapshot, and follows invalidations and the TTL like the rest', async () => {
      const { authz, advance } = setup(5_000);
      const u = unique('u');
      const p = user(u); // one object throughout, as a cached token's principal is
      expect(await authz.isAccountAdmin(p)).toBe(false);
      expect(authz.isAccountAdmin(p)).toBe(false); // loaded: no promise on the second call
      await insertAssignment(h(), account(), 'USER', u, '_account_admin', '_all_resources_including_child_scopes');
      expect(authz.isAccountAdmin(p)).toBe(false); // still the cached snapshot
      authz.invalidate({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: u });
      const reloaded = authz.isAccountAdmin(p);
      expect(reloaded).toBeInstanceOf(Promise); // dropped: loads again
      expect(await reloaded).toBe(true);
      expect(authz.isAccountAdmin(p)).toBe(true);
      await h().store.db.deleteFrom('role_assignments').where('principal_identifier', '=', u).execute();
      authz.invalidate({ kind: 'all' });
      expect(await authz.isAccountAdmin(p)).toBe(false);
      await insertAssignment(h(), account(), 'USER', u, '_account_admin', '_all_resources_including_child_scopes');
      advance(5_001);
      expect(await authz.isAccountAdmin(p)).toBe(true); // past the TTL, without an invalidation
      // Another object for the same user shares the cached snapshot, without a second load.
      expect(authz.isAccountAdmin(user(u))).toBeInstanceOf(Promise);
      expect(authz.isAccountAdmin(p)).toBe(true);
      const service: Principal = { ...p, type: 'SERVICE_ACCOUNT', scope: account(), via: 'token', token: { tokenId: 't', apiKeyId: 'k', apiKeyIdentifier: 'k', apiKeyType: 'SERVICE_ACCOUNT' }, sessionIdHash: null };
      // A service account of the same identifier is another principal, with none of the user's assignments.
      expect(await authz.isAccountAdmin(service)).toBe(false);
    });

    it('refreshes after the TTL even without an invalidation', async () => {
      const { authz, advance } = setup(5_000);
      const u = unique('u');
      expect(await authz.isAllowed(user(u), 'core_role_view', { scope: account() })).toBe(false);
      await insertAssignment(h(), account(), 'USER', u, '_account_viewer', '_all_account_level_resources');
      advance(4_999);
      expect(await authz.isAllowed(user(u), 'core_role_view', { scope: account() })).toBe(false);
      advance(2);
      expect(await authz.isAllowed(user(u), 'core_role_view', { scope: account() })).toBe(true);
    });

    it('the running server\'s authorizer listens to services.invalidation', async () => {
      const u = unique('u');
      const p = user(u);
      const { authz } = h().services;
      expect(await authz.isAllowed(p, 'core_role_view', { scope: account() })).toBe(false);
      await insertAssignment(h(), account(), 'USER', u, '_account_viewer', '_all_account_level_resources');
      h().services.invalidation.publish({ kind: 'principal', accountIdentifier: h().accountId, principalType: 'USER', principalIdentifier: u });
      expect(await authz.isAllowed(p, 'core_role_view', { scope: account() })).toBe(true);
    });
  });

  describe('what a snapshot holds', () => {
    it('a service account\'s rights are those of the one at its scope, and of groups of that scope', async () => {
      const { authz } = setup();
      const org = await ensureOrg(h(), 'authz_org');
      const id = unique('bot');
      const sa = (scope: Scope): Principal => ({
        type: 'SERVICE_ACCOUNT', identifier: id, accountIdentifier: h().accountId, scope, email: 'b@x.io', name: id, via: 'token',
        token: { tokenId: 't', apiKeyId: 'k', apiKeyIdentifier: 'k', apiKeyType: 'SERVICE_ACCOUNT' }, sessionIdHash: null,
      });
      await insertAssignment(h(), org, 'SERVICE_ACCOUNT', id, '_organization_viewer', '_all_organization_level_resources', 'organization');
      expect(await authz.isAllowed(sa(org), 'core_role_view', { scope: org })).toBe(true);
      expect(await authz.isAllowed(sa(account()), 'core_role_view', { scope: org })).toBe(false);

      const group = unique('g');
      await h().store.db.insertInto('user_group_members').values({ account_id: h().accountId, org_identifier: '', project_identifier: '', group_identifier: group, member_type: 'SERVICE_ACCOUNT', member_identifier: id }).execute();
      await insertAssignment(h(), account(), 'USER_GROUP', group, '_account_viewer', '_all_account_level_resources', 'account');
      authz.invalidate();
      expect(await authz.isAllowed(sa(account()), 'core_audit_view', { scope: account() })).toBe(true);
      expect(await authz.isAllowed(sa(org), 'core_audit_view', { scope: account() })).toBe(false);
    });

    it('never allows anything in another account; authorize throws the 403 naming the check', async () => {
      const { authz } = setup();
      const other = makeScope('another_account');
      expect(await authz.isAllowed(user(h().admin.id), 'core_account_view', { scope: other })).toBe(false);
      expect(await authz.holdsOnSome(user(h().admin.id), 'core_account_view', { scope: other })).toBe(false);
      await expect(authz.authorize(user(h().admin.id), 'core_account_view', { scope: other, identifier: 'another_account' })).rejects.toMatchObject({
        code: 'NG_ACCESS_DENIED', httpStatus: 403,
        message: `Principal of type USER with identifier ${h().admin.id} : Missing permission core_account_view on account with identifier another_account`,
      });
    });

    it('a user may always view themself, nothing more', async () => {
      const { authz } = setup();
      const u = unique('u');
      expect(await authz.isAllowed(user(u), 'core_user_view', { scope: account(), type: 'USER', identifier: u })).toBe(true);
      expect(await authz.isAllowed(user(u), 'core_user_manage', { scope: account(), type: 'USER', identifier: u })).toBe(false);
      expect(await authz.isAllowed(user(u), 'core_user_view', { scope: account(), type: 'USER', identifier: 'other' })).toBe(false);
    });
  });
});
