// GET /ng/api/user/{uuid}
import type { App } from '../../http/app.js';
import { success } from '../../http/envelope.js';
import { accountScope, principalOf } from '../../http/request-scope.js';
import { ok } from '../../http/schemas.js';
import { entityNotFound, Messages } from '../../domain/errors.js';
import type { Services } from '../../services.js';
import { getUser as findUser, userInfo } from '../../store/users.js';
import { AccountQuery, UserInfo, UserParams } from './schemas.js';

export function getUser(app: App, services: Services) {
  app.get('/user/:uuid', {
    schema: { tags: ['users'], params: UserParams, querystring: AccountQuery, response: ok(UserInfo) },
  }, async (req) => {
    const { uuid } = req.params;
    const scope = accountScope(req);
    await services.authz.authorize(principalOf(req), 'core_user_view', { scope, type: 'USER', identifier: uuid });
    const user = await findUser(services.db, scope.accountIdentifier, uuid);
    if (!user) throw entityNotFound(Messages.userNotFound(uuid));
    return success(await userInfo(services.db, user), req.correlationId);
  });
}
