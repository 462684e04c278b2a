// A stored group as the API shows it.
import type { UserGroupRecord } from '../../store/user-groups.js';

export function userGroupDto(g: UserGroupRecord) {
  return { ...g, harnessManaged: false, externallyManaged: false, ssoLinked: false };
}
