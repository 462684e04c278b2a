// Conformance, SPEC §3 for service accounts, as the Terraform provider's harness_platform_service_account
// uses them: exact shapes (ServiceAccount, ServiceAccountAggregate with tokensCount and
// roleAssignmentsMetadataDTO), exact messages, immutable identifier and email, and the cascade.
import { describe, expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { createApiKey, createToken, NG, saOwner } from '../helpers/api-keys.js';
import {
  expectErrorDto, expectPage, expectSuccess, ROLE_ASSIGNMENT_METADATA_FIELDS, SERVICE_ACCOUNT_AGGREGATE_FIELDS,
  SERVICE_ACCOUNT_FIELDS, sortedKeys,
} from './support.js';

describeEachEngine('conformance: service accounts', (h) => {
  const admin = () => h().admin;
  const A = () => h().accountId;
  const q = (extra: Record<string, string> = {}) => ({ query: { accountIdentifier: A(), ...extra } });
  const body = (identifier: string, extra: Record<string, unknown> = {}) =>
    ({ identifier, name: `${identifier} name`, email: `${identifier}@Robots.Example.com`, description: 'robot', tags: { team: 'ops' }, accountIdentifier: A(), ...extra });

  describe('ServiceAccount', () => {
    it('POST answers every field, nothing more, with the email in lower case; GET and PUT the same shape', async () => {
      const created = expectSuccess(await admin().client.post(`${NG}/serviceaccount`, body('shape_sa'), q()));
      expect(sortedKeys(created)).toEqual(SERVICE_ACCOUNT_FIELDS);
      expect(created).toEqual({
        identifier: 'shape_sa', name: 'shape_sa name', email: 'shape_sa@robots.example.com', description: 'robot', tags: { team: 'ops' },
        accountIdentifier: A(), orgIdentifier: null, projectIdentifier: null,
      });
      const read = expectSuccess(await admin().client.get(`${NG}/serviceaccount/shape_sa`, q()));
      expect(read).toEqual(created);
      const updated = expectSuccess(await admin().client.put(`${NG}/serviceaccount/shape_sa`, { ...created, name: 'Renamed', tags: {} }, q()));
      expect(updated).toEqual({ ...created, name: 'Renamed', tags: {} });
      const list = expectSuccess(await admin().client.get(`${NG}/serviceaccount`, q({ identifiers: 'shape_sa' })));
      expect(list).toEqual([updated]);
    });

    it('at an organization or project scope', async () => {
      const created = expectSuccess(await admin().client.post(`${NG}/serviceaccount`, body('proj_sa'), q({ orgIdentifier: 'default', projectIdentifier: 'default_project' })));
      expect(created).toMatchObject({ orgIdentifier: 'default', projectIdentifier: 'default_project' });
      expectErrorDto(await admin().client.get(`${NG}/serviceaccount/proj_sa`, q()), 404, 'ENTITY_NOT_FOUND');
    });

    it('exact message for a duplicate: "A service account with identifier X is already present or was deleted in scope"', async () => {
      expectSuccess(await admin().client.post(`${NG}/serviceaccount`, body('dup_sa'), q()));
      const dup = await admin().client.post(`${NG}/serviceaccount`, body('dup_sa'), q());
      expectErrorDto(dup, 400, 'DUPLICATE_FIELD', 'A service account with identifier dup_sa is already present or was deleted in scope');
    });

    it('PUT: the identifier and the email must equal the stored ones (400); a missing one is a 404', async () => {
      expectSuccess(await admin().client.post(`${NG}/serviceaccount`, body('imm_sa'), q()));
      const email = await admin().client.put(`${NG}/serviceaccount/imm_sa`, body('imm_sa', { email: 'other@robots.example.com' }), q());
      expectErrorDto(email, 400, 'INVALID_REQUEST');
      const id = await admin().client.put(`${NG}/serviceaccount/imm_sa`, body('imm_sb'), q());
      expectErrorDto(id, 400, 'INVALID_REQUEST');
      // The email compares case-insensitively, as it is stored lower-case.
      expectSuccess(await admin().client.put(`${NG}/serviceaccount/imm_sa`, body('imm_sa', { email: 'IMM_SA@robots.example.com' }), q()));
      expectErrorDto(await admin().client.put(`${NG}/serviceaccount/nope_sa`, body('nope_sa'), q()), 404, 'ENTITY_NOT_FOUND');
    });
  });

  describe('ServiceAccountAggregate', () => {
    it('carries tokensCount (its API keys) and roleAssignmentsMetadataDTO with every field', async () => {
      expectSuccess(await admin().client.post(`${NG}/serviceaccount`, body('agg_sa'), q()));
      const sa = { identifier: 'agg_sa', scope: { orgIdentifier: null, projectIdentifier: null } };
      await createApiKey(h(), admin().client, saOwner(sa), 'agg_k1');
      await createApiKey(h(), admin().client, saOwner(sa), 'agg_k2');
      await createToken(h(), admin().client, saOwner(sa), 'agg_k1', 'agg_t1');
      const ra = await h().grantRole({ type: 'SERVICE_ACCOUNT', identifier: 'agg_sa' }, '_account_viewer', { resourceGroupIdentifier: '_all_account_level_resources' });
      const one = expectSuccess(await admin().client.get(`${NG}/serviceaccount/aggregate/agg_sa`, q()));
      expect(sortedKeys(one)).toEqual(SERVICE_ACCOUNT_AGGREGATE_FIELDS);
      expect(sortedKeys(one.serviceAccount)).toEqual(SERVICE_ACCOUNT_FIELDS);
      expect(one.tokensCount).toBe(2);
      expect(typeof one.createdAt).toBe('number');
      expect(typeof one.lastModifiedAt).toBe('number');
      expect(one.roleAssignmentsMetadataDTO).toHaveLength(1);
      expect(sortedKeys(one.roleAssignmentsMetadataDTO[0])).toEqual(ROLE_ASSIGNMENT_METADATA_FIELDS);
      expect(one.roleAssignmentsMetadataDTO[0]).toEqual({
        identifier: ra, roleIdentifier: '_account_viewer', roleName: expect.any(String),
        resourceGroupIdentifier: '_all_account_level_resources', resourceGroupName: expect.any(String), managedRole: true, managedRoleAssignment: false,
      });
      const page = expectSuccess(await admin().client.get(`${NG}/serviceaccount/aggregate`, q({ identifiers: 'agg_sa' })));
      expectPage(page);
      expect(page.content).toEqual([one]);
      expectErrorDto(await admin().client.get(`${NG}/serviceaccount/aggregate/no_sa_here`, q()), 404, 'ENTITY_NOT_FOUND');
    });
  });

  describe('DELETE', () => {
    it('answers true and cascades to its API keys and tokens, at once', async () => {
      expectSuccess(await admin().client.post(`${NG}/serviceaccount`, body('gone_sa'), q()));
      const sa = { identifier: 'gone_sa', scope: { orgIdentifier: null, projectIdentifier: null } };
      const value = await createToken(h(), admin().client, saOwner(sa), 'gone_key', 'gone_tok');
      await h().grantRole({ type: 'SERVICE_ACCOUNT', identifier: 'gone_sa' }, '_account_viewer', { resourceGroupIdentifier: '_all_account_level_resources' });
      expectSuccess(await h().tokenClient(value).get(`${NG}/user/currentUser`));
      expect(expectSuccess(await admin().client.delete(`${NG}/serviceaccount/gone_sa`, q()))).toBe(true);
      expectErrorDto(await h().tokenClient(value).get(`${NG}/user/currentUser`), 401, 'INVALID_TOKEN', 'Token is not valid.');
      const keys = expectSuccess(await admin().client.get(`${NG}/apikey`, { query: { accountIdentifier: A(), apiKeyType: 'SERVICE_ACCOUNT', parentIdentifier: 'gone_sa' } }));
      expect(keys).toEqual([]);
      expectErrorDto(await admin().client.delete(`${NG}/serviceaccount/gone_sa`, q()), 404, 'ENTITY_NOT_FOUND');
    });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' } });
