// GET /apikey and GET /apikey/aggregate: the keys of one owner, or — without parentIdentifier —
// of every owner in the scope whose keys the caller may see (the console's inventory). Lists are
// filtered, never refused.
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import { keyVisibility } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { countTokensByKey, listApiKeys, type ApiKeyRecord } from '../../store/api-keys.js';
import { AggregateListQuery, ApiKeyAggregateOut, ApiKeyOut, ListQuery } from './schemas.js';
import { apiKeyAggregateView, apiKeyView } from './views.js';

interface ListFilter {
  apiKeyType?: 'USER' | 'SERVICE_ACCOUNT';
  parentIdentifier?: string;
  identifiers?: string[];
}

async function visibleApiKeys(services: Services, req: FastifyRequest, query: ListFilter): Promise<ApiKeyRecord[]> {
  const principal = principalOf(req);
  const scope = requestScope(req);
  await assertListedScopeExists(services, principal, scope);
  const records = await listApiKeys(services.db, {
    scope, apiKeyType: query.apiKeyType, parentIdentifier: query.parentIdentifier, identifiers: query.identifiers,
  });
  const visible = keyVisibility(services, principal);
  const allowed = await Promise.all(records.map((r) => visible({
    scope, apiKeyType: r.apiKey.apiKeyType, parentIdentifier: r.apiKey.parentIdentifier,
  })));
  return records.filter((_, i) => allowed[i]);
}

export function listApiKeysRoute(app: App, services: Services) {
  app.get('/apikey', {
    schema: { tags: ['api keys'], querystring: ListQuery, response: ok(Type.Array(ApiKeyOut)) },
  }, async (req) => {
    const records = await visibleApiKeys(services, req, req.query);
    return success(records.map(apiKeyView), req.correlationId);
  });
}

const SORTABLE = ['lastModifiedAt', 'createdAt', 'name', 'identifier'] as const;

export function listApiKeyAggregatesRoute(app: App, services: Services) {
  app.get('/apikey/aggregate', {
    schema: { tags: ['api keys'], querystring: AggregateListQuery, response: ok(PageOf(ApiKeyAggregateOut)) },
  }, async (req) => {
    const page = pageRequest(req.query, SORTABLE);
    const records = (await visibleApiKeys(services, req, req.query)).filter((r) => matchesSearch(page.searchTerm, r.apiKey));
    const sorted = sortItems(records, page, (r, field) => {
      switch (field) {
        case 'createdAt': return r.createdAt;
        case 'name': return r.apiKey.name.toLowerCase();
        case 'identifier': return r.apiKey.identifier;
        default: return r.lastModifiedAt;
      }
    }, (r) => r.id);
    const start = page.pageIndex * page.pageSize;
    const shown = sorted.slice(start, start + page.pageSize);
    const counts = await countTokensByKey(services.db, shown.map((r) => r.id));
    const result = pageOf(sorted, page);
    return success({ ...result, content: shown.map((r) => apiKeyAggregateView(r, counts.get(r.id) ?? 0)) }, req.correlationId);
  });
}
