// Shapes of the audit trail endpoint (SPEC §3).
import { Type } from '@sinclair/typebox';
import { EpochMs, Nullable, PageQueryFields, ScopeOut, ScopeQueryFields } from '../../http/schemas.js';

const List = Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 100 }));

export const AuditListQuery = Type.Object({
  ...ScopeQueryFields,
  pageIndex: PageQueryFields.pageIndex,
  pageSize: PageQueryFields.pageSize,
  sortOrders: PageQueryFields.sortOrders,
  actors: List,
  actions: List,
  resourceTypes: List,
  startTime: Type.Optional(EpochMs),
  endTime: Type.Optional(EpochMs),
});

export const AuditEventOut = Type.Object({
  auditId: Type.String(),
  timestamp: Type.Integer(),
  action: Type.String(),
  resource: Type.Object({ type: Type.String(), identifier: Type.String() }),
  scope: ScopeOut,
  authenticationInfo: Type.Object({
    principal: Type.Object({ type: Type.String(), identifier: Type.String() }),
    ip: Nullable(Type.String()),
    userAgent: Nullable(Type.String()),
  }),
  // Arbitrary JSON (the resource before and after the change): an empty schema passes it through.
  before: Type.Unknown(),
  after: Type.Unknown(),
});
