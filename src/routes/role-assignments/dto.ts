// A stored assignment as the API shows it.
import type { RoleAssignmentRecord } from '../../store/role-assignments.js';

export function roleAssignmentDto(r: RoleAssignmentRecord) {
  return { roleAssignment: r.roleAssignment, scope: r.scope, harnessManaged: r.harnessManaged, createdAt: r.createdAt, lastModifiedAt: r.lastModifiedAt };
}

/** Who to tell after an assignment changed: the principal (a group reaches all its members). */
export function invalidationFor(r: RoleAssignmentRecord) {
  const p = r.roleAssignment.principal;
  return { kind: 'principal' as const, accountIdentifier: r.scope.accountIdentifier, principalType: p.type, principalIdentifier: p.identifier, permissionsOnly: true as const };
}
