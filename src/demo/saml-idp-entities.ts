import { generateKeyPairSync } from 'node:crypto';
import samlify from 'samlify';
import { createSelfSignedCertificate } from '../platform/crypto/index.js';
import { SAML_NAME_ID_EMAIL, type DemoSamlSp } from './saml-idp-model.js';

/**
 * The development SAML IdP's key and its samlify entities: itself (the IdentityProvider
 * role) and each trusted SP as samlify sees it, for reading their requests and answering.
 */

export const BINDING = samlify.Constants.namespace.binding;
export const RSA_SHA256 = samlify.Constants.algorithms.signature.RSA_SHA256;

export interface DemoSamlKeys {
  privateKeyPem: string;
  certificatePem: string;
}

/** An RSA 2048 key and a self-signed certificate for it, valid from an hour ago for a year. */
export function signingKeyPair(commonName: string): DemoSamlKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = Date.now();
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificatePem: createSelfSignedCertificate({
      privateKey,
      publicKey,
      commonName,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 365 * 86_400_000),
    }),
  };
}

/** The IdP's endpoints, all under its origin. */
export interface DemoSamlEndpoints {
  entityId: string;
  ssoUrl: string;
  sloUrl: string;
}

export function createDemoSamlEntities(endpoints: DemoSamlEndpoints, keys: DemoSamlKeys) {
  const { entityId, ssoUrl, sloUrl } = endpoints;
  const idpEntity = (wantAuthnRequestsSigned: boolean) =>
    quietly(() =>
      samlify.IdentityProvider({
        entityID: entityId,
        privateKey: keys.privateKeyPem,
        signingCert: keys.certificatePem,
        singleSignOnService: [{ Binding: BINDING.redirect, Location: ssoUrl }],
        singleLogoutService: [{ Binding: BINDING.redirect, Location: sloUrl }],
        nameIDFormat: [SAML_NAME_ID_EMAIL],
        wantAuthnRequestsSigned,
        // Single Logout: what SPs send must be signed (checked against their certificate).
        wantLogoutRequestSigned: true,
        requestSignatureAlgorithm: RSA_SHA256,
      }),
    );

  const spEntity = (sp: DemoSamlSp) =>
    quietly(() =>
      samlify.ServiceProvider({
        entityID: sp.entityId,
        assertionConsumerService: [{ Binding: BINDING.post, Location: sp.acsUrl }],
        authnRequestsSigned: sp.signingCertificatePem !== null,
        ...(sp.signingCertificatePem ? { signingCert: sp.signingCertificatePem } : {}),
        // What the IdP signs: the assertion and the Response around it.
        wantAssertionsSigned: true,
        wantMessageSigned: true,
      }),
    );

  /** The SP as Single Logout sees it: its SLO URL and its logout signing certificate. */
  const spLogoutEntity = (sp: DemoSamlSp, slo: NonNullable<DemoSamlSp['singleLogout']>) =>
    quietly(() =>
      samlify.ServiceProvider({
        entityID: sp.entityId,
        assertionConsumerService: [{ Binding: BINDING.post, Location: sp.acsUrl }],
        singleLogoutService: [{ Binding: BINDING.redirect, Location: slo.url }],
        signingCert: slo.signingCertificatePem,
        // What the IdP sends back is signed over the query string.
        wantLogoutResponseSigned: true,
      }),
    );

  return {
    idpEntity,
    /** The IdP as it answers (it verifies each SP's signature as that SP is registered). */
    idp: idpEntity(false),
    // Published as wanting signed AuthnRequests: it verifies them for every SP registered
    // with a certificate (Latchkey's connections sign theirs by default).
    metadataXml: idpEntity(true).getMetadata(),
    spEntity,
    spLogoutEntity,
  };
}

export type DemoSamlEntities = ReturnType<typeof createDemoSamlEntities>;

/** The octet string a redirect signature covers: the raw parameters, in order. */
export const octetStringOf = (url: URL) =>
  url.search
    .slice(1)
    .split('&')
    .filter((p) => /^(SAMLRequest|RelayState|SigAlg)=/.test(p))
    .join('&');

/** samlify warns on the console about optional endpoints it does not find. */
export function quietly<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}
