// Permission evaluations per second on a cached snapshot (issue 3's target: ≥ 200,000/s).
//
//   npm run build:server && node bench/evaluation.mjs [--seconds S]
//
// The snapshot is a realistic busy principal: direct assignments at every level, two groups with
// their own, custom roles and resource groups that select types and identifiers. The checks mix
// allowed and denied ones, with and without identifiers, in several scopes. No I/O: this is the
// work the authorizer does per check once a principal's snapshot is in memory.
import { parseArgs } from 'node:util';
import { compileSnapshot, evaluate } from '../dist/domain/evaluation.js';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
const seconds = Number(args.seconds);

const ACC = 'Aq3kZ9xY2bWc4dEf6gHi8j';
const scope = (o = null, p = null) => ({ accountIdentifier: ACC, orgIdentifier: o, projectIdentifier: p });
const A = scope();
const orgs = Array.from({ length: 5 }, (_, i) => `org_${i}`);

let n = 0;
const assignment = (over) => ({
  identifier: `ra_${n++}`, scope: A, roleIdentifier: '_account_viewer', resourceGroupIdentifier: '_all_account_level_resources',
  principalType: 'USER', principalIdentifier: 'u1', principalScopeLevel: 'account', disabled: false, ...over,
});

const assignments = [
  assignment({}),
  ...orgs.map((o) => assignment({ scope: scope(o), roleIdentifier: '_organization_viewer', resourceGroupIdentifier: '_all_organization_level_resources' })),
  ...orgs.map((o) => assignment({ scope: scope(o, 'proj_1'), roleIdentifier: '_project_admin', resourceGroupIdentifier: '_all_project_level_resources' })),
  assignment({ scope: scope('org_0'), roleIdentifier: 'deployer', resourceGroupIdentifier: 'some_accounts' }),
  assignment({ principalType: 'USER_GROUP', principalIdentifier: 'ops', principalScopeLevel: 'account', roleIdentifier: 'auditor', resourceGroupIdentifier: 'audit_only' }),
  assignment({ principalType: 'USER_GROUP', principalIdentifier: 'org_ops', principalScopeLevel: 'organization', scope: scope('org_1'),
    roleIdentifier: '_organization_admin', resourceGroupIdentifier: '_all_resources_including_child_scopes', disabled: true }),
];
const facts = {
  subject: { type: 'USER', identifier: 'u1', accountIdentifier: ACC, scope: null },
  groups: [{ identifier: 'ops', scope: A }, { identifier: 'org_ops', scope: scope('org_1') }],
  assignments,
  roles: [
    { identifier: 'deployer', name: 'Deployer', scope: A, permissions: ['core_serviceaccount_view', 'core_serviceaccount_manageapikey'], allowedScopeLevels: ['organization'] },
    { identifier: 'auditor', name: 'Auditor', scope: A, permissions: ['core_audit_view'], allowedScopeLevels: ['account'] },
  ],
  resourceGroups: [
    { identifier: 'some_accounts', name: 'Some', scope: scope('org_0'), includeAllResources: false,
      includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', scope: scope('org_0') }],
      resources: [{ resourceType: 'SERVICEACCOUNT', identifiers: ['deploy_bot', 'release_bot', 'ci_bot'] }] },
    { identifier: 'audit_only', name: 'Audit', scope: A, includeAllResources: false,
      includedScopes: [{ filter: 'INCLUDING_CHILD_SCOPES', scope: A }], resources: [{ resourceType: 'AUDIT', identifiers: null }] },
  ],
};
const snapshot = compileSnapshot(facts);

const checks = [
  ['core_serviceaccount_view', { scope: A, identifier: 'x' }],
  ['core_serviceaccount_edit', { scope: A, identifier: 'x' }],
  ['core_serviceaccount_manageapikey', { scope: scope('org_0', 'proj_7'), identifier: 'deploy_bot' }],
  ['core_serviceaccount_manageapikey', { scope: scope('org_0'), identifier: 'other_bot' }],
  ['core_serviceaccount_edit', { scope: scope('org_3', 'proj_1'), identifier: 'svc' }],
  ['core_project_view', { scope: scope('org_2'), type: 'PROJECT', identifier: 'proj_1' }],
  ['core_organization_edit', { scope: A, type: 'ORGANIZATION', identifier: 'org_4' }],
  ['core_audit_view', { scope: scope('org_2', 'proj_9') }],
  ['core_usergroup_manage', { scope: scope('org_1'), identifier: 'g' }],
  ['core_account_edit', { scope: A, identifier: ACC }],
  ['core_role_view', { scope: { accountIdentifier: 'another', orgIdentifier: null, projectIdentifier: null } }],
];

let allowed = 0;
for (const [p, r] of checks) if (evaluate(snapshot, p, r).allowed) allowed++;

// Warm up, then measure in batches until the time is up.
for (let i = 0; i < 200_000; i++) evaluate(snapshot, ...checks[i % checks.length]);
const batch = 100_000;
let count = 0;
const start = process.hrtime.bigint();
const deadline = start + BigInt(seconds * 1e9);
let now = start;
while (now < deadline) {
  for (let i = 0; i < batch; i++) evaluate(snapshot, ...checks[i % checks.length]);
  count += batch;
  now = process.hrtime.bigint();
}
const elapsed = Number(now - start) / 1e9;
const perSecond = Math.round(count / elapsed);
process.stdout.write(
  `permission evaluation on a cached snapshot: ${perSecond.toLocaleString('en-US')} evaluations/s ` +
  `(${count.toLocaleString('en-US')} in ${elapsed.toFixed(2)} s; ${assignments.length} assignments, ` +
  `${allowed}/${checks.length} checks allowed; target ≥ 200,000/s: ${perSecond >= 200_000 ? 'met' : 'NOT met'})\n`,
);
