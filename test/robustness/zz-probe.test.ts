import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
describeEachEngine('probe', (h) => {
  it('email redos', async () => {
    for (const n of [20000, 100000, 400000]) {
      const email = 'a@' + 'a.'.repeat(n) + ' ';
      let t = Date.now();
      const r = await h().admin.client.post(`/ng/api/serviceaccount?accountIdentifier=${h().accountId}`, { identifier: 'sa1', name: 'x', email });
      console.log(n, r.status, Date.now() - t, r.text.slice(0, 200));
      t = Date.now();
      const r2 = await h().admin.client.post(`/ng/api/user?accountIdentifier=${h().accountId}`, { name: 'x', email, password: 'abcdefghijkl' });
      console.log('user', n, r2.status, Date.now() - t, r2.text.slice(0, 200));
    }
  }, 600000);
});
