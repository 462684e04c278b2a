// Loads what permission evaluation needs about one principal, in four queries: its groups, the
// role assignments naming it or those groups (at every scope of the account), and the custom roles
// and resource groups those assignments name. src/domain/evaluation.ts decides what applies.
import type { Kysely } from 'kysely';
import { isManagedResourceGroup, isManagedRole } from '../domain/managed.js';
import type { AccessFacts, Subject } from '../domain/evaluation.js';
import { resourceGroupFacts } from './resource-groups.js';
import { toAssignmentFact } from './role-assignments.js';
import { roleFacts } from './roles.js';
import { inChunks } from './chunks.js';
import type { Database } from './schema.js';
import { groupsOfPrincipal } from './user-groups.js';

export async function loadAccessFacts(db: Kysely<Database>, subject: Subject): Promise<AccessFacts> {
  const groups = await groupsOfPrincipal(db, subject.accountIdentifier, subject.type, subject.identifier, subject.scope);
  const groupIds = [...new Set(groups.map((g) => g.identifier))];
  // The principal's own assignments with its first groups' (an OR of two index lookups on either
  // engine), then the rest of its groups a chunk at a time. A subquery for the groups instead made
  // PostgreSQL scan every assignment of the account.
  const assignmentsOf = (ids: string[], withOwn: boolean) => db.selectFrom('role_assignments').selectAll()
    .where('account_id', '=', subject.accountIdentifier)
    .where((eb) => eb.or([
      ...(withOwn ? [eb.and([eb('principal_type', '=', subject.type), eb('principal_identifier', '=', subject.identifier)])] : []),
      ...(ids.length > 0 ? [eb.and([eb('principal_type', '=', 'USER_GROUP'), eb('principal_identifier', 'in', ids)])] : []),
    ]))
    .execute();
  const rows = groupIds.length === 0
    ? await assignmentsOf([], true)
    : await inChunks(groupIds, (chunk, index) => assignmentsOf(chunk, index === 0));
  const assignments = rows.map(toAssignmentFact);
  const roleIds = [...new Set(assignments.map((a) => a.roleIdentifier).filter((id) => !isManagedRole(id)))];
  const groupRefs = [...new Set(assignments.map((a) => a.resourceGroupIdentifier).filter((id) => !isManagedResourceGroup(id)))];
  const [roles, resourceGroups] = await Promise.all([
    roleFacts(db, subject.accountIdentifier, roleIds),
    resourceGroupFacts(db, subject.accountIdentifier, groupRefs),
  ]);
  return { subject, groups, assignments, roles, resourceGroups };
}
