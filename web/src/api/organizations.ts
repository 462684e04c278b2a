// Organizations and projects (SPEC §3): the scopes below the account.
import { api } from './client';
import { fetchAll } from './paging';
import type { Organization, OrganizationResponse, Project, ProjectResponse } from './types';

export const organizationKeys = { all: ['organizations'] as const, list: (account: string) => ['organizations', account] as const };
export const projectKeys = { all: ['projects'] as const, list: (account: string, org: string | null) => ['projects', account, org ?? '*'] as const };

export function listOrganizations(accountIdentifier: string, signal?: AbortSignal) {
  return fetchAll<OrganizationResponse>('/ng/api/organizations', { accountIdentifier }, signal);
}

export function createOrganization(accountIdentifier: string, organization: Organization) {
  return api.post<OrganizationResponse>('/ng/api/organizations', { organization }, { accountIdentifier });
}

export function updateOrganization(accountIdentifier: string, organization: Organization) {
  return api.put<OrganizationResponse>(`/ng/api/organizations/${encodeURIComponent(organization.identifier)}`, { organization }, { accountIdentifier });
}

export function deleteOrganization(accountIdentifier: string, identifier: string) {
  return api.delete<boolean>(`/ng/api/organizations/${encodeURIComponent(identifier)}`, { accountIdentifier });
}

/** Projects of one organization, or of every organization when `org` is null. */
export function listProjects(accountIdentifier: string, org: string | null, signal?: AbortSignal) {
  return fetchAll<ProjectResponse>('/ng/api/projects', { accountIdentifier, orgIdentifier: org ?? undefined }, signal);
}

export function createProject(accountIdentifier: string, project: Project) {
  return api.post<ProjectResponse>('/ng/api/projects', { project }, { accountIdentifier, orgIdentifier: project.orgIdentifier });
}

export function updateProject(accountIdentifier: string, project: Project) {
  return api.put<ProjectResponse>(`/ng/api/projects/${encodeURIComponent(project.identifier)}`, { project },
    { accountIdentifier, orgIdentifier: project.orgIdentifier });
}

export function deleteProject(accountIdentifier: string, orgIdentifier: string, identifier: string) {
  return api.delete<boolean>(`/ng/api/projects/${encodeURIComponent(identifier)}`, { accountIdentifier, orgIdentifier });
}
