// Shapes of the user endpoints: keysmith's own (Harness invites users by e-mail instead).
import { Type } from '@sinclair/typebox';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../auth/passwords.js';
import { Email, Nullable, PageQueryFields, PersonName, ScopeQueryFields } from '../../http/schemas.js';
import { RoleAssignmentMetadata } from '../role-assignments/schemas.js';

export { UserInfo } from '../auth/schemas.js';

export const CreateUserBody = Type.Object({
  email: Email,
  name: PersonName,
  password: Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX }),
});

export const UpdateUserBody = Type.Object({
  name: Type.Optional(Nullable(PersonName)),
  disabled: Type.Optional(Nullable(Type.Boolean())),
});

export const UserParams = Type.Object({ uuid: Type.String({ minLength: 1, maxLength: 128 }) });
export { AccountQuery } from '../../http/schemas.js';
export const UserListQuery = Type.Object({ ...ScopeQueryFields, ...PageQueryFields });

export const UserAggregate = Type.Object({
  user: Type.Object({
    uuid: Type.String(),
    name: Type.String(),
    email: Type.String(),
    disabled: Type.Boolean(),
    admin: Type.Boolean(),
    createdAt: Type.Integer(),
    lastModifiedAt: Type.Integer(),
  }),
  roleAssignmentMetadata: Type.Array(RoleAssignmentMetadata),
});

export const USER_SORT_FIELDS = ['lastModifiedAt', 'createdAt', 'name', 'email'] as const;
