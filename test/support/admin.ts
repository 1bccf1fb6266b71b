import request from 'supertest';
import { startTestApp, type TestApp } from './app.js';

/** A bound supertest client that sends an admin API key on every call. */
export function adminClient(t: TestApp, key: string) {
  const http = t.app.http;
  const auth = { Authorization: `Bearer ${key}` };
  return {
    get: (path: string) => request(http).get(path).set(auth),
    post: (path: string, body?: unknown) => {
      const r = request(http).post(path).set(auth);
      return body === undefined ? r : r.send(body as object);
    },
    patch: (path: string, body: unknown, ifMatch?: string) => {
      const r = request(http).patch(path).set(auth);
      if (ifMatch) r.set('If-Match', ifMatch);
      return r.send(body as object);
    },
    put: (path: string, body: unknown) =>
      request(http)
        .put(path)
        .set(auth)
        .send(body as object),
    delete: (path: string) => request(http).delete(path).set(auth),
  };
}

export type AdminClient = ReturnType<typeof adminClient>;

/**
 * A test app with a platform admin and two orgs (a and b), each with its own org admin
 * key: the cast of every tenant-isolation test.
 */
export async function startAdminFixture(options: Parameters<typeof startTestApp>[0] = {}) {
  const t = await startTestApp(options);
  const platformKey = (
    await t.app.apiKeys.create({ orgId: null, body: { name: 'test platform' } }, 'cli', null)
  ).secret;
  const platform = adminClient(t, platformKey);
  const makeOrg = async (slug: string) => {
    const res = await platform.post('/api/v1/orgs', { slug, name: `Org ${slug}` });
    if (res.status !== 201) throw new Error(`creating org ${slug}: ${res.status} ${res.text}`);
    const org = res.body as { id: string };
    const key = await platform.post(`/api/v1/orgs/${org.id}/api-keys`, { name: `${slug} admin` });
    if (key.status !== 201) throw new Error(`creating key for ${slug}: ${key.status} ${key.text}`);
    return {
      id: org.id,
      admin: adminClient(t, (key.body as { secret: string }).secret),
      keySecret: (key.body as { secret: string }).secret,
    };
  };
  const orgA = await makeOrg('org-a');
  const orgB = await makeOrg('org-b');
  return { t, platform, platformKey, orgA, orgB, makeOrg };
}

export type AdminFixture = Awaited<ReturnType<typeof startAdminFixture>>;
