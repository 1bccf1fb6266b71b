import { X509Certificate } from 'node:crypto';
import samlify from 'samlify';
import type { TrustedKey } from './xml-signature.js';
import type { SpKeys } from './sp-keys.js';
import { withoutConsole } from './without-console.js';

/**
 * samlify's two entities for one connection, built from Latchkey's settings (never from
 * metadata the IdP could change behind the admin's back): the IdP as the connection knows
 * it, and Latchkey as the SP of that connection; and the IdP's signing certificates as the
 * keys the strict verifier tries (xml-signature.ts: each one in turn, which lets several be
 * valid at once during an IdP's rotation).
 */
export interface SamlConnectionConfig {
  id: string;
  version: number;
  idpEntityId: string;
  idpSsoUrl: string;
  idpSloUrl: string | null;
  /** PEM. */
  idpCertificates: string[];
  nameIdFormat: string;
  signRequests: boolean;
  wantAssertionsSigned: boolean;
}

export interface SpEndpoints {
  entityId: string;
  acsUrl: string;
  sloUrl: string;
}

export const BINDING = samlify.Constants.namespace.binding;
export const RSA_SHA256 = samlify.Constants.algorithms.signature.RSA_SHA256;

export type IdpEntity = ReturnType<typeof samlify.IdentityProvider>;
export type SpEntity = ReturnType<typeof samlify.ServiceProvider>;

export interface ConnectionEntities {
  idp: IdpEntity;
  /** The metadata signing certificates as keys, for the strict verifier (xml-signature.ts). */
  idpKeys: TrustedKey[];
  sp: SpEntity;
  /** The SP with the next key as its decryption key, during an SP key rotation. */
  spNext: SpEntity | null;
}

/** The base64 body of a PEM certificate, as metadata and samlify carry it. */
export const certificateBody = (pem: string) =>
  pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');

/** The connection's certificates as keys; a certificate node:crypto cannot read is left out. */
export function trustedKeysOf(certificatesPem: string[]): TrustedKey[] {
  return certificatesPem.flatMap((pem) => {
    try {
      const publicKey = new X509Certificate(pem).publicKey;
      return [{ certificateBody: certificateBody(pem), publicKey }];
    } catch {
      return [];
    }
  });
}

function idpEntity(config: SamlConnectionConfig, certificates: string[]): IdpEntity {
  return samlify.IdentityProvider({
    entityID: config.idpEntityId,
    signingCert: certificates.map(certificateBody),
    singleSignOnService: [{ Binding: BINDING.redirect, Location: config.idpSsoUrl }],
    ...(config.idpSloUrl
      ? { singleLogoutService: [{ Binding: BINDING.redirect, Location: config.idpSloUrl }] }
      : {}),
    wantAuthnRequestsSigned: config.signRequests,
    // What Latchkey sends the IdP for Single Logout is always signed.
    wantLogoutRequestSigned: true,
    wantLogoutResponseSigned: true,
    nameIDFormat: [config.nameIdFormat],
  });
}

function spEntity(
  config: SamlConnectionConfig,
  endpoints: SpEndpoints,
  keys: SpKeys,
  decryptWith: 'current' | 'next',
): SpEntity {
  const certificates = [keys.current, ...(keys.next ? [keys.next] : [])].map((pair) =>
    certificateBody(pair.certificatePem),
  );
  const decryption = decryptWith === 'next' && keys.next ? keys.next : keys.current;
  return samlify.ServiceProvider({
    entityID: endpoints.entityId,
    authnRequestsSigned: config.signRequests,
    wantAssertionsSigned: config.wantAssertionsSigned,
    privateKey: keys.current.privateKeyPem,
    signingCert: certificates,
    encryptCert: certificates,
    encPrivateKey: decryption.privateKeyPem,
    requestSignatureAlgorithm: RSA_SHA256,
    assertionConsumerService: [{ Binding: BINDING.post, Location: endpoints.acsUrl }],
    singleLogoutService: [
      { Binding: BINDING.redirect, Location: endpoints.sloUrl },
      { Binding: BINDING.post, Location: endpoints.sloUrl },
    ],
    nameIDFormat: [config.nameIdFormat],
    allowCreate: true,
  });
}

export function buildEntities(
  config: SamlConnectionConfig,
  endpoints: SpEndpoints,
  keys: SpKeys,
): ConnectionEntities {
  // samlify warns on the console about optional endpoints it does not find.
  return withoutConsole(() => ({
    idp: idpEntity(config, config.idpCertificates),
    idpKeys: trustedKeysOf(config.idpCertificates),
    sp: spEntity(config, endpoints, keys, 'current'),
    spNext: keys.next ? spEntity(config, endpoints, keys, 'next') : null,
  }));
}
