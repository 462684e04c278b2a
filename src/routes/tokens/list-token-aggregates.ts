// GET /token/aggregate: tokens of one key or owner, or — without parentIdentifier — of every owner
// in the scope whose tokens the caller may see (the console's inventory). Filtered, never refused.
// Expired tokens, and those of a disabled user, are listed with `valid: false`;
// includeOnlyActiveTokens keeps the ones that authenticate now.
import type { App } from '../../http/app.js';
import { matchesSearch, pageOf, pageRequest, sortItems, success } from '../../http/envelope.js';
import { assertListedScopeExists, principalOf, requestScope } from '../../http/request-scope.js';
import { ok, PageOf } from '../../http/schemas.js';
import { invalidRequest, Messages } from '../../domain/errors.js';
import { expiryAt, isActive } from '../../domain/rotation.js';
import { keyVisibility } from '../../auth/key-access.js';
import type { Services } from '../../services.js';
import { listKeyOwners, type KeyOwner } from '../../store/api-keys.js';
import { listTokens, type TokenRecord } from '../../store/tokens.js';
import { disabledUserIds, ownerInfos, ownerKey } from '../api-keys/owners.js';
import { TokenAggregateOut, TokenListQuery } from './schemas.js';
import { tokenAggregateView } from './views.js';

const SORTABLE = ['lastModifiedAt', 'createdAt', 'name', 'identifier', 'validFrom', 'validTo', 'expiryAt', 'lastUsedAt'] as const;

export function listTokenAggregatesRoute(app: App, services: Services) {
  app.get('/token/aggregate', {
    schema: { tags: ['tokens'], querystring: TokenListQuery, response: ok(PageOf(TokenAggregateOut)) },
  }, async (req) => {
    const query = req.query;
    if (query.apiKeyIdentifier && !query.parentIdentifier) throw invalidRequest(Messages.needParentIdentifier);
    const page = pageRequest(query, SORTABLE);
    // 1. scope and caller
    const principal = principalOf(req);
    const scope = requestScope(req);
    await assertListedScopeExists(services, principal, scope);
    // 2. the owners whose tokens the caller may see
    const candidates = await listKeyOwners(services.db, { scope, apiKeyType: query.apiKeyType, parentIdentifier: query.parentIdentifier });
    const visible = keyVisibility(services, principal);
    const allowed = await Promise.all(candidates.map((o) => visible(o)));
    const owners: KeyOwner[] = candidates.filter((_, i) => allowed[i]);
    // 3. their tokens, filtered, sorted and paged
    const now = services.now();
    const disabledUsers = query.includeOnlyActiveTokens ? await disabledUserIds(services.db, scope.accountIdentifier) : new Set<string>();
    const active = (r: TokenRecord) => isActive(r, now) && !(r.apiKeyType === 'USER' && disabledUsers.has(r.parentIdentifier));
    // The store pre-filters by search term only where its lower() and the JSON text of tags agree
    // with the exact rule applied here: plain ASCII without quotes or backslashes.
    const prefilter = page.searchTerm && /^[\x20-\x7e]*$/.test(page.searchTerm) && !/["\\]/.test(page.searchTerm) ? page.searchTerm : null;
    const records = (await listTokens(services.db, {
      scope, owners, apiKeyIdentifier: query.apiKeyIdentifier, identifiers: query.identifiers, searchTerm: prefilter,
    })).filter((r) => matchesSearch(page.searchTerm, r) && (!query.includeOnlyActiveTokens || active(r)));
    const sorted = sortItems(records, page, (r, field) => {
      switch (field) {
        case 'createdAt': return r.createdAt;
        case 'name': return r.name.toLowerCase();
        case 'identifier': return r.identifier;
        case 'validFrom': return r.validFrom;
        case 'validTo': return r.validTo;
        case 'expiryAt': return expiryAt(r);
        case 'lastUsedAt': return r.lastUsedAt;
        default: return r.lastModifiedAt;
      }
    }, (r) => r.tokenId);
    const result = pageOf(sorted, page);
    const infos = await ownerInfos(services.db, result.content.map((r) => ({
      scope: r.scope, apiKeyType: r.apiKeyType, parentIdentifier: r.parentIdentifier,
    })));
    const content = result.content.map((r) => tokenAggregateView(r, infos.get(ownerKey({
      scope: r.scope, apiKeyType: r.apiKeyType, parentIdentifier: r.parentIdentifier,
    })) ?? null, now));
    return success({ ...result, content }, req.correlationId);
  });
}
