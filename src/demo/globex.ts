import type { App } from '../app.js';
import { spEndpoints, type Connection, type SamlConnection } from '../connections/index.js';
import { createSpKeySource } from '../federation/index.js';
import type { Org } from '../orgs/index.js';
import { ALL, CONTEXT, createActiveConnection, ensureDemoOrg, SEED } from './acme.js';
import { SAML_NAME_ID_EMAIL, type DemoSamlAccount, type DemoSamlIdp } from './saml-idp.js';

/**
 * The demo org "globex" and what it signs in with: globex.test verified, and an active
 * SAML connection to the development SAML IdP, made from that IdP's metadata XML. Like
 * acme, each step makes only what is missing, through the services.
 */

export const GLOBEX = { slug: 'globex', name: 'Globex', domain: 'globex.test' } as const;
export const GLOBEX_CONNECTION = {
  name: 'Globex IdP',
  // The dev IdP names its attributes plainly (as many IdPs can be told to).
  attributeMapping: { email: 'email', name: 'name', groups: 'groups' },
  roleMapping: { 'ads-managers': 'ads.manager', analysts: 'ads.analyst' },
  // What to ask the IdP for when MFA is required (org policy or an app's acr_values): the
  // development SAML IdP then asks for its one-time code (docs/assurance.md).
  assurance: { request: { mfa: ['https://refeds.org/profile/mfa'] } },
} as const;

/** The people at Globex's SAML IdP. Any password works. */
export const GLOBEX_ACCOUNTS: Array<DemoSamlAccount & { shows: string }> = [
  {
    email: 'carol@globex.test',
    name: 'Carol Diaz',
    groups: ['ads-managers'],
    shows: 'signs in over SAML (ads-managers → ads.manager)',
  },
  {
    email: 'dan@globex.test',
    name: 'Dan Webb',
    groups: ['analysts'],
    shows: 'signs in over SAML (analysts → ads.analyst)',
  },
];

export const ensureGlobexOrg = (app: App): Promise<Org> => ensureDemoOrg(app, GLOBEX);

const certificateBody = (pem: string) =>
  pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

/**
 * Creates the SAML connection from the running IdP's metadata, or gives the existing one
 * the new metadata when the IdP changed (its port, or its key: both are new at every
 * start). A draft is activated; a connection an admin disabled stays disabled.
 */
export async function ensureGlobexConnection(
  app: App,
  orgId: string,
  idp: Pick<DemoSamlIdp, 'entityId' | 'ssoUrl' | 'sloUrl' | 'metadataXml' | 'certificatePem'>,
): Promise<SamlConnection> {
  const connections = await app.connections.list(orgId, SEED, ALL);
  const existing = connections.items.find(
    (c): c is SamlConnection => c.type === 'saml' && c.name === GLOBEX_CONNECTION.name,
  );
  let connection: Connection;
  if (!existing) {
    connection = await createActiveConnection(app, orgId, {
      type: 'saml',
      name: GLOBEX_CONNECTION.name,
      idp_metadata_xml: idp.metadataXml,
      name_id_format: SAML_NAME_ID_EMAIL,
      attribute_mapping: GLOBEX_CONNECTION.attributeMapping,
      role_mapping: GLOBEX_CONNECTION.roleMapping,
      assurance: GLOBEX_CONNECTION.assurance,
    });
  } else {
    const s = existing.settings;
    const changes: Record<string, unknown> = {};
    if (
      s.idpEntityId !== idp.entityId ||
      s.idpSsoUrl !== idp.ssoUrl ||
      s.idpSloUrl !== idp.sloUrl ||
      s.idpCertificates.length !== 1 ||
      certificateBody(s.idpCertificates[0]!) !== certificateBody(idp.certificatePem)
    )
      changes.idp_metadata_xml = idp.metadataXml;
    if (existing.status === 'draft') changes.status = 'active';
    // Seeded before connections had assurance settings: what to ask the IdP for MFA.
    if (existing.settings.assurance === undefined) changes.assurance = GLOBEX_CONNECTION.assurance;
    connection =
      Object.keys(changes).length === 0
        ? existing
        : await app.connections.update(orgId, existing.id, changes, null, SEED, CONTEXT);
  }
  if (connection.type !== 'saml') throw new Error('the Globex IdP connection is not SAML');
  return connection;
}

/**
 * Makes the dev IdP answer the connection's SP: its entity id and ACS under Latchkey's
 * issuer, (when the connection signs AuthnRequests) Latchkey's SP certificate, so the
 * IdP verifies each request as a real one would, and its SLO URL with that certificate
 * (Latchkey always signs its LogoutRequests) for Single Logout.
 */
export async function trustGlobexSp(
  app: App,
  idp: Pick<DemoSamlIdp, 'trust'>,
  connection: SamlConnection,
): Promise<void> {
  const sp = spEndpoints(app.config.server.issuer, connection.id);
  const keys = await createSpKeySource({
    dir: app.config.keys.dir,
    generateIfMissing: app.config.keys.generateIfMissing,
    clock: app.clock,
  }).get();
  idp.trust({
    entityId: sp.entity_id,
    acsUrl: sp.acs_url,
    name: 'Latchkey',
    signingCertificatePem: connection.settings.signRequests ? keys.current.certificatePem : null,
    singleLogout: { url: sp.slo_url, signingCertificatePem: keys.current.certificatePem },
  });
}
