// Console login, session, logout and password change (SPEC §3).
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { changePassword } from './change-password.js';
import { login } from './login.js';
import { logout } from './logout.js';
import { session } from './session.js';

export function authRoutes(app: App, services: Services) {
  login(app, services);
  session(app, services);
  logout(app, services);
  changePassword(app, services);
}
