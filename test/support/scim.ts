import assert from 'node:assert/strict';
import type { RequestListener } from 'node:http';
import request from 'supertest';
import type { AdminFixture } from './admin.js';
import { verifiedDomain } from './federation-seed.js';

export const SCIM_JSON = 'application/scim+json';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** A supertest client of one directory's SCIM endpoint, sending its bearer token. */
export function scimClient(http: RequestListener, directoryId: string, token: string) {
  const base = `/scim/v2/${directoryId}`;
  const auth = { Authorization: `Bearer ${token}` };
  const withBody = (r: request.Test, body: unknown, ifMatch?: string) => {
    r.set(auth).set('Content-Type', SCIM_JSON);
    if (ifMatch) r.set('If-Match', ifMatch);
    return r.send(JSON.stringify(body));
  };
  return {
    base,
    get: (path: string) => request(http).get(`${base}${path}`).set(auth),
    post: (path: string, body: unknown) => withBody(request(http).post(`${base}${path}`), body),
    put: (path: string, body: unknown, ifMatch?: string) =>
      withBody(request(http).put(`${base}${path}`), body, ifMatch),
    patch: (path: string, body: unknown, ifMatch?: string) =>
      withBody(request(http).patch(`${base}${path}`), body, ifMatch),
    delete: (path: string, ifMatch?: string) => {
      const r = request(http).delete(`${base}${path}`).set(auth);
      return ifMatch ? r.set('If-Match', ifMatch) : r;
    },
  };
}

export type ScimClient = ReturnType<typeof scimClient>;

/** A directory of the org (created through the admin API) with a fresh token, and its client. */
export async function scimDirectory(
  f: AdminFixture,
  org: AdminFixture['orgA'],
  name = 'Entra ID',
): Promise<{ id: string; token: string; scim: ScimClient }> {
  const created = await org.admin.post(`/api/v1/orgs/${org.id}/scim-directories`, { name });
  if (created.status !== 201) throw new Error(`directory: ${created.status} ${created.text}`);
  const id = (created.body as { id: string }).id;
  const issued = await org.admin.post(`/api/v1/orgs/${org.id}/scim-directories/${id}/tokens`);
  if (issued.status !== 201) throw new Error(`token: ${issued.status} ${issued.text}`);
  const token = (issued.body as { token: string }).token;
  return { id, token, scim: scimClient(f.t.app.http, id, token) };
}

/** Org A owns a.example and org B b.example (verified), the domains SCIM users live in. */
export async function scimDomains(f: AdminFixture): Promise<void> {
  await verifiedDomain(f.t, f.orgA.id, 'a.example');
  await verifiedDomain(f.t, f.orgB.id, 'b.example');
}

/** A core + enterprise user body as Okta or Entra ID would POST it. */
export const userBody = (userName: string, extra: Record<string, unknown> = {}) => ({
  schemas: [CORE_USER, ENTERPRISE_USER],
  userName,
  name: { givenName: 'Ada', familyName: 'Lovelace' },
  emails: [{ value: userName, type: 'work', primary: true }],
  active: true,
  [ENTERPRISE_USER]: { employeeNumber: '42', department: 'Ads', manager: { value: 'm-1' } },
  ...extra,
});

export const CORE_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** A group body as Okta or Entra ID would POST it. */
export const groupBody = (
  displayName: string,
  members: string[] = [],
  extra: Record<string, unknown> = {},
) => ({
  schemas: [CORE_GROUP],
  displayName,
  members: members.map((value) => ({ value })),
  ...extra,
});

/** POSTs a resource the test needs to exist (201, or the test fails) and returns its id. */
export async function createdId(
  client: ScimClient,
  path: '/Users' | '/Groups',
  body: unknown,
): Promise<string> {
  const res = await client.post(path, body);
  assert.equal(res.status, 201, res.text);
  return (res.body as { id: string }).id;
}
