// Projects (SPEC §3): create, get, list, update, delete under /ng/api/projects.
import type { App } from '../../http/app.js';
import type { Services } from '../../services.js';
import { createProject } from './create-project.js';
import { deleteProject } from './delete-project.js';
import { getProject } from './get-project.js';
import { listProjects } from './list-projects.js';
import { updateProject } from './update-project.js';

export function projectRoutes(app: App, services: Services) {
  createProject(app, services);
  listProjects(app, services);
  getProject(app, services);
  updateProject(app, services);
  deleteProject(app, services);
}
