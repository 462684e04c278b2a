// The console's reading of the access check (web/src/app/access.ts, web/src/app/needs.ts,
// web/src/api/accessChecks.ts): how the query's state and answers combine into what a button
// shows, what each action asks, and how the checks travel.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkAccess, MAX_ACCESS_CHECKS, resourceTypeOf, type AccessCheck } from '../../web/src/api/accessChecks.js';
import {
  accessCheck, allOf, answerFor, anyOf, byKey, denied, deniedBecause, LOADING, PERMITTED, unlessAtLimit, type Access, type AnswersState,
} from '../../web/src/app/access.js';
import * as needs from '../../web/src/app/needs.js';

const ACCOUNT = { accountIdentifier: 'acc', orgIdentifier: null, projectIdentifier: null };
const PROJECT = { accountIdentifier: 'acc', orgIdentifier: 'org', projectIdentifier: 'proj' };

const access = fc.oneof(
  fc.constant(LOADING),
  fc.constant(PERMITTED),
  fc.constantFrom('core_role_edit', 'core_user_manage').map((permission) => denied([{ permission, action: 'do it' }])),
  fc.constantFrom('At the limit', 'Only its owner can').map(deniedBecause),
);

describe('allOf', () => {
  it('is loading while any answer is, else denied when any is, naming every missing permission', () => {
    fc.assert(fc.property(fc.array(access), (each) => {
      const all = allOf(each);
      if (each.some((a) => a.state === 'loading')) expect(all.state).toBe('loading');
      else if (each.some((a) => a.state === 'denied')) expect(all.state).toBe('denied');
      else expect(all).toBe(PERMITTED);
    }));
    const both = allOf([
      denied([{ permission: 'core_serviceaccount_edit', action: 'create service accounts here' }]),
      PERMITTED,
      denied([{ permission: 'core_usergroup_manage', action: 'add service accounts to user groups here' }]),
    ]);
    expect(both.state === 'denied' && both.reason).toBe("You don't have permission to create service accounts here (core_serviceaccount_edit)"
      + ' or to add service accounts to user groups here (core_usergroup_manage)');
  });

  it('stays denied by a refusal in its own words (a limit, an owner-only action), alone or among others, saying that reason', () => {
    const owner = deniedBecause('Only its owner, Olive Owner, can edit a personal API key');
    expect(allOf([owner])).toBe(owner);
    expect(allOf([PERMITTED, owner, PERMITTED])).toBe(owner);
    const atLimit = unlessAtLimit(PERMITTED, 'This API key has as many tokens as the account allows');
    expect(allOf([atLimit])).toBe(atLimit);
    // Granting the missing permission would not get past the limit: the limit is what is said.
    expect(allOf([denied([{ permission: 'core_role_edit', action: 'create roles here' }]), atLimit])).toBe(atLimit);
    fc.assert(fc.property(fc.array(access), (each) => {
      const all = allOf(each);
      const own = each.find((a) => a.state === 'denied' && a.missing.length === 0);
      if (own && !each.some((a) => a.state === 'loading')) expect(all).toBe(own);
    }));
  });

  it('says a missing permission once, however many needs miss it', () => {
    const once = allOf([1, 2].map(() => denied([{ permission: 'core_role_edit', action: 'create roles here' }])));
    expect(once.state === 'denied' && once.reason).toBe("You don't have permission to create roles here (core_role_edit)");
  });
});

describe('anyOf', () => {
  it('is permitted when one answer is, loading while others may still be, else denied in its own words', () => {
    const ifNone = { permission: 'core_project_create', action: 'create projects in any organization you can see' };
    fc.assert(fc.property(fc.array(access), (each) => {
      const any: Access = anyOf(each, ifNone);
      if (each.some((a) => a.state === 'permitted')) expect(any).toBe(PERMITTED);
      else if (each.some((a) => a.state === 'loading')) expect(any).toBe(LOADING);
      else expect(any.state === 'denied' && any.reason).toBe(
        "You don't have permission to create projects in any organization you can see (core_project_create)");
    }));
  });
});

describe('what each action asks', () => {
  it('names each permission with its own resource type, which the server requires', () => {
    expect(['core_account_edit', 'core_organization_create', 'core_project_create', 'core_user_manage', 'core_usergroup_manage',
      'core_serviceaccount_manageapikey', 'core_role_edit', 'core_resourcegroup_edit', 'core_audit_view'].map(resourceTypeOf))
      .toEqual(['ACCOUNT', 'ORGANIZATION', 'PROJECT', 'USER', 'USERGROUP', 'SERVICEACCOUNT', 'ROLE', 'RESOURCEGROUP', 'AUDIT']);
    expect(() => resourceTypeOf('delete_everything')).toThrow();
  });

  it('asks about creating at the scope the thing is made in, with no identifier', () => {
    expect(accessCheck(needs.createServiceAccount(PROJECT))).toEqual({
      resourceScope: PROJECT, resourceType: 'SERVICEACCOUNT', resourceIdentifier: null, permission: 'core_serviceaccount_edit',
    });
    // Organizations and users belong to the account, whichever scope the console is in.
    expect(accessCheck(needs.createOrganization(PROJECT)).resourceScope).toEqual(ACCOUNT);
    expect(accessCheck(needs.createUser(PROJECT)).resourceScope).toEqual(ACCOUNT);
    // A project, in its organization.
    expect(accessCheck(needs.createProject('acc', 'org')).resourceScope).toEqual({ ...ACCOUNT, orgIdentifier: 'org' });
  });

  it('asks about role assignments by the principal\'s type, on that principal, as the route does', () => {
    const asked = (['USER', 'USER_GROUP', 'SERVICE_ACCOUNT'] as const)
      .map((type) => accessCheck(needs.changeRoleAssignments(PROJECT, { identifier: 'p1', type })));
    expect(asked.map((c) => [c.permission, c.resourceType, c.resourceIdentifier])).toEqual([
      ['core_user_manage', 'USER', 'p1'], ['core_usergroup_manage', 'USERGROUP', 'p1'], ['core_serviceaccount_edit', 'SERVICEACCOUNT', 'p1'],
    ]);
  });

  it('asks for what Add API Key does at the scope, leaving each chosen user group to its own check', () => {
    // Not core_usergroup_manage on every group at the scope: only the chosen groups are changed.
    expect(needs.addApiKey(ACCOUNT).map((n) => [n.permission, n.identifier ?? null]))
      .toEqual([['core_serviceaccount_edit', null], ['core_serviceaccount_manageapikey', null]]);
    expect(accessCheck(needs.changeUserGroupMembers(PROJECT, 'ops'))).toEqual({
      resourceScope: PROJECT, resourceType: 'USERGROUP', resourceIdentifier: 'ops', permission: 'core_usergroup_manage',
    });
  });

  it('asks about another user\'s personal keys on that user, at the account, and about the account itself for its settings', () => {
    expect(accessCheck(needs.deleteUserKeys(PROJECT, 'u1'))).toEqual({
      resourceScope: ACCOUNT, resourceType: 'USER', resourceIdentifier: 'u1', permission: 'core_user_manage',
    });
    expect(accessCheck(needs.editAccountSettings(PROJECT))).toEqual({
      resourceScope: ACCOUNT, resourceType: 'ACCOUNT', resourceIdentifier: 'acc', permission: 'core_account_edit',
    });
  });
});

describe('answerFor', () => {
  const need = needs.createRole(ACCOUNT);
  const state = (over: Partial<AnswersState>): AnswersState => ({ isError: false, fetchStatus: 'idle', data: undefined, ...over });

  it('is loading while the check is asked, then what the answer says', () => {
    expect(answerFor(state({ fetchStatus: 'fetching' }), 0, need)).toBe(LOADING);
    expect(answerFor(state({ data: [false, true] }), 1, need)).toBe(PERMITTED);
    expect(answerFor(state({ data: [false, true] }), 0, need)).toEqual(denied([need]));
  });

  it('offers the action when the check failed or is paused (offline), even over an earlier answer', () => {
    fc.assert(fc.property(fc.option(fc.array(fc.boolean(), { minLength: 1 }), { nil: undefined }), (data) => {
      expect(answerFor(state({ isError: true, data }), 0, need)).toBe(PERMITTED);
      expect(answerFor(state({ fetchStatus: 'paused', data }), 0, need)).toBe(PERMITTED);
    }));
  });
});

describe('byKey', () => {
  it('hands each key the answers to its own needs, in order, however many each has', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.tuple(fc.string(), fc.nat({ max: 3 })), { selector: ([key]) => key }), (shape) => {
      // Each answer says which key and which of its needs it belongs to.
      const entries = shape.map(([key, n]) => [key, Array.from({ length: n }, () => needs.createRole(ACCOUNT))] as const);
      const answers = shape.flatMap(([key, n]) => Array.from({ length: n }, (_, i) => denied([{ permission: 'core_role_edit', action: `${key}#${i}` }])));
      const map = byKey(entries, answers);
      expect([...map.keys()]).toEqual(shape.map(([key]) => key));
      for (const [key, n] of shape) {
        expect(map.get(key)!.map((a) => a.state === 'denied' && a.missing[0].action))
          .toEqual(Array.from({ length: n }, (_, i) => `${key}#${i}`));
      }
    }));
  });
});

describe('checkAccess', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('asks at most the server\'s limit per request, answers in order, and counts an unanswered check as permitted', async () => {
    const bodies: AccessCheck[][] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      const { permissions } = JSON.parse(String(init.body)) as { permissions: AccessCheck[] };
      bodies.push(permissions);
      // Permitted exactly for even identifiers; the last check of the last request goes unanswered.
      const list = permissions.map((c) => ({ ...c, permitted: Number(c.resourceIdentifier) % 2 === 0 }));
      if (bodies.length === 2) list.pop();
      return new Response(JSON.stringify({ status: 'SUCCESS', data: { principal: {}, accessControlList: list } }),
        { status: 200, headers: { 'content-type': 'application/json' } });
    });
    const checks = Array.from({ length: MAX_ACCESS_CHECKS + 2 }, (_, i) => accessCheck(needs.editServiceAccount(ACCOUNT, String(i))));
    const answers = await checkAccess(checks);
    expect(bodies.map((b) => b.length)).toEqual([MAX_ACCESS_CHECKS, 2]);
    expect(answers.slice(0, 4)).toEqual([true, false, true, false]);
    expect(answers.slice(-2)).toEqual([true, true]); // 1001 is odd, but went unanswered
  });
});
