import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { seedDemo } from '../../src/demo/seed.js';
import { startTestApp, type TestApp } from '../support/app.js';

describe('development seed', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ env: { LATCHKEY_DEMO_ENABLED: 'true' } });
  });
  after(async () => {
    await t.close();
  });

  it('when Latchkey first starts in development, then a working platform key is printed once, and never again', async () => {
    const first: string[] = [];
    await seedDemo(t.app, (line) => first.push(line));
    const key = /lk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}/.exec(first.join('\n'))?.[0];
    assert.ok(key, 'the key is printed');
    const res = await request(t.app.http).get('/api/v1/orgs').set('Authorization', `Bearer ${key}`);
    assert.equal(res.status, 200);
    const second: string[] = [];
    await seedDemo(t.app, (line) => second.push(line));
    assert.deepEqual(second, []);
    const { rows } = await t.app.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM api_keys WHERE scope = 'platform:admin'`,
    );
    assert.equal(rows[0]!.n, 1);
    assert.ok(!t.logs.text.includes(key), 'the key is printed, never logged');
  });
});
