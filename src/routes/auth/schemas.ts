// Shapes of the console-login endpoints and of UserInfo.
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.js';

export const UserInfo = Type.Object({
  uuid: Type.String(),
  name: Type.String(),
  email: Type.String(),
  defaultAccountId: Type.String(),
  admin: Type.Boolean(),
  disabled: Type.Boolean(),
  accounts: Type.Array(Type.Object({ uuid: Type.String(), accountName: Type.String() })),
}, { $id: undefined });

export const SessionInfo = Type.Object({
  ...UserInfo.properties,
  csrfToken: Nullable(Type.String()),
});
