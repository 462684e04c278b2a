import { expect, it } from 'vitest';
import { createHarness } from '../helpers/harness.js';
it('openapi', async () => {
  const h = await createHarness('sqlite');
  const res = await h.anonymous.get('/openapi.json');
  expect(res.status).toBe(200);
  const paths = Object.keys(res.body.paths).filter((p) => p.includes('token') || p.includes('apikey'));
  console.log(paths.join('\n'));
  console.log(JSON.stringify(res.body.paths['/ng/api/token/all'].delete.responses['200']).slice(0, 400));
  await h.close();
});
