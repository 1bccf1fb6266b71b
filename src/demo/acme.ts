import type { App } from '../app.js';
import type { RequestContext } from '../audit/index.js';
import type { Connection, ConnectionForLogin } from '../connections/index.js';
import { orgStore, type AdminPrincipal, type Org } from '../orgs/index.js';
import { randomToken } from '../platform/ids.js';
import type { DemoAccount } from './oidc-idp.js';

/**
 * The demo org "acme" and what it signs in with: a verified domain and an active OIDC
 * connection to the development IdP. Each step makes only what is missing, so it runs on
 * every development start; everything goes through the services (validated and audited
 * like an admin's calls).
 */

export const ACME = { slug: 'acme', name: 'Acme Retail', domain: 'acme.test' } as const;
/** A demo org's OIDC connection to the development OIDC IdP, and its client there. */
export interface DemoOidcConnection {
  name: string;
  clientId: string;
  scopes: readonly string[];
  roleMapping: Readonly<Record<string, string>>;
  /** What to ask the IdP for MFA (connection assurance settings), if anything. */
  assurance?: { request: { mfa: string[] } };
}

export const ACME_CONNECTION: DemoOidcConnection = {
  name: 'Acme IdP',
  clientId: 'latchkey',
  scopes: ['openid', 'email', 'profile', 'groups'],
  roleMapping: { 'ads-managers': 'ads.manager', analysts: 'ads.analyst' },
  // What to ask the IdP for when MFA is required (org policy or an app's acr_values): the
  // development IdP then asks for its one-time code (docs/assurance.md).
  assurance: { request: { mfa: ['urn:latchkey:loa:mfa'] } },
};

/** The people at Acme's IdP; each shows one path of the login. Any password works. */
export const DEMO_ACCOUNTS: Array<DemoAccount & { shows: string }> = [
  {
    sub: 'demo-alice',
    email: 'alice@acme.test',
    email_verified: true,
    name: 'Alice Martin',
    groups: ['ads-managers'],
    shows: 'signs in (ads-managers → ads.manager)',
  },
  {
    sub: 'demo-bob',
    email: 'bob@acme.test',
    email_verified: true,
    name: 'Bob Chen',
    groups: ['analysts'],
    shows: 'signs in (analysts → ads.analyst)',
  },
  {
    sub: 'demo-eve',
    email: 'eve@outsider.test',
    email_verified: true,
    name: 'Eve Outsider',
    groups: [],
    shows: "refused: email outside acme's verified domains",
  },
  {
    sub: 'demo-mallory',
    email: 'mallory@acme.test',
    email_verified: false,
    name: 'Mallory Moss',
    groups: [],
    shows: 'refused: email not verified (acme requires it)',
  },
];

/** The seed acts as a platform admin; the audit trail names it. */
export const SEED: AdminPrincipal = { scope: 'platform:admin', keyId: 'demo-seed' };
export const CONTEXT: RequestContext = {
  requestId: null,
  ip: null,
  userAgent: 'latchkey demo seed',
};
export const ALL: { limit: number; afterId: null } = { limit: 200, afterId: null };

/**
 * A demo org with its domain verified by attestation (DNS cannot answer for .test); what
 * exists is left as it is.
 */
export async function ensureDemoOrg(
  app: App,
  want: { slug: string; name: string; domain: string },
): Promise<Org> {
  const org =
    (await orgStore(app.db).getBySlug(want.slug)) ??
    (await app.orgs.create({ slug: want.slug, name: want.name }, SEED, CONTEXT));
  const domains = await app.domains.list(org.id, SEED, ALL);
  const domain =
    domains.items.find((d) => d.domain === want.domain) ??
    (await app.domains.add(org.id, { domain: want.domain }, SEED, CONTEXT));
  if (domain.status !== 'verified') await app.domains.attest(org.id, domain.id, {}, SEED, CONTEXT);
  return org;
}

/** A new demo connection, activated at once: the seed has no use for the draft stage. */
export async function createActiveConnection(
  app: App,
  orgId: string,
  body: Record<string, unknown>,
): Promise<Connection> {
  const created = await app.connections.create(orgId, body, SEED, CONTEXT);
  return app.connections.update(orgId, created.id, { status: 'active' }, null, SEED, CONTEXT);
}

/** A demo org's OIDC connection as stored, with its secret opened; null before the first start. */
export async function findDemoOidcConnection(
  app: App,
  orgId: string,
  spec: DemoOidcConnection,
): Promise<(ConnectionForLogin & { type: 'oidc' }) | null> {
  const connections = await app.connections.list(orgId, SEED, ALL);
  const found = connections.items.find((c) => c.type === 'oidc' && c.name === spec.name);
  const stored = found ? await app.connections.getConnectionForLogin(found.id) : null;
  return stored?.type === 'oidc' ? stored : null;
}

/**
 * The client secret both sides hold: the stored one (so a restarted IdP accepts what the
 * connection presents), or a new one before the connection exists.
 */
export const demoClientSecret = (existing: ConnectionForLogin | null) =>
  existing?.clientSecret ?? randomToken(32);

/**
 * Creates the connection as a draft (before the IdP runs: the IdP registers its redirect
 * URI), or brings an existing one in line with the running IdP (its issuer changes with
 * demo.oidcIdpPort). A draft is activated, which passes the live checks against the running
 * IdP; a connection an admin disabled stays disabled.
 */
export async function ensureDemoOidcConnection(
  app: App,
  orgId: string,
  spec: DemoOidcConnection,
  existing: (ConnectionForLogin & { type: 'oidc' }) | null,
  idp: { issuer: string; clientSecret: string },
): Promise<Connection> {
  if (!existing) {
    return app.connections.create(
      orgId,
      {
        type: 'oidc',
        name: spec.name,
        issuer: idp.issuer,
        client_id: spec.clientId,
        client_secret: idp.clientSecret,
        scopes: spec.scopes,
        role_mapping: spec.roleMapping,
        ...(spec.assurance ? { assurance: spec.assurance } : {}),
      },
      SEED,
      CONTEXT,
    );
  }
  const changes: Record<string, unknown> = {};
  if (existing.settings.issuer !== idp.issuer) changes.issuer = idp.issuer;
  if (existing.settings.clientId !== spec.clientId) changes.client_id = spec.clientId;
  if (existing.clientSecret !== idp.clientSecret) changes.client_secret = idp.clientSecret;
  if (existing.status === 'draft') changes.status = 'active';
  // Seeded before connections had assurance settings: what to ask the IdP for MFA.
  if (existing.settings.assurance === undefined && spec.assurance)
    changes.assurance = spec.assurance;
  if (Object.keys(changes).length === 0) return existing;
  return app.connections.update(orgId, existing.id, changes, null, SEED, CONTEXT);
}
