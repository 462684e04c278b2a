// Permission evaluation (SPEC §6): examples, and properties checked against a brute-force reference
// that reads the rules straight off the generated world (walking parent scopes one by one).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileSnapshot, evaluate, holdsOnSome,
  type AccessFacts, type AssignmentFact, type GroupRef, type PrincipalType, type ResourceGroupFact, type RoleFact,
  type ScopeFilter, type Subject,
} from '../../src/domain/evaluation.js';
import { MANAGED_RESOURCE_GROUPS, MANAGED_ROLES } from '../../src/domain/managed.js';
import { PERMISSION_RESOURCE_TYPE, type Permission, type ResourceType } from '../../src/domain/permissions.js';
import { makeScope, type Scope, type ScopeLevel } from '../../src/domain/scope.js';

const ACC = 'acc';
const LEVELS: ScopeLevel[] = ['account', 'organization', 'project'];

// ------------------------------------------------------------------------------------------------
// The reference: no shortcuts, every rule spelled out on the world's own terms.

interface World {
  scopes: Scope[];
  users: string[];
  serviceAccounts: { identifier: string; scope: Scope }[];
  groups: { identifier: string; scope: Scope; users: string[]; serviceAccounts: string[] }[];
  roles: RoleFact[];
  resourceGroups: ResourceGroupFact[];
  assignments: AssignmentFact[];
}

const key = (s: Scope) => `${s.accountIdentifier}|${s.orgIdentifier ?? '-'}|${s.projectIdentifier ?? '-'}`;
const levelOf = (s: Scope): ScopeLevel => (s.projectIdentifier ? 'project' : s.orgIdentifier ? 'organization' : 'account');
function parent(s: Scope): Scope | null {
  if (s.projectIdentifier) return makeScope(s.accountIdentifier, s.orgIdentifier);
  if (s.orgIdentifier) return makeScope(s.accountIdentifier);
  return null;
}
/** s, its parent, its grandparent... */
function lineage(s: Scope): Scope[] {
  const out: Scope[] = [];
  for (let x: Scope | null = s; x; x = parent(x)) out.push(x);
  return out;
}
const isDescendantOrSelf = (s: Scope, of: Scope) => lineage(s).some((x) => key(x) === key(of));
const ancestorAtLevel = (s: Scope, level: ScopeLevel) => lineage(s).find((x) => levelOf(x) === level) ?? null;

function referenceAllows(world: World, subject: Subject, permission: Permission, resource: { scope: Scope; type: ResourceType; identifier: string | null }): boolean {
  if (resource.scope.accountIdentifier !== ACC) return false;
  // The scopes a resource can be found at: its own, and for an organization or project, itself.
  const places = [resource.scope];
  if (resource.identifier && resource.type === 'ORGANIZATION' && levelOf(resource.scope) === 'account') places.push(makeScope(ACC, resource.identifier));
  if (resource.identifier && resource.type === 'PROJECT' && levelOf(resource.scope) === 'organization') places.push(makeScope(ACC, resource.scope.orgIdentifier, resource.identifier));

  for (const a of world.assignments) {
    if (a.disabled) continue;
    // 1. Does it name the subject, or a group the subject is in?
    const home = a.principalType === 'USER' ? makeScope(ACC) : ancestorAtLevel(a.scope, a.principalScopeLevel ?? levelOf(a.scope));
    if (!home) continue;
    let applies = false;
    if (a.principalType === 'USER') applies = subject.type === 'USER' && subject.identifier === a.principalIdentifier;
    if (a.principalType === 'SERVICE_ACCOUNT') {
      applies = subject.type === 'SERVICE_ACCOUNT' && subject.identifier === a.principalIdentifier && key(subject.scope!) === key(home);
    }
    if (a.principalType === 'USER_GROUP') {
      const group = world.groups.find((g) => g.identifier === a.principalIdentifier && key(g.scope) === key(home));
      applies = !!group && (subject.type === 'USER'
        ? group.users.includes(subject.identifier)
        : group.serviceAccounts.includes(subject.identifier) && key(group.scope) === key(subject.scope!));
    }
    if (!applies) continue;
    // 2. The role: managed, else the nearest custom role up the lineage; usable at this level.
    let permissions: readonly string[] | null = null;
    const managed = MANAGED_ROLES.find((r) => r.identifier === a.roleIdentifier);
    if (managed) {
      if (managed.allowedScopeLevels.includes(levelOf(a.scope))) permissions = managed.permissions;
    } else {
      for (const s of lineage(a.scope)) {
        const role = world.roles.find((r) => r.identifier === a.roleIdentifier && key(r.scope) === key(s));
        if (role) { if (role.allowedScopeLevels.includes(levelOf(a.scope))) permissions = role.permissions; break; }
      }
    }
    if (!permissions || !permissions.includes(permission)) continue;
    // 3. The resource group: which scopes, which types and identifiers.
    let scopeOk: (s: Scope) => boolean;
    let typeOk: boolean;
    const managedGroup = MANAGED_RESOURCE_GROUPS.find((g) => g.identifier === a.resourceGroupIdentifier);
    if (managedGroup) {
      if (!managedGroup.allowedScopeLevels.includes(levelOf(a.scope))) continue;
      scopeOk = managedGroup.includeChildScopes ? (s) => isDescendantOrSelf(s, a.scope) : (s) => key(s) === key(a.scope);
      typeOk = true;
    } else {
      const group = world.resourceGroups.find((g) => g.identifier === a.resourceGroupIdentifier && key(g.scope) === key(a.scope));
      if (!group) continue;
      scopeOk = (s) => group.includedScopes.some((inc) => inc.filter === 'INCLUDING_CHILD_SCOPES' ? isDescendantOrSelf(s, inc.scope) : key(s) === key(inc.scope));
      typeOk = group.includeAllResources || group.resources.some((sel) => sel.resourceType === resource.type
        && (!sel.identifiers || sel.identifiers.length === 0 || (resource.identifier !== null && sel.identifiers.includes(resource.identifier))));
    }
    if (typeOk && places.some(scopeOk)) return true;
  }
  return false;
}

// ------------------------------------------------------------------------------------------------
// Generators: small pools, so identifiers collide across scopes (the interesting cases).

const PERMISSION_POOL: Permission[] = [
  'core_serviceaccount_view', 'core_serviceaccount_edit', 'core_usergroup_manage', 'core_account_view',
  'core_organization_edit', 'core_organization_create', 'core_project_view', 'core_role_edit', 'core_audit_view',
];
const TYPE_POOL: ResourceType[] = ['SERVICEACCOUNT', 'USERGROUP', 'ACCOUNT', 'ORGANIZATION', 'PROJECT', 'ROLE', 'AUDIT'];
const ID_POOL = ['x', 'y', 'o1', 'o2', 'p1', 'p2'];

const hierarchyArb = fc.record({
  orgs: fc.uniqueArray(fc.constantFrom('o1', 'o2', 'o3'), { minLength: 1, maxLength: 3 }),
  projects: fc.array(fc.constantFrom('p1', 'p2'), { maxLength: 2 }),
});

function worldArb() {
  return hierarchyArb.chain(({ orgs, projects }) => {
    const scopes: Scope[] = [makeScope(ACC)];
    for (const o of orgs) {
      scopes.push(makeScope(ACC, o));
      for (const p of new Set(projects)) scopes.push(makeScope(ACC, o, p));
    }
    const scopeArb = fc.constantFrom(...scopes);
    const withinArb = (s: Scope) => fc.constantFrom(...scopes.filter((x) => isDescendantOrSelf(x, s)));
    const users = ['u1', 'u2'];
    // Unique by (identifier, scope), as the store's primary keys make them.
    const byKey = { selector: (x: { identifier: string; scope: Scope }) => `${x.identifier}@${key(x.scope)}` };
    const serviceAccountsArb = fc.uniqueArray(fc.record({ identifier: fc.constantFrom('sa1', 'sa2'), scope: scopeArb }), { maxLength: 4, ...byKey });
    const groupsArb = fc.uniqueArray(fc.record({
      identifier: fc.constantFrom('g1', 'g2'), scope: scopeArb,
      users: fc.subarray(users), serviceAccounts: fc.subarray(['sa1', 'sa2']),
    }), { maxLength: 4, ...byKey });
    const levelsArb = fc.subarray(LEVELS, { minLength: 1 });
    const rolesArb = fc.uniqueArray(fc.record({
      identifier: fc.constantFrom('r1', 'r2'), name: fc.constant('Role'), scope: scopeArb,
      permissions: fc.subarray(PERMISSION_POOL), allowedScopeLevels: levelsArb,
    }), { maxLength: 4, ...byKey });
    const selectorArb = fc.record({
      resourceType: fc.constantFrom(...TYPE_POOL),
      identifiers: fc.option(fc.subarray(ID_POOL), { nil: null }),
    });
    const resourceGroupsArb = fc.uniqueArray(scopeArb.chain((scope) => fc.record({
      identifier: fc.constantFrom('rg1', 'rg2'), name: fc.constant('Group'), scope: fc.constant(scope),
      includedScopes: fc.array(fc.record({
        filter: fc.constantFrom<ScopeFilter>('EXCLUDING_CHILD_SCOPES', 'INCLUDING_CHILD_SCOPES'), scope: withinArb(scope),
      }), { minLength: 1, maxLength: 2 }),
      includeAllResources: fc.boolean(),
      resources: fc.array(selectorArb, { maxLength: 3 }),
    })), { maxLength: 4, ...byKey });
    const assignmentArb = fc.record({
      identifier: fc.string({ minLength: 1, maxLength: 6 }),
      scope: scopeArb,
      roleIdentifier: fc.constantFrom(...MANAGED_ROLES.map((r) => r.identifier), 'r1', 'r2', 'r3'),
      resourceGroupIdentifier: fc.constantFrom(...MANAGED_RESOURCE_GROUPS.map((g) => g.identifier), 'rg1', 'rg2', 'rg3'),
      principal: fc.oneof(
        fc.record({ principalType: fc.constant<PrincipalType>('USER'), principalIdentifier: fc.constantFrom('u1', 'u2') }),
        fc.record({ principalType: fc.constant<PrincipalType>('USER_GROUP'), principalIdentifier: fc.constantFrom('g1', 'g2') }),
        fc.record({ principalType: fc.constant<PrincipalType>('SERVICE_ACCOUNT'), principalIdentifier: fc.constantFrom('sa1', 'sa2') }),
        // now and then a mismatched pair, which must simply never apply to anyone it does not name
        fc.record({ principalType: fc.constantFrom<PrincipalType>('USER', 'USER_GROUP', 'SERVICE_ACCOUNT'), principalIdentifier: fc.constantFrom('u1', 'g1', 'sa1') }),
      ),
      principalScopeLevel: fc.option(fc.constantFrom(...LEVELS), { nil: null }),
      disabled: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    }).map(({ principal, ...rest }): AssignmentFact => ({ ...rest, ...principal }));
    return fc.record({
      scopes: fc.constant(scopes), users: fc.constant(users), serviceAccounts: serviceAccountsArb, groups: groupsArb,
      roles: rolesArb, resourceGroups: resourceGroupsArb, assignments: fc.array(assignmentArb, { maxLength: 16 }),
    });
  });
}

function subjectsOf(world: World): Subject[] {
  return [
    ...world.users.map((u): Subject => ({ type: 'USER', identifier: u, accountIdentifier: ACC, scope: null })),
    ...world.serviceAccounts.map((sa): Subject => ({ type: 'SERVICE_ACCOUNT', identifier: sa.identifier, accountIdentifier: ACC, scope: sa.scope })),
  ];
}

/** What the store hands over: every group holding a member of that type and identifier (any scope). */
function factsFor(world: World, subject: Subject): AccessFacts {
  const groups: GroupRef[] = world.groups
    .filter((g) => (subject.type === 'USER' ? g.users : g.serviceAccounts).includes(subject.identifier))
    .map((g) => ({ identifier: g.identifier, scope: g.scope }));
  return { subject, groups, assignments: world.assignments, roles: world.roles, resourceGroups: world.resourceGroups };
}

function resourceArb(world: World) {
  const scopes = [...world.scopes, makeScope(ACC, 'nowhere'), makeScope('other'), makeScope(ACC, 'o1', 'nowhere')];
  return fc.record({
    scope: fc.constantFrom(...scopes),
    permission: fc.constantFrom(...PERMISSION_POOL),
    type: fc.option(fc.constantFrom(...TYPE_POOL), { nil: undefined }),
    identifier: fc.option(fc.constantFrom(...ID_POOL), { nil: null }),
  });
}

const caseArb = worldArb().chain((world) => fc.record({
  world: fc.constant(world as World),
  probes: fc.array(resourceArb(world as World), { minLength: 1, maxLength: 20 }),
}));

describe('evaluate agrees with the brute-force reference', () => {
  it('on generated hierarchies, principals, groups, roles and resource groups', () => {
    fc.assert(fc.property(caseArb, ({ world, probes }) => {
      for (const subject of subjectsOf(world)) {
        const snapshot = compileSnapshot(factsFor(world, subject));
        for (const probe of probes) {
          const type = probe.type ?? PERMISSION_RESOURCE_TYPE[probe.permission];
          const expected = referenceAllows(world, subject, probe.permission, { scope: probe.scope, type, identifier: probe.identifier });
          const decision = evaluate(snapshot, probe.permission, { scope: probe.scope, type, identifier: probe.identifier });
          expect(decision.allowed, JSON.stringify({ subject, probe })).toBe(expected);
          if (!decision.allowed) {
            expect(decision.failed).toEqual({
              resourceScope: probe.scope, resourceType: type, resourceIdentifier: probe.identifier, permission: probe.permission,
            });
          } else {
            // The assignment named as the reason is one that applies to the subject.
            expect(snapshot.assignmentIdentifiers).toContain(decision.assignmentIdentifier);
          }
        }
      }
    }), { numRuns: 1500 });
  });

  it('with grantedAbove, as if the assignments made at that level and below did not exist', () => {
    const RANK: Record<ScopeLevel, number> = { account: 0, organization: 1, project: 2 };
    fc.assert(fc.property(caseArb, fc.constantFrom<ScopeLevel>('organization', 'project'), ({ world, probes }, level) => {
      const above: World = { ...world, assignments: world.assignments.filter((a) => RANK[levelOf(a.scope)] < RANK[level]) };
      for (const subject of subjectsOf(world)) {
        const snapshot = compileSnapshot(factsFor(world, subject));
        for (const probe of probes) {
          const type = probe.type ?? PERMISSION_RESOURCE_TYPE[probe.permission];
          const expected = referenceAllows(above, subject, probe.permission, { scope: probe.scope, type, identifier: probe.identifier });
          const decision = evaluate(snapshot, probe.permission, { scope: probe.scope, type, identifier: probe.identifier, grantedAbove: level });
          expect(decision.allowed, JSON.stringify({ subject, probe, level })).toBe(expected);
        }
      }
    }), { numRuns: 500 });
  });

  it('never grants more after an assignment is disabled, nor less after one is added', () => {
    fc.assert(fc.property(caseArb, fc.nat(), ({ world, probes }, pick) => {
      if (world.assignments.length === 0) return;
      const i = pick % world.assignments.length;
      const fewer: World = { ...world, assignments: world.assignments.map((a, j) => (j === i ? { ...a, disabled: true } : a)) };
      for (const subject of subjectsOf(world)) {
        const before = compileSnapshot(factsFor(world, subject));
        const after = compileSnapshot(factsFor(fewer, subject));
        for (const probe of probes) {
          const r = { scope: probe.scope, type: probe.type, identifier: probe.identifier };
          if (evaluate(after, probe.permission, r).allowed) expect(evaluate(before, probe.permission, r).allowed).toBe(true);
        }
      }
    }), { numRuns: 150 });
  });

  it('holdsOnSome is true whenever some identifier (or none) is allowed', () => {
    fc.assert(fc.property(caseArb, ({ world, probes }) => {
      for (const subject of subjectsOf(world)) {
        const snapshot = compileSnapshot(factsFor(world, subject));
        for (const probe of probes) {
          const type = probe.type ?? PERMISSION_RESOURCE_TYPE[probe.permission];
          const someAllowed = [null, ...ID_POOL].some((identifier) => {
            if (identifier && (type === 'ORGANIZATION' || type === 'PROJECT')) return false; // scope-resources aside
            return evaluate(snapshot, probe.permission, { scope: probe.scope, type, identifier }).allowed;
          });
          if (someAllowed) expect(holdsOnSome(snapshot, probe.permission, probe.scope, type)).toBe(true);
        }
      }
    }), { numRuns: 150 });
  });
});

// ------------------------------------------------------------------------------------------------
// Examples that name the rules one at a time.

const A = makeScope(ACC);
const O1 = makeScope(ACC, 'o1');
const O2 = makeScope(ACC, 'o2');
const P1 = makeScope(ACC, 'o1', 'p1');
const user: Subject = { type: 'USER', identifier: 'u1', accountIdentifier: ACC, scope: null };

function assignment(over: Partial<AssignmentFact>): AssignmentFact {
  return {
    identifier: 'ra', scope: A, roleIdentifier: '_account_admin', resourceGroupIdentifier: '_all_resources_including_child_scopes',
    principalType: 'USER', principalIdentifier: 'u1', principalScopeLevel: null, disabled: false, ...over,
  };
}
function snapshotOf(assignments: AssignmentFact[], extra: Partial<AccessFacts> = {}, subject: Subject = user) {
  return compileSnapshot({ subject, groups: [], assignments, roles: [], resourceGroups: [], ...extra });
}
const allowed = (s: ReturnType<typeof snapshotOf>, p: Permission, scope: Scope, identifier: string | null = null, type?: ResourceType) =>
  evaluate(s, p, { scope, identifier, type }).allowed;

describe('evaluate, by example', () => {
  it('an account admin on all resources including child scopes may do anything anywhere in the account', () => {
    const s = snapshotOf([assignment({})]);
    for (const scope of [A, O1, P1, makeScope(ACC, 'o9', 'p9')]) expect(allowed(s, 'core_serviceaccount_delete', scope, 'sa')).toBe(true);
    expect(allowed(s, 'core_serviceaccount_view', makeScope('another'))).toBe(false);
  });

  it('account-level resources do not reach child scopes', () => {
    const s = snapshotOf([assignment({ resourceGroupIdentifier: '_all_account_level_resources' })]);
    expect(allowed(s, 'core_serviceaccount_view', A, 'sa')).toBe(true);
    expect(allowed(s, 'core_serviceaccount_view', O1, 'sa')).toBe(false);
    // ...but the account's organizations are account-level resources
    expect(allowed(s, 'core_organization_edit', A, 'o1')).toBe(true);
  });

  it('an organization admin covers its organization and its projects, not a sibling, not the account', () => {
    const s = snapshotOf([assignment({ scope: O1, roleIdentifier: '_organization_admin' })]);
    expect(allowed(s, 'core_serviceaccount_edit', O1)).toBe(true);
    expect(allowed(s, 'core_serviceaccount_edit', P1)).toBe(true);
    expect(allowed(s, 'core_serviceaccount_edit', O2)).toBe(false);
    expect(allowed(s, 'core_serviceaccount_edit', A)).toBe(false);
    // the organization itself, named at account scope as Harness does
    expect(allowed(s, 'core_organization_edit', A, 'o1')).toBe(true);
    expect(allowed(s, 'core_organization_edit', A, 'o2')).toBe(false);
  });

  it('a project viewer may view its project, named at organization scope as Harness does', () => {
    const s = snapshotOf([assignment({ scope: P1, roleIdentifier: '_project_viewer', resourceGroupIdentifier: '_all_project_level_resources' })]);
    expect(allowed(s, 'core_project_view', O1, 'p1')).toBe(true);
    expect(allowed(s, 'core_project_view', O1, 'p2')).toBe(false);
    expect(allowed(s, 'core_project_view', makeScope(ACC, 'o2'), 'p1')).toBe(false);
    expect(allowed(s, 'core_project_edit', O1, 'p1')).toBe(false);
  });

  it('a role not allowed at the assignment level, or a resource group of another scope, grants nothing', () => {
    expect(allowed(snapshotOf([assignment({ scope: O1 })]), 'core_serviceaccount_view', O1)).toBe(false);
    expect(allowed(snapshotOf([assignment({ scope: P1, roleIdentifier: '_project_admin' })]), 'core_serviceaccount_view', P1)).toBe(false);
    const rg: ResourceGroupFact = { identifier: 'rg', name: 'rg', scope: A, includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', scope: A }], includeAllResources: true, resources: [] };
    const atOrg = snapshotOf([assignment({ scope: O1, roleIdentifier: '_organization_admin', resourceGroupIdentifier: 'rg' })], { resourceGroups: [rg] });
    expect(allowed(atOrg, 'core_serviceaccount_view', O1)).toBe(false);
  });

  it('a disabled assignment grants nothing', () => {
    expect(allowed(snapshotOf([assignment({ disabled: true })]), 'core_account_view', A)).toBe(false);
  });

  it('rights come through a group the user is in', () => {
    const a = assignment({ principalType: 'USER_GROUP', principalIdentifier: 'g', scope: O1, roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources' });
    expect(allowed(snapshotOf([a]), 'core_serviceaccount_view', O1)).toBe(false);
    const s = snapshotOf([a], { groups: [{ identifier: 'g', scope: O1 }] });
    expect(allowed(s, 'core_serviceaccount_view', O1)).toBe(true);
    expect(allowed(s, 'core_serviceaccount_edit', O1)).toBe(false);
    // a group of the same name elsewhere is another group
    expect(allowed(snapshotOf([a], { groups: [{ identifier: 'g', scope: O2 }] }), 'core_serviceaccount_view', O1)).toBe(false);
  });

  it('an account-level group assigned in an organization (principalScopeLevel account)', () => {
    const a = assignment({ principalType: 'USER_GROUP', principalIdentifier: 'g', principalScopeLevel: 'account', scope: O1, roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources' });
    expect(allowed(snapshotOf([a], { groups: [{ identifier: 'g', scope: A }] }), 'core_serviceaccount_view', O1)).toBe(true);
    expect(allowed(snapshotOf([a], { groups: [{ identifier: 'g', scope: O1 }] }), 'core_serviceaccount_view', O1)).toBe(false);
  });

  it('a service account is told apart from one of the same identifier in another scope', () => {
    const sa: Subject = { type: 'SERVICE_ACCOUNT', identifier: 'bot', accountIdentifier: ACC, scope: P1 };
    const a = assignment({ principalType: 'SERVICE_ACCOUNT', principalIdentifier: 'bot', scope: P1, roleIdentifier: '_project_viewer', resourceGroupIdentifier: '_all_project_level_resources' });
    expect(allowed(snapshotOf([a], {}, sa), 'core_serviceaccount_view', P1)).toBe(true);
    expect(allowed(snapshotOf([a], {}, { ...sa, scope: O1 }), 'core_serviceaccount_view', P1)).toBe(false);
    // and it counts only in groups of its own scope
    const g = assignment({ principalType: 'USER_GROUP', principalIdentifier: 'g', scope: O1, roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources' });
    expect(allowed(snapshotOf([g], { groups: [{ identifier: 'g', scope: O1 }] }, sa), 'core_serviceaccount_view', O1)).toBe(false);
  });

  it('custom roles resolve to the nearest definition, within their allowed levels', () => {
    const accountRole: RoleFact = { identifier: 'r', name: 'r', scope: A, permissions: ['core_audit_view'], allowedScopeLevels: ['account', 'project'] };
    const orgRole: RoleFact = { identifier: 'r', name: 'r', scope: O1, permissions: ['core_role_edit'], allowedScopeLevels: ['organization'] };
    const atProject = assignment({ scope: P1, roleIdentifier: 'r', resourceGroupIdentifier: '_all_project_level_resources' });
    expect(allowed(snapshotOf([atProject], { roles: [accountRole] }), 'core_audit_view', P1)).toBe(true);
    // the organization's own "r" shadows the account's, and it is not allowed at project level
    expect(allowed(snapshotOf([atProject], { roles: [accountRole, orgRole] }), 'core_audit_view', P1)).toBe(false);
    const atOrg = assignment({ scope: O1, roleIdentifier: 'r', resourceGroupIdentifier: '_all_organization_level_resources' });
    expect(allowed(snapshotOf([atOrg], { roles: [accountRole] }), 'core_audit_view', O1)).toBe(false);
  });

  it('custom resource groups select types, identifiers and child scopes', () => {
    const role: RoleFact = { identifier: 'r', name: 'r', scope: A, permissions: ['core_serviceaccount_view', 'core_usergroup_view'], allowedScopeLevels: ['account'] };
    const rg: ResourceGroupFact = {
      identifier: 'rg', name: 'rg', scope: A, includeAllResources: false,
      includedScopes: [{ filter: 'EXCLUDING_CHILD_SCOPES', scope: A }, { filter: 'INCLUDING_CHILD_SCOPES', scope: O1 }],
      resources: [{ resourceType: 'SERVICEACCOUNT', identifiers: ['deployer'] }, { resourceType: 'USERGROUP', identifiers: null }],
    };
    const s = snapshotOf([assignment({ roleIdentifier: 'r', resourceGroupIdentifier: 'rg' })], { roles: [role], resourceGroups: [rg] });
    expect(allowed(s, 'core_serviceaccount_view', A, 'deployer')).toBe(true);
    expect(allowed(s, 'core_serviceaccount_view', P1, 'deployer')).toBe(true);
    expect(allowed(s, 'core_serviceaccount_view', O2, 'deployer')).toBe(false);
    expect(allowed(s, 'core_serviceaccount_view', A, 'other')).toBe(false);
    expect(allowed(s, 'core_serviceaccount_view', A, null)).toBe(false);
    expect(allowed(s, 'core_usergroup_view', A, 'anything')).toBe(true);
    expect(allowed(s, 'core_usergroup_view', A, null)).toBe(true);
    expect(holdsOnSome(s, 'core_serviceaccount_view', A)).toBe(true);
    expect(holdsOnSome(s, 'core_serviceaccount_view', O2)).toBe(false);
  });

  it('a denial names the failed check', () => {
    const decision = evaluate(snapshotOf([]), 'core_serviceaccount_edit', { scope: P1, identifier: 'sa' });
    expect(decision).toEqual({
      allowed: false,
      failed: { resourceScope: P1, resourceType: 'SERVICEACCOUNT', resourceIdentifier: 'sa', permission: 'core_serviceaccount_edit' },
    });
  });
});
