import { randomUUID } from 'node:crypto';
import type { TestApp } from './app.js';

const platform = { scope: 'platform:admin' as const, keyId: 'test' };
const ctx = { requestId: null, ip: '127.0.0.1', userAgent: 'test' };

/** Marks a domain verified for an org, as an attested claim would (behind the API). */
export async function verifiedDomain(t: Pick<TestApp, 'app'>, orgId: string, domain: string) {
  await t.app.db.query(
    `INSERT INTO org_domains (id, org_id, domain, status, verification_token, verification_method, verified_at, created_at, updated_at)
     VALUES ($1, $2, $3, 'verified', 'x', 'attestation', now(), now(), now())`,
    [randomUUID(), orgId, domain],
  );
}

/**
 * A connection made active behind the API's live checks: an IdP that passed them and broke
 * since (unreachable now, keys gone), or an attacker's that changed after its activation.
 */
export async function markActive(t: Pick<TestApp, 'app'>, connectionId: string) {
  await t.app.db.query(`UPDATE connections SET status = 'active' WHERE id = $1`, [connectionId]);
}

/**
 * An OIDC connection of the org to the given IdP, created and made active: through the
 * admin service's activation (its live checks pass) unless `broken` (see markActive).
 */
export async function activeOidcConnection(
  t: Pick<TestApp, 'app'>,
  orgId: string,
  idp: { issuer: string; clientId: string; clientSecret: string },
  settings: Record<string, unknown> & { name: string },
  options: { broken?: boolean } = {},
) {
  const connection = await t.app.connections.create(
    orgId,
    {
      type: 'oidc',
      issuer: idp.issuer,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      ...settings,
    },
    platform,
    ctx,
  );
  if (options.broken) await markActive(t, connection.id);
  else
    await t.app.connections.update(orgId, connection.id, { status: 'active' }, null, platform, ctx);
  return connection;
}
