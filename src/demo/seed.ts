import type { App } from '../app.js';
import { oidcRedirectUri } from '../connections/index.js';
import {
  ACME,
  ACME_CONNECTION,
  DEMO_ACCOUNTS,
  demoClientSecret,
  ensureDemoOidcConnection,
  ensureDemoOrg,
  findDemoOidcConnection,
  type DemoOidcConnection,
} from './acme.js';
import {
  ensureGlobexConnection,
  ensureGlobexOrg,
  GLOBEX,
  GLOBEX_ACCOUNTS,
  GLOBEX_CONNECTION,
  trustGlobexSp,
} from './globex.js';
import {
  PLATFORM,
  PLATFORM_ACCOUNTS,
  PLATFORM_CONNECTION_NAME,
  platformConnection,
} from './platform-org.js';
import { startDemoOidcIdp, type DemoOidcClient } from './oidc-idp.js';
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
 * 4. org "latchkey" (the platform team, config console.platformOrg) with latchkey.test
 *    verified and its own active OIDC connection "Latchkey staff IdP" to the same IdP
 *    (client `latchkey-platform`), group platform-admins → the console's admin role;
 * 5. org "globex" (Globex) with globex.test verified, the development SAML IdP on
 *    demo.samlIdpHost:samlIdpPort (key and certificate new at every start), globex's
 *    active SAML connection "Globex IdP" made from (and kept in line with) that IdP's
 *    metadata, and the IdP trusting the connection's SP entity id, ACS and certificate.
 *
 * Prints the IdPs and their demo accounts for the development banner, every time.
 */
export async function seedDemo(app: App, print: (line: string) => void): Promise<DemoEnvironment> {
  await seedPlatformKey(app, print);

  const acme = await prepareOidcOrg(app, ACME, ACME_CONNECTION);
  const platform = await prepareOidcOrg(
    app,
    PLATFORM,
    platformConnection(app.config.console.adminRole),
  );
  const idp = await startDemoOidcIdp({
    host: app.config.demo.oidcIdpHost,
    port: app.config.demo.oidcIdpPort,
    displayName: ACME_CONNECTION.name,
    clients: [idpClient(app, acme), idpClient(app, platform)],
    accounts: [...DEMO_ACCOUNTS, ...PLATFORM_ACCOUNTS],
    logger: app.logger,
  });
  try {
    for (const [org, banner] of [
      [acme, ACME_BANNER],
      [platform, PLATFORM_BANNER],
    ] as const) {
      const connection = await ensureDemoOidcConnection(app, org.orgId, org.spec, org.existing, {
        issuer: idp.issuer,
        clientSecret: org.clientSecret,
      });
      printIdp(print, banner, idp.issuer, connection);
    }
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

/** A demo org of the development OIDC IdP, ready for the IdP to start (prepareOidcOrg). */
interface OidcOrg {
  orgId: string;
  spec: DemoOidcConnection;
  existing: NonNullable<Awaited<ReturnType<typeof findDemoOidcConnection>>>;
  clientSecret: string;
}

/**
 * The org and its OIDC connection before the IdP runs: the IdP registers the connection's
 * own redirect URI, so the connection exists first (a draft, its issuer set to the IdP's
 * once the IdP has its port). The client secret is generated once and read back from the
 * connection at every later start, so the restarted IdP accepts it.
 */
async function prepareOidcOrg(
  app: App,
  want: { slug: string; name: string; domain: string },
  spec: DemoOidcConnection,
): Promise<OidcOrg> {
  const org = await ensureDemoOrg(app, want);
  let existing = await findDemoOidcConnection(app, org.id, spec);
  const clientSecret = demoClientSecret(existing);
  if (!existing) {
    const { oidcIdpHost: host, oidcIdpPort: port } = app.config.demo;
    await ensureDemoOidcConnection(app, org.id, spec, null, {
      issuer: `http://${host}:${port}`,
      clientSecret,
    });
    existing = await findDemoOidcConnection(app, org.id, spec);
    if (!existing) throw new Error('the demo OIDC connection was not created');
  }
  return { orgId: org.id, spec, existing, clientSecret };
}

/** The org's client at the development OIDC IdP. */
const idpClient = (app: App, org: OidcOrg): DemoOidcClient => ({
  client_id: org.spec.clientId,
  client_secret: org.clientSecret,
  client_name: 'Latchkey',
  redirect_uris: [oidcRedirectUri(app.config.server.issuer, org.existing.id)],
});

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
const PLATFORM_BANNER: Banner = {
  label: 'OIDC IdP',
  org: PLATFORM,
  connection: { name: PLATFORM_CONNECTION_NAME },
  accounts: PLATFORM_ACCOUNTS,
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
