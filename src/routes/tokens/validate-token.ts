// POST /token/validate: is this token value valid? Needs no credentials (the body is the
// credential), limited per IP; answers with the token (never a secret) or 401.
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { ok } from '../../http/schemas.js';
import { invalidToken, Messages, tooManyRequests } from '../../domain/errors.js';
import { parseToken } from '../../domain/token-format.js';
import type { Services } from '../../services.js';
import { findTokenById } from '../../store/tokens.js';
import { AccountQuery, emptyTokenWhenAbsent, RawTokenBody, TokenOut } from './schemas.js';
import { tokenView } from './views.js';

export function validateTokenRoute(app: App, services: Services) {
  app.post('/token/validate', {
    config: { auth: 'public', body: 'text' },
    preValidation: emptyTokenWhenAbsent,
    schema: { tags: ['tokens'], querystring: AccountQuery, body: RawTokenBody, response: ok(TokenOut) },
  }, async (req) => {
    // 1. the per-IP budget of validations
    const wait = await services.ipRateLimiter.consume('validate', req.ip);
    if (wait !== null) throw tooManyRequests(Messages.tooManyTokenRequests, wait);
    // 2. verify the value as authentication would, in the account asked about
    const raw = req.body.trim();
    const now = services.now();
    const principal = await services.tokens.authenticate(raw, now, req.query.accountIdentifier);
    const record = await findTokenById(services.db, parseToken(raw)!.tokenId);
    if (!record) throw invalidToken();
    // It authenticated, so its owner exists and is enabled.
    return success(tokenView(record, { email: principal.email, name: principal.name, disabled: false }, now), req.correlationId);
  });
}
