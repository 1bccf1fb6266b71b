import type { App } from '../app.js';
import { oidcRedirectUri } from '../connections/index.js';
import {
  ACME,
  ACME_CONNECTION,
  DEMO_ACCOUNTS,
  acmeClientSecret,
  ensureAcmeConnection,
  ensureAcmeOrg,
  findAcmeConnection,
} from './acme.js';
import {
  ensureGlobexConnection,
  ensureGlobexOrg,
  GLOBEX,
  GLOBEX_ACCOUNTS,
  GLOBEX_CONNECTION,
  trustGlobexSp,
} from './globex.js';
import { startDemoOidcIdp } from './oidc-idp.js';
import { startDemoSamlIdp, type DemoSamlIdp, type DemoSamlLogoutRequest } from './saml-idp.js';

/** What the seed leaves running: the development IdPs. Close them on shutdown. */
export interface DemoEnvironment {
  oidcIdpIssuer: string;
  /** The development SAML IdP's entity id, which is also its metadata URL. */
  samlIdpEntityId: string;
  /** The signed LogoutRequests the development SAML IdP accepted (Single Logout). */
  samlLogoutRequests(): DemoSamlLogoutRequest[];
  close(): Promise<void>;
}

/**
 * Development seed, run at start when demo.enabled (refused in production). Each part
 * makes only what does not exist yet, so it runs on every start:
 *
 * 1. a bootstrap platform admin API key, created once and printed once (later starts find
 *    it and print nothing; create another with `npm run cli -- apikeys create --platform`);
 * 2. org "acme" (Acme Retail) with acme.test verified by platform attestation;
 * 3. the development OIDC IdP on demo.oidcIdpHost:oidcIdpPort, with Latchkey registered as
 *    its client `latchkey` (redirect URI <issuer>/login/oidc/callback/<connection id>), and acme's active
 *    OIDC connection "Acme IdP" to it. The client secret is generated once and read back
 *    from the connection at every later start, so the restarted IdP accepts it;
 * 4. org "globex" (Globex) with globex.test verified, the development SAML IdP on
 *    demo.samlIdpHost:samlIdpPort (key and certificate new at every start), globex's
 *    active SAML connection "Globex IdP" made from (and kept in line with) that IdP's
 *    metadata, and the IdP trusting the connection's SP entity id, ACS and certificate.
 *
 * Prints the IdPs and their demo accounts for the development banner, every time.
 */
export async function seedDemo(app: App, print: (line: string) => void): Promise<DemoEnvironment> {
  await seedPlatformKey(app, print);

  const org = await ensureAcmeOrg(app);
  let existing = await findAcmeConnection(app, org.id);
  const clientSecret = acmeClientSecret(existing);
  // The IdP registers the connection's own redirect URI, so the connection exists first;
  // its issuer is set to the IdP's below, once the IdP has its port.
  if (!existing) {
    const { oidcIdpHost: host, oidcIdpPort: port } = app.config.demo;
    await ensureAcmeConnection(app, org.id, null, {
      issuer: `http://${host}:${port}`,
      clientSecret,
    });
    existing = await findAcmeConnection(app, org.id);
    if (!existing) throw new Error('the demo OIDC connection was not created');
  }
  const idp = await startDemoOidcIdp({
    host: app.config.demo.oidcIdpHost,
    port: app.config.demo.oidcIdpPort,
    displayName: ACME_CONNECTION.name,
    clients: [
      {
        client_id: ACME_CONNECTION.clientId,
        client_secret: clientSecret,
        client_name: 'Latchkey',
        redirect_uris: [oidcRedirectUri(app.config.server.issuer, existing.id)],
      },
    ],
    accounts: DEMO_ACCOUNTS,
    logger: app.logger,
  });
  try {
    const connection = await ensureAcmeConnection(app, org.id, existing, {
      issuer: idp.issuer,
      clientSecret,
    });
    printIdp(print, ACME_BANNER, idp.issuer, connection);
  } catch (error) {
    await idp.close();
    throw error;
  }
  let samlIdp: DemoSamlIdp;
  try {
    samlIdp = await seedGlobex(app, print);
  } catch (error) {
    await idp.close();
    throw error;
  }
  return {
    oidcIdpIssuer: idp.issuer,
    samlIdpEntityId: samlIdp.entityId,
    samlLogoutRequests: () => samlIdp.receivedLogoutRequests(),
    close: async () => {
      await Promise.all([idp.close(), samlIdp.close()]);
    },
  };
}

/** Globex, its SAML connection and the development SAML IdP (left running). */
async function seedGlobex(app: App, print: (line: string) => void): Promise<DemoSamlIdp> {
  const org = await ensureGlobexOrg(app);
  const idp = await startDemoSamlIdp({
    host: app.config.demo.samlIdpHost,
    port: app.config.demo.samlIdpPort,
    displayName: GLOBEX_CONNECTION.name,
    accounts: GLOBEX_ACCOUNTS,
    logger: app.logger,
  });
  try {
    const connection = await ensureGlobexConnection(app, org.id, idp);
    await trustGlobexSp(app, idp, connection);
    printIdp(print, GLOBEX_BANNER, idp.entityId, connection);
  } catch (error) {
    await idp.close();
    throw error;
  }
  return idp;
}

/** The bootstrap platform admin key: created and printed once, never logged. */
async function seedPlatformKey(app: App, print: (line: string) => void): Promise<void> {
  const { rows } = await app.db.query<{ id: string }>(
    `SELECT id FROM api_keys WHERE scope = 'platform:admin' AND revoked_at IS NULL ORDER BY id LIMIT 1`,
  );
  if (rows[0]) {
    // Only its verifier is stored: it cannot be shown again, but a new one can be made.
    print(
      `  Admin API  platform:admin key ${rows[0].id} exists (shown at the start that made it);`,
    );
    print(`             lost it? npm run cli -- apikeys create --platform`);
    return;
  }
  const { key, secret } = await app.apiKeys.create(
    { orgId: null, body: { name: 'development bootstrap' } },
    'cli',
    null,
  );
  print(`  Admin API  platform:admin key ${key.id} (shown once, keep it):`);
  print(`             ${secret}`);
  print(
    `             curl -H 'Authorization: Bearer ${secret.slice(0, 12)}…' ${app.config.server.issuer}/api/v1/orgs`,
  );
}

/** What the banner says of a demo IdP: its name, its org and connection as seeded, its accounts. */
interface Banner {
  label: string;
  org: { slug: string };
  connection: { name: string };
  accounts: Array<{ email: string; shows: string }>;
}

const ACME_BANNER: Banner = {
  label: 'OIDC IdP',
  org: ACME,
  connection: ACME_CONNECTION,
  accounts: DEMO_ACCOUNTS,
};
const GLOBEX_BANNER: Banner = {
  label: 'SAML IdP',
  org: GLOBEX,
  connection: GLOBEX_CONNECTION,
  accounts: GLOBEX_ACCOUNTS,
};

/** A demo IdP's lines of the start banner; a connection not active (any more) says so. */
function printIdp(
  print: (line: string) => void,
  banner: Banner,
  id: string,
  connection: { name: string; status: string },
): void {
  const width = Math.max(...banner.accounts.map((a) => a.email.length));
  const seeded = `${banner.connection.name}, org ${banner.org.slug}`;
  print(`  ${banner.label.padEnd(9)}  ${id}  (${seeded})`);
  if (connection.status !== 'active') {
    print(
      `             connection "${connection.name}" is ${connection.status}: activate it to use it`,
    );
  }
  print(`  Accounts   any password at the ${banner.label}:`);
  for (const account of banner.accounts) {
    print(`             ${account.email.padEnd(width)}  ${account.shows}`);
  }
}
